"""The small facade plugins import. Plugins use this module, never pbadmin's internals.

``measures`` holds the building blocks of data element measures (``measures.venues(kind="station")``);
``ShykRule`` is what the ``shyk_rules`` hook returns.
"""

from __future__ import annotations

import pluggy

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
from pbadmin.plugins.standard import standard_schedules, standard_settings
from pbadmin.reporting import measures
from pbadmin.reporting.measures import Measure

hookimpl = pluggy.HookimplMarker("pbadmin")

__all__ = [
    "PROFILES",
    "ActivityTypeSpec",
    "BrandSpec",
    "DataElementSpec",
    "DemoLoader",
    "FigureSpec",
    "Measure",
    "PluginInfo",
    "ScheduleSpec",
    "SettingSpec",
    "ShykRule",
    "hookimpl",
    "measures",
    "standard_schedules",
    "standard_settings",
]
