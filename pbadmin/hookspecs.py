"""The catalogue of pbadmin plugin hooks.

A plugin implements any of these with ``@hookimpl`` (from ``pbadmin.toolkit``): pluggy registers
only marked functions, and a marked function whose name is not a hook here (a misspelling) makes
the plugin fail to load. Every hook may take ``app`` (the Flask app); a plugin declares only the
arguments it uses, and core always calls hooks with keyword arguments.

Core calls each plugin's hooks one plugin at a time, through pluggy's manager with every other
plugin left out, so a hook returns that plugin's own declarations. A hook declared
``firstresult`` gives one value: the first non-None result of the plugin's implementations
(None without one). Every other hook gives a list: the lists its implementations return, joined
([] without one).
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("pbadmin")
hookimpl = pluggy.HookimplMarker("pbadmin")


# --- identity ------------------------------------------------------------------------------


@hookspec(firstresult=True)
def plugin_info(app):
    """Called when the plugin is discovered. Return a ``PluginInfo``: name, Chinese title,
    version and the GB/T 2260 code of the region the plugin serves. First result wins."""


@hookspec(firstresult=True)
def gateway_profile(app):
    """Called when the plugin's reports are pushed and its settings form is built. Return the
    gateway profile name, one of ``pbadmin.sync.profiles.PROFILES``: "zhejiang", "sichuan", "hubei",
    "shandong" or "dhis2". First result wins."""


# --- definitions applied when the plugin is enabled ---------------------------------------


@hookspec
def register_brands(app):
    """Called when the plugin is enabled or upgraded. Return a list of ``BrandSpec``: the
    region's party-building brands (一支部一特色), upserted by name and owning organisation code."""


@hookspec
def register_activity_types(app):
    """Called when the plugin is enabled or upgraded. Return a list of ``ActivityTypeSpec``:
    activity types with the extra figures each records and the data element each counts towards."""


@hookspec
def register_data_elements(app):
    """Called when the plugin is enabled or upgraded. Return a list of ``DataElementSpec``: the
    catalogue rows the plugin's province issued for its region (codes, names, stock or flow)."""


@hookspec
def register_settings(app):
    """Called when the settings form is built and settings are saved. Return a list of
    ``SettingSpec`` (key, type, default, required, secret, description)."""


@hookspec
def register_schedules(app):
    """Called when the scheduler starts and when the plugin is enabled. Return a list of
    ``ScheduleSpec``: job name, cron expression and what the job does."""


# --- data ----------------------------------------------------------------------------------


@hookspec
def load_demo_data(app, demo):
    """Called by ``flask pbadmin seed-demo`` for every enabled plugin. Write the region's demo
    records through ``demo`` (a ``DemoLoader``: idempotent upserts). Return nothing."""


# --- extending the web app and the CLI -----------------------------------------------------


@hookspec
def register_admin_views(app, admin):
    """Called once when the admin site is built, for enabled plugins. Return a list of Flask-Admin
    views to add, each a subclass of the toolkit's ``PbModelView`` (records) or ``PbView`` (pages);
    any other view is refused and marks the plugin broken."""


@hookspec
def register_cli_commands(app, cli):
    """Called once when the app is built. Add click commands to ``cli`` (the ``pbadmin`` group);
    name them after the plugin (``luqiao-…``). Return nothing."""


# --- reporting -----------------------------------------------------------------------------


@hookspec(firstresult=True)
def shyk_rules(app):
    """Called when the plugin's reports are computed (PB_SHYK_COMPLIANT) and its 三会一课 compliance
    lists are shown. Return a list of ``ShykRule`` overriding DOMAIN.md's default 三会一课 rules for
    this plugin's reports and compliance lists; None keeps the default. First result wins."""
