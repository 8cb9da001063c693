"""The small facade plugins import. Plugins use this module, never pbadmin's internals.

``hookimpl`` marks a hook implementation; ``region_plugin`` builds the usual ones of a region plugin.
``measures`` holds the building blocks of data element measures (``measures.venues(kind="station")``);
``ShykRule`` is what the ``shyk_rules`` hook returns. Views a plugin adds derive from ``PbModelView``
(records: login, permissions, scoping, audit, CSRF) or ``PbView`` (other pages); inside them
``current_scope()`` and ``user_can()`` answer what the user may see and do.
"""

from __future__ import annotations

from pbadmin.admin.base import PbModelView, PbView, user_can
from pbadmin.hookspecs import hookimpl
from pbadmin.plugins.demo import DemoLoader
from pbadmin.plugins.specs import (
    PROFILES,
    ActivityTypeSpec,
    BrandSpec,
    DataElementSpec,
    FigureSpec,
    PluginInfo,
    ScheduleSpec,
    SettingSpec,
    ShykRule,
)
from pbadmin.plugins.standard import region_plugin, standard_schedules, standard_settings
from pbadmin.reporting import measures
from pbadmin.reporting.measures import Measure
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope

__all__ = [
    "PROFILES",
    "ActivityTypeSpec",
    "BrandSpec",
    "DataElementSpec",
    "DemoLoader",
    "FigureSpec",
    "Measure",
    "PbModelView",
    "PbView",
    "PluginInfo",
    "ScheduleSpec",
    "SettingSpec",
    "ShykRule",
    "current_scope",
    "hookimpl",
    "measures",
    "region_plugin",
    "roles",
    "standard_schedules",
    "standard_settings",
    "user_can",
]
