"""Layers point one way (docs/architecture.md), and no module imports itself round a cycle.

Every ``import`` in pbadmin is read from the source, function-local ones too, so an import moved
into a function to dodge a cycle is still seen. Each module belongs to the first layer whose prefix
it matches; a module may import its own layer and the layers below, never one above.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: lowest first: (layer name, module prefixes). The first matching prefix decides (most specific first).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "pbadmin.extensions",
            "pbadmin.database",
            "pbadmin.i18n",
            "pbadmin.params",
            "pbadmin.security.crypto",
            "pbadmin.security.passwords",
            "pbadmin.security.pii",
            # the gateway profiles are plain data that imports nothing of pbadmin (its docstring)
            "pbadmin.sync.profiles",
        ),
    ),
    ("models", ("pbadmin.models",)),
    ("security and audit", ("pbadmin.security", "pbadmin.audit", "pbadmin.demo")),
    ("domain services", ("pbadmin.reporting", "pbadmin.importing", "pbadmin.plugins", "pbadmin.hookspecs")),
    ("sync, dashboard, ledger", ("pbadmin.sync", "pbadmin.dashboard", "pbadmin.ledger", "pbadmin.sandbox")),
    (
        "web",
        (
            "pbadmin.admin",
            "pbadmin.auth",
            "pbadmin.web",
            "pbadmin.toolkit",
            "pbadmin.core_plugin",
            "pbadmin.plugin_setup",
        ),
    ),
    ("app", ("pbadmin.cli", "pbadmin.gunicorn_conf", "pbadmin")),
]


def modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "pbadmin").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The pbadmin modules ``name`` imports anywhere in its source (a package counts as its __init__)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            prefix = ".".join(base + ([node.module] if node.module else []))
            # ``from package import module`` imports the module; ``from module import name`` the module
            candidates = [
                f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix for alias in node.names
            ]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate.startswith("pbadmin") and candidate != name:
                targets.add(candidate)
    return targets


def layer_of(name: str) -> int:
    for index, (_title, prefixes) in enumerate(LAYERS):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            return index
    raise AssertionError(f"{name} belongs to no layer: add it to LAYERS and to docs/architecture.md")


def graph() -> dict[str, set[str]]:
    known = modules()
    edges = {name: imports_of(name, path, known) for name, path in known.items()}
    # a module's import of its own package's __init__ (``from pbadmin.models import X``) is not an edge
    # back to itself through that package
    return {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in edges.items()}


def test_every_module_belongs_to_a_layer():
    for name in modules():
        layer_of(name)


def test_no_module_imports_a_layer_above_its_own():
    upward = sorted(
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in graph().items()
        for target in targets
        if layer_of(target) > layer_of(name)
    )
    assert not upward, "\n".join(upward)


def test_no_lower_package_imports_the_admin():
    lower = ("importing", "ledger", "reporting", "plugins", "sync", "dashboard", "security", "models")
    offenders = sorted(
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name.split(".")[1:2] and name.split(".")[1] in lower
        for target in targets
        if target == "pbadmin.admin" or target.startswith("pbadmin.admin.")
    )
    assert not offenders, "\n".join(offenders)


def test_there_is_no_import_cycle():
    edges = graph()
    cycles = [component for component in _strongly_connected(edges) if len(component) > 1]
    assert not cycles, "\n".join(" → ".join(sorted(component)) for component in cycles)


def test_the_walk_sees_function_local_imports(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from pbadmin.admin import base\n", encoding="utf-8")
    assert imports_of("pbadmin.probe", module, modules()) == {"pbadmin.admin.base"}


def _strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (the graph is a few hundred modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components
