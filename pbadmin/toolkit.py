"""The small facade plugins import. Plugins use this module, never pbadmin's internals."""

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
)
from pbadmin.plugins.standard import standard_schedules, standard_settings

hookimpl = pluggy.HookimplMarker("pbadmin")

__all__ = [
    "PROFILES",
    "ActivityTypeSpec",
    "BrandSpec",
    "DataElementSpec",
    "DemoLoader",
    "FigureSpec",
    "PluginInfo",
    "ScheduleSpec",
    "SettingSpec",
    "hookimpl",
    "standard_schedules",
    "standard_settings",
]
