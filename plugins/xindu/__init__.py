"""成都市新都区·医共体综合党委: the region plugin of 新都区 (seeds/001, figures of 2021)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, hookimpl, standard_schedules, standard_settings

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "xindu"


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME,
        title="成都市新都区·医共体综合党委",
        version="1.0.0",
        region_code="510114",
        description="三个医共体综合党委：每季度党建联席会议、支部结对帮扶与月报、业务科室党支部、线上+线下联学",
    )


@hookimpl
def gateway_profile():
    return "sichuan"


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
    demo.report("2021")  # the period of the article's figures
