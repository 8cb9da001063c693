"""台州市路桥区·红色杏林工程: the region plugin of 路桥区 (seeds/000, figures of 2018-05)."""

from pbadmin.toolkit import PluginInfo, region_plugin

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

INFO = PluginInfo(
    name="luqiao",
    title="台州市路桥区·红色杏林工程",
    version="1.0.0",
    region_code="331004",
    description="卫健局党工委统领三个医共体党委：红色杏林之家、健康路桥行志愿服务、杏林暖心驿站、爱心十元捐",
)
globals().update(region_plugin(INFO, "zhejiang", DATA_ELEMENTS, ACTIVITY_TYPES, BRANDS, load_demo=load))
