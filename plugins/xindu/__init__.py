"""成都市新都区·医共体综合党委: the region plugin of 新都区 (seeds/001, figures of 2021)."""

from pbadmin.toolkit import PluginInfo, region_plugin

from .demo import load
from .elements import ACTIVITY_TYPES, BRANDS, DATA_ELEMENTS

INFO = PluginInfo(
    name="xindu",
    title="成都市新都区·医共体综合党委",
    version="1.0.0",
    region_code="510114",
    description="三个医共体综合党委：每季度党建联席会议、支部结对帮扶与月报、业务科室党支部、线上+线下联学",
)
globals().update(region_plugin(INFO, "sichuan", DATA_ELEMENTS, ACTIVITY_TYPES, BRANDS, load_demo=load))
