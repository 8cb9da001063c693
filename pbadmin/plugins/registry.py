"""Discovery, and calling one plugin's hooks through pluggy.

Plugins come from two places, in this order of precedence:
1. the plugins folder (``PBADMIN_PLUGINS_DIR``, default ``plugins/``): one package per plugin;
2. installed distributions exposing the entry point group ``pbadmin.plugins``.
A name found in both is taken from the folder; the entry point is reported as a duplicate.
``PBADMIN_SAFE_MODE=on`` loads no plugin at all.

Each plugin module is registered with one pluggy ``PluginManager`` holding the catalogue
(``pbadmin.hookspecs``); ``registry.hooks(name).register_brands()`` calls that plugin's
implementation through the manager. A plugin that fails to import, implements a hook the
catalogue lacks (``pm.check_pending()``), defines a hook function without ``@hookimpl`` or whose
hook raises is recorded with its error and treated as broken: core never lets one plugin's
failure reach the app or another plugin.
"""

from __future__ import annotations

import difflib
import importlib.util
import logging
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy

from pbadmin import hookspecs
from pbadmin.plugins.specs import PROFILES, PluginInfo

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "pbadmin.plugins"
#: every hook of the catalogue, by name
HOOKS = frozenset(name for name in vars(hookspecs) if hasattr(getattr(hookspecs, name), "pbadmin_spec"))


class PluginError(RuntimeError):
    """A plugin could not be loaded or one of its hooks failed."""


@dataclass
class PluginRecord:
    name: str
    source: str  # "folder" or "entry point"
    module: object | None = None
    info: PluginInfo | None = None
    profile: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.module is not None and self.info is not None and not self.errors


class PluginRegistry:
    def __init__(self, app=None) -> None:
        self.app = app
        self.manager = pluggy.PluginManager("pbadmin")
        self.manager.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}

    # --- discovery -------------------------------------------------------------------------
    def discover(self, folder: Path | None, use_entry_points: bool = True) -> None:
        if folder is not None and folder.is_dir():
            for package in sorted(p for p in folder.iterdir() if (p / "__init__.py").is_file()):
                self._load(package.name, "folder", lambda package=package: _import_package(package))
        if use_entry_points:
            for entry in entry_points(group=ENTRY_POINT_GROUP):
                if entry.name in self.records:
                    self.records[entry.name].errors.append(
                        f"an installed plugin of the same name ({entry.value}) is ignored: the folder's copy wins"
                    )
                    continue
                self._load(entry.name, "entry point", entry.load)

    def register(self, name: str, module, source: str = "code") -> PluginRecord:
        """Register an already imported plugin object (tests, and the built-in core plugin)."""
        return self._load(name, source, lambda: module)

    def unregister(self, name: str) -> None:
        record = self.records.pop(name, None)
        if record is not None and record.module is not None and self.manager.is_registered(record.module):
            self.manager.unregister(record.module)

    def _load(self, name: str, source: str, load) -> PluginRecord:
        record = PluginRecord(name=name, source=source)
        self.records[name] = record
        try:
            module = load()
        except Exception as exc:  # a broken plugin must never take the app down
            self._fail(record, f"import failed: {exc!r}", exc)
            return record
        try:
            hash(module)  # pluggy keeps plugins in sets: a module or an object hashed by identity
            self.manager.register(module, name=name)
        except Exception as exc:  # pluggy refuses it: a hook argument its spec lacks, a name taken, unhashable
            self._fail(record, f"its hooks cannot be registered: {exc}", exc)
            return record
        record.module = module
        self._read_identity(record)
        self._check_hooks(record)
        return record

    def _read_identity(self, record: PluginRecord) -> None:
        hooks = self.hooks(record.name)
        try:
            info = hooks.plugin_info()
            profile = hooks.gateway_profile()
        except PluginError:
            return  # the hook's error is already recorded on the plugin
        if not isinstance(info, PluginInfo):
            self._fail(record, "plugin_info() must return a PluginInfo")
        elif info.name != record.name:
            self._fail(record, f"plugin_info().name is {info.name!r} but the plugin is installed as {record.name!r}")
        else:
            record.info = info
        if profile is not None and profile not in PROFILES:
            self._fail(record, f"gateway_profile() returned {profile!r}; expected one of {', '.join(PROFILES)}")
        record.profile = profile

    def _check_hooks(self, record: PluginRecord) -> None:
        """Hooks pluggy would silently skip are load errors: a function named like a hook but not
        marked ``@hookimpl``, and (``pm.check_pending()``) a marked one whose name is no hook."""
        for hook in sorted(HOOKS):
            if callable(getattr(record.module, hook, None)) and not self.manager.parse_hookimpl_opts(
                record.module, hook
            ):
                self._fail(record, f"{hook}() is not marked @hookimpl, so it would never be called: add @hookimpl")
        while True:
            try:
                self.manager.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                if not self.manager.is_registered(exc.plugin):
                    raise
                self._refuse_unknown_hooks(exc.plugin)

    def _refuse_unknown_hooks(self, plugin) -> None:
        """Mark the plugin broken, naming each hook it implements that the catalogue lacks, and
        take its hooks out of the manager (so the next ``check_pending()`` passes)."""
        name = self.manager.get_name(plugin)
        for caller in self.manager.get_hookcallers(plugin) or []:
            if not caller.has_spec():
                guess = difflib.get_close_matches(caller.name, HOOKS, n=1)
                hint = f" (did you mean {guess[0]}?)" if guess else ""
                message = f"implements {caller.name}(), which is not a pbadmin hook{hint}: see pbadmin/hookspecs.py"
                record = self.records.get(name)
                if record is None:
                    log.error("plugin %s: %s", name, message)
                else:
                    self._fail(record, message)
        self.manager.unregister(plugin)

    def _fail(self, record: PluginRecord, message: str, exc: BaseException | None = None) -> None:
        record.errors.append(message)
        log.error("plugin %s: %s", record.name, message, exc_info=exc)

    # --- calling hooks -----------------------------------------------------------------------
    def hooks(self, name: str) -> PluginHooks:
        """The hooks of one plugin, called by name: ``registry.hooks("luqiao").register_brands()``."""
        record = self.records.get(name)
        if record is None or self.manager.get_plugin(name) is None:
            raise PluginError(f"plugin {name!r} is not loaded")
        return PluginHooks(self, record)

    def _call(self, record: PluginRecord, hook: str, /, **kwargs):
        """Call ``hook`` of this plugin alone through pluggy, with ``app`` and ``kwargs``.

        A hook that raises, or returns what is not a list where a list is due, is recorded on the
        plugin (which then counts as broken) and re-raised as PluginError."""
        others = [plugin for other, plugin in self.manager.list_name_plugin() if other != record.name]
        caller = self.manager.subset_hook_caller(hook, remove_plugins=others)
        try:
            result = caller(app=self.app, **kwargs)
        except Exception as exc:
            self._fail(record, f"{hook}() raised {exc!r}", exc)
            raise PluginError(f"plugin {record.name}: {hook}() failed: {exc}") from exc
        if caller.spec.opts.get("firstresult"):
            return result
        joined = []
        for returned in result:
            if not isinstance(returned, (list, tuple)):
                message = f"{hook}() must return a list, not {type(returned).__name__}"
                self._fail(record, message)
                raise PluginError(f"plugin {record.name}: {message}")
            joined.extend(returned)
        return joined

    def healthy(self) -> list[PluginRecord]:
        return [record for record in self.records.values() if record.healthy]

    def fail(self, name: str, message: str) -> None:
        """Mark a loaded plugin broken for a reason found outside its hooks (a view it should not add)."""
        self._fail(self.get(name), message)

    def get(self, name: str) -> PluginRecord:
        record = self.records.get(name)
        if record is None:
            raise PluginError(f"no plugin named {name!r}")
        return record


def _import_package(package: Path):
    module_name = f"pbadmin_plugin_{package.name}"
    loaded = sys.modules.get(module_name)
    if loaded is not None and Path(getattr(loaded, "__file__", "")).parent == package:
        return loaded  # each app in a process shares one import, as with any module
    spec = importlib.util.spec_from_file_location(
        module_name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


class PluginHooks:
    """One plugin's hooks, as ``pm.hook`` holds everyone's: ``hooks.register_brands()``.

    An attribute is a hook of the catalogue (another name is an AttributeError, so a misspelt
    call fails at once); calling it takes keyword arguments only and adds ``app``. See
    ``pbadmin.hookspecs`` for what a call returns."""

    def __init__(self, registry: PluginRegistry, record: PluginRecord) -> None:
        self._registry = registry
        self._record = record

    def __getattr__(self, hook: str):
        if hook not in HOOKS:
            raise AttributeError(f"pbadmin has no hook {hook!r} (see pbadmin/hookspecs.py)")

        def call(**kwargs):
            return self._registry._call(self._record, hook, **kwargs)

        call.__name__ = hook
        return call
