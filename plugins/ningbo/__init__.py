"""宁波市医疗中心李惠利医院·党建联盟: the region plugin of 宁波市 (seeds/004, figures of 2019)."""

from __future__ import annotations

from pbadmin.toolkit import PluginInfo, hookimpl, standard_schedules, standard_settings

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

NAME = "ningbo"


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME,
        title="宁波市医疗中心李惠利医院·党建联盟",
        version="1.0.0",
        region_code="330200",
        description="党建联盟把专家工作室搬进基层医院；托管医院与医联体；一支部一特色服务品牌",
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
    demo.report("2019")  # the period of the article's figures
