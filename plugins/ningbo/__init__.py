"""宁波市医疗中心李惠利医院·党建联盟: the region plugin of 宁波市 (seeds/004, figures of 2019)."""

from pbadmin.toolkit import PluginInfo, region_plugin

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

INFO = PluginInfo(
    name="ningbo",
    title="宁波市医疗中心李惠利医院·党建联盟",
    version="1.0.0",
    region_code="330200",
    description="党建联盟把专家工作室搬进基层医院；托管医院与医联体；一支部一特色服务品牌",
)
globals().update(region_plugin(INFO, "zhejiang", DATA_ELEMENTS, ACTIVITY_TYPES, BRANDS, load_demo=load))
