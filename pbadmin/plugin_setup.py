"""Wiring plugins into an app (web layer): discovery at start-up, their templates, admin views and commands."""

from __future__ import annotations

from pathlib import Path

import jinja2
from flask import Flask

from pbadmin import core_plugin
from pbadmin.plugins.registry import PluginError, PluginRegistry


def init_plugins(app: Flask) -> PluginRegistry:
    registry = PluginRegistry(app)
    registry.register(core_plugin.NAME, core_plugin, source="core")
    if not app.config.get("PBADMIN_SAFE_MODE"):
        registry.discover(Path(app.config["PBADMIN_PLUGINS_DIR"]), use_entry_points=True)
    app.extensions["pbadmin_plugins"] = registry
    _add_plugin_folders(app, registry)
    return registry


def _plugin_folders(registry: PluginRegistry, name: str) -> list[str]:
    folders = []
    for record in registry.healthy():
        module_file = getattr(record.module, "__file__", None)
        if module_file and (Path(module_file).parent / name).is_dir():
            folders.append(str(Path(module_file).parent / name))
    return folders


def _add_plugin_folders(app: Flask, registry: PluginRegistry) -> None:
    """A plugin's ``templates/`` joins the template search path (templates named ``NAME/...``)
    and its ``translations/`` (a ``messages`` catalogue) joins Flask-Babel's directories."""
    templates = _plugin_folders(registry, "templates")
    if templates:
        app.jinja_loader = jinja2.ChoiceLoader([app.jinja_loader, jinja2.FileSystemLoader(templates)])
    babel_config = app.extensions["babel"]
    babel_config.translation_directories.extend(_plugin_folders(registry, "translations"))
    # Flask-Babel caches catalogues per locale on one Domain shared by every app in the
    # process; drop what an earlier app loaded without these directories.
    with app.app_context():
        babel_config.instance.domain_instance.cache.clear()


def add_plugin_views(app: Flask, admin) -> None:
    """Add each healthy plugin's views. A view that does not derive from pbadmin's guarded bases
    (``PbModelView`` for records, ``PbView`` for pages) would skip login, permissions and scoping:
    the plugin's views are refused and the plugin is marked broken, saying why."""
    from pbadmin.admin.base import GuardedView

    registry: PluginRegistry = app.extensions["pbadmin_plugins"]
    for record in registry.healthy():
        try:
            views = registry.hooks(record.name).register_admin_views(admin=admin)
        except PluginError:
            continue  # recorded on the plugin; the admin works without its views
        unguarded = [view for view in views if not isinstance(view, GuardedView)]
        if unguarded:
            names = ", ".join(type(view).__name__ for view in unguarded)
            registry.fail(
                record.name,
                f"register_admin_views() returned views that derive neither from PbModelView nor from PbView: {names}",
            )
            continue
        for view in views:
            admin.add_view(view)


def add_plugin_commands(app: Flask, group) -> None:
    registry: PluginRegistry = app.extensions["pbadmin_plugins"]
    for record in registry.healthy():
        try:
            registry.hooks(record.name).register_cli_commands(cli=group)
        except PluginError:
            continue
