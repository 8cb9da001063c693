"""``plugins new NAME``: a working plugin package, with a test that passes, from the templates beside this file."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "scaffold_templates"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,38}$")


def scaffold_plugin(folder: Path, name: str, region: str, profile: str, title: str) -> list[Path]:
    if not NAME_PATTERN.match(name):
        raise ValueError("a plugin name is lower-case letters, digits and _ (2-39 characters), starting with a letter")
    target = folder / name
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    values = {"name": name, "region": region, "profile": profile, "title": title, "prefix": name[:2].upper()}
    written = []
    for template in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = template.relative_to(TEMPLATES).with_suffix("")
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.read_text(encoding="utf-8").format(**values), encoding="utf-8")
        written.append(path)
    return written
