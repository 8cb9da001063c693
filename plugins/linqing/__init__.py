"""临清市人民医院·党建科学化: the region plugin of 临清市 (seeds/003, figures of 2016)."""

from pbadmin.toolkit import PluginInfo, region_plugin

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

INFO = PluginInfo(
    name="linqing",
    title="临清市人民医院·党建科学化",
    version="1.0.0",
    region_code="371581",
    description="两学一做：院领导讲党课、集中学习讨论、普通党员讲党课；问题清单与整改；19家乡镇卫生院医疗协作",
)
globals().update(region_plugin(INFO, "shandong", DATA_ELEMENTS, ACTIVITY_TYPES, BRANDS, load_demo=load))
