"""Discovery and per-plugin hook calls.

Plugins come from two places, in this order of precedence:
1. the plugins folder (``PBADMIN_PLUGINS_DIR``, default ``plugins/``): one package per plugin;
2. installed distributions exposing the entry point group ``pbadmin.plugins``.
A name found in both is taken from the folder; the entry point is reported as a duplicate.
``PBADMIN_SAFE_MODE=on`` loads no plugin at all.

A plugin that fails to import, or whose hook raises, is recorded with its error and treated
as broken: core never lets one plugin's failure reach the app or another plugin.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import sys
import traceback
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy

from pbadmin import hookspecs
from pbadmin.plugins.specs import PROFILES, PluginInfo

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "pbadmin.plugins"


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
            self.manager.register(module, name=name)
            record.module = module
        except Exception as exc:  # a broken plugin must never take the app down
            self._fail(record, f"import failed: {exc!r}", exc)
            return record
        try:
            info = self.call(name, "plugin_info")
            profile = self.call(name, "gateway_profile")
        except PluginError:
            return record  # the hook's error is already recorded on the plugin
        if not isinstance(info, PluginInfo):
            self._fail(record, "plugin_info() must return a PluginInfo")
        elif info.name != name:
            self._fail(record, f"plugin_info().name is {info.name!r} but the plugin is installed as {name!r}")
        else:
            record.info = info
        if profile is not None and profile not in PROFILES:
            self._fail(record, f"gateway_profile() returned {profile!r}; expected one of {', '.join(PROFILES)}")
        record.profile = profile
        return record

    def _fail(self, record: PluginRecord, message: str, exc: BaseException | None = None) -> None:
        record.errors.append(message)
        log.error("plugin %s: %s", record.name, message, exc_info=exc)

    # --- calling hooks -----------------------------------------------------------------------
    def call(self, name: str, hook: str, default=None, **kwargs):
        """Call one plugin's implementation of ``hook`` with the arguments it declares.

        Returns ``default`` when the plugin does not implement it. A hook that raises is
        recorded on the plugin (which then counts as broken) and re-raised as PluginError.
        """
        record = self.records.get(name)
        if record is None or record.module is None:
            raise PluginError(f"plugin {name!r} is not loaded")
        implementation = getattr(record.module, hook, None)
        if implementation is None or not callable(implementation):
            return default
        available = {"app": self.app, **kwargs}
        wanted = inspect.signature(implementation).parameters
        try:
            result = implementation(**{key: available[key] for key in wanted if key in available})
        except Exception as exc:
            self._fail(record, f"{hook}() raised {exc!r}", exc)
            raise PluginError(f"plugin {name}: {hook}() failed: {exc}") from exc
        return default if result is None else result

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


def format_error(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
