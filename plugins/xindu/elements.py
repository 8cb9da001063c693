"""What xindu declares: its province's data elements, its activity types and its brands."""

from __future__ import annotations

import datetime as dt

from pbadmin.toolkit import ActivityTypeSpec, BrandSpec, DataElementSpec, measures

COMPREHENSIVE = ("comprehensive_committee",)

#: the elements 四川省 issued for 新都区 (provincial-api.md, region table)
DATA_ELEMENTS = (
    DataElementSpec(
        "XD_COMPREHENSIVE_COMMITTEES", "医共体综合党委数", "stock", measure=measures.organisations(kinds=COMPREHENSIVE)
    ),
    DataElementSpec(
        "XD_MEMBER_UNITS",
        "综合党委成员单位数",
        "stock",
        "三个医共体成员单位（不含牵头单位）",
        measure=measures.community_members(kind="county_community", lead_org_kinds=COMPREHENSIVE),
    ),
    DataElementSpec(
        "XD_DEPT_BRANCHES",
        "业务科室党支部数",
        "stock",
        "支部建在业务科室上",
        measure=measures.organisations(kinds=("branch",), in_department=True),
    ),
    # a flow without a measure counts the activities whose type counts towards it (XD_JOINT_MEETING)
    DataElementSpec("XD_JOINT_MEETINGS", "党建联席会议次数", "flow", "综合党委每季度召开"),
)

ACTIVITY_TYPES = (
    ActivityTypeSpec("XD_JOINT_MEETING", "党建联席会议", "other", counts_towards="XD_JOINT_MEETINGS"),
    ActivityTypeSpec("XD_JOINT_STUDY", "线上+线下党员联学", "study"),
    ActivityTypeSpec("XD_FREE_CLINIC_DAY", "义诊主题党日", "theme_day"),
    ActivityTypeSpec("XD_FIRST_AID_DAY", "急救知识培训主题党日", "theme_day"),
)

FOUNDED = dt.date(2020, 6, 30)  # the three comprehensive committees were formed in 2020
BRANDS = (
    BrandSpec("医共体一家人", "XD", "综合党委引领牵头单位和成员单位由“不同心”向“一家人”转变", FOUNDED),
    BrandSpec("片区联学", "XD-EY", "片区医共体“线上+线下党员联学”，各单位轮流开展义诊、急救培训主题党日", FOUNDED),
    BrandSpec(
        "母婴安康", "XD-EY-FC", "二医院妇产科党支部结对帮扶新繁中心卫生院，为片区母婴安康保驾护航", dt.date(2021, 1, 1)
    ),
)
