"""台州市路桥区·红色杏林工程: the region plugin of 路桥区 (seeds/000, figures of 2018-05)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, hookimpl, standard_schedules, standard_settings

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "luqiao"


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME,
        title="台州市路桥区·红色杏林工程",
        version="1.0.0",
        region_code="331004",
        description="卫健局党工委统领三个医共体党委：红色杏林之家、健康路桥行志愿服务、杏林暖心驿站、爱心十元捐",
    )


@hookimpl
def gateway_profile():
    return "zhejiang"


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
    demo.report("201805")  # the period of the article's figures
