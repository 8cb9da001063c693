"""临清市人民医院·党建科学化: the region plugin of 临清市 (seeds/003, figures of 2016)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, ScheduleSpec, SettingSpec, hookimpl

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "linqing"
MONTHLY_CRON = "0 2 1 * *"


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME,
        title="临清市人民医院·党建科学化",
        version="1.0.0",
        region_code="371581",
        description="两学一做：院领导讲党课、集中学习讨论、普通党员讲党课；问题清单与整改；19家乡镇卫生院医疗协作",
    )


@hookimpl
def gateway_profile():
    return "shandong"


@hookimpl
def register_data_elements():
    return list(DATA_ELEMENTS)


@hookimpl
def register_activity_types():
    return list(ACTIVITY_TYPES)


@hookimpl
def register_brands():
    return list(BRANDS)


@hookimpl
def register_settings():
    return [
        SettingSpec("require_approval", "bool", default=True, description="报送前需区域管理员审核"),
        SettingSpec("monthly_cron", "cron", default=MONTHLY_CRON, description="月报生成并报送省平台的时间（cron）"),
    ]


@hookimpl
def register_schedules():
    return [
        ScheduleSpec(f"{NAME}:monthly", MONTHLY_CRON, "build_and_push:PB_MONTHLY", "每月1日生成并报送上月月报"),
        ScheduleSpec(f"{NAME}:quarterly", "0 3 1 1,4,7,10 *", "build_and_push:PB_QUARTERLY", "每季度首日报送上季度"),
        ScheduleSpec(f"{NAME}:yearly", "0 4 1 1 *", "build_and_push:PB_YEARLY", "每年1月1日报送上年年报"),
        ScheduleSpec(f"{NAME}:catalogue", "30 1 * * *", "pull_catalogue", "每日拉取省平台数据元与组织机构目录"),
    ]


@hookimpl
def load_demo_data(app, demo):
    load(demo)
