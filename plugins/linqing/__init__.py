"""临清市人民医院·党建科学化: the region plugin of 临清市 (seeds/003, figures of 2016)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, hookimpl, standard_schedules, standard_settings

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "linqing"


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
    return standard_settings()


@hookimpl
def register_schedules():
    return standard_schedules(NAME)


@hookimpl
def load_demo_data(app, demo):
    load(demo)
    demo.report("2016")  # the period of the article's figures
