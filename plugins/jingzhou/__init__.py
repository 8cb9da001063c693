"""荆州市第一人民医院·党旗增辉 一医为民: the region plugin of 荆州市 (seeds/002, figures of 2022)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, hookimpl, standard_schedules, standard_settings

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "jingzhou"


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME,
        title="荆州市第一人民医院·党旗增辉 一医为民",
        version="1.0.0",
        region_code="421000",
        description="支部建在科室、临时党支部、双带头人、「五个一」主题党日、专科联盟与MDT团队、清廉医院",
    )


@hookimpl
def gateway_profile():
    return "hubei"


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
    demo.report("2022")  # the period of the article's figures
