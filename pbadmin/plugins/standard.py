"""What every region plugin declares, so plugins need not copy it: the usual settings and schedules,
and ``region_plugin``, which builds a region plugin's hook implementations from its declarations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pbadmin.hookspecs import hookimpl
from pbadmin.plugins.specs import (
    ActivityTypeSpec,
    BrandSpec,
    DataElementSpec,
    PluginInfo,
    ScheduleSpec,
    SettingSpec,
)

if TYPE_CHECKING:
    from pbadmin.plugins.demo import DemoLoader

MONTHLY_CRON = "0 2 1 * *"


def standard_settings(monthly_cron: str = MONTHLY_CRON) -> list[SettingSpec]:
    """Approval before reporting, and when the monthly report is built and pushed."""
    return [
        SettingSpec("require_approval", "bool", default=True, description="报送前需区域管理员审核"),
        SettingSpec("monthly_cron", "cron", default=monthly_cron, description="月报生成并报送省平台的时间（cron）"),
    ]


def standard_schedules(name: str, monthly_cron: str = MONTHLY_CRON) -> list[ScheduleSpec]:
    """Monthly, quarterly and yearly reports to the provincial platform, and the daily catalogue pull."""
    return [
        ScheduleSpec(f"{name}:monthly", monthly_cron, "build_and_push:PB_MONTHLY", "每月1日生成并报送上月月报"),
        ScheduleSpec(f"{name}:quarterly", "0 3 1 1,4,7,10 *", "build_and_push:PB_QUARTERLY", "每季度首日报送上季度"),
        ScheduleSpec(f"{name}:yearly", "0 4 1 1 *", "build_and_push:PB_YEARLY", "每年1月1日报送上年年报"),
        ScheduleSpec(f"{name}:catalogue", "30 1 * * *", "pull_catalogue", "每日拉取省平台数据元与组织机构目录"),
    ]


def region_plugin(
    info: PluginInfo,
    profile: str,
    data_elements: Sequence[DataElementSpec] = (),
    activity_types: Sequence[ActivityTypeSpec] = (),
    brands: Sequence[BrandSpec] = (),
    *,
    settings: Sequence[SettingSpec] | None = None,
    schedules: Sequence[ScheduleSpec] | None = None,
    load_demo: Callable[[DemoLoader], None] | None = None,
) -> dict[str, Callable]:
    """A region plugin's hook implementations, by hook name, each marked ``@hookimpl``: plugin_info,
    gateway_profile, register_data_elements, register_activity_types, register_brands,
    register_settings, register_schedules and (given ``load_demo``) load_demo_data.

    A plugin module makes them its own with ``globals().update(region_plugin(...))``: pluggy
    registers every marked function among a module's names, wherever it was defined. ``settings``
    and ``schedules`` default to ``standard_settings()`` and ``standard_schedules(info.name)``;
    ``load_demo(demo)`` writes the demo data. A hook the module defines after that line replaces
    the one built here.
    """
    settings = standard_settings() if settings is None else settings
    schedules = standard_schedules(info.name) if schedules is None else schedules

    @hookimpl
    def plugin_info():
        return info

    @hookimpl
    def gateway_profile():
        return profile

    @hookimpl
    def register_data_elements():
        return list(data_elements)

    @hookimpl
    def register_activity_types():
        return list(activity_types)

    @hookimpl
    def register_brands():
        return list(brands)

    @hookimpl
    def register_settings():
        return list(settings)

    @hookimpl
    def register_schedules():
        return list(schedules)

    @hookimpl
    def load_demo_data(app, demo):
        load_demo(demo)

    hooks = [
        plugin_info,
        gateway_profile,
        register_data_elements,
        register_activity_types,
        register_brands,
        register_settings,
        register_schedules,
    ]
    if load_demo is not None:
        hooks.append(load_demo_data)
    return {hook.__name__: hook for hook in hooks}
