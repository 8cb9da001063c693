"""荆州市第一人民医院·党旗增辉 一医为民: the region plugin of 荆州市 (seeds/002, figures of 2022)."""

from pbadmin.toolkit import PluginInfo, region_plugin

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

INFO = PluginInfo(
    name="jingzhou",
    title="荆州市第一人民医院·党旗增辉 一医为民",
    version="1.0.0",
    region_code="421000",
    description="支部建在科室、临时党支部、双带头人、「五个一」主题党日、专科联盟与MDT团队、清廉医院",
)
globals().update(region_plugin(INFO, "hubei", DATA_ELEMENTS, ACTIVITY_TYPES, BRANDS, load_demo=load))
