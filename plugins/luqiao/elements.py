"""What luqiao declares: its province's data elements, its activity types and its brands."""

from __future__ import annotations

import datetime as dt

from pbadmin.toolkit import ActivityTypeSpec, BrandSpec, DataElementSpec, measures

HOMES = "「红色杏林之家」%"
TEAMS = "「健康路桥行」%"

#: the elements 浙江省 issued for 路桥区 (provincial-api.md, region table)
DATA_ELEMENTS = (
    DataElementSpec(
        "LQ_SECOND_COMMITTEES",
        "二级党委数",
        "stock",
        "党工委下设的二级党委",
        measure=measures.organisations(kinds=measures.COMMITTEE_KINDS, depth=1),
    ),
    DataElementSpec(
        "LQ_XINGLIN_HOMES",
        "「红色杏林之家」党员活动室数",
        "stock",
        "党建阵地中的党员活动室",
        measure=measures.venues(kind="activity_room", name_like=HOMES),
    ),
    DataElementSpec(
        "LQ_VOLUNTEER_TEAMS",
        "「健康路桥行」党员志愿服务队数",
        "stock",
        measure=measures.volunteer_teams(name_like=TEAMS),
    ),
    DataElementSpec(
        "LQ_VOLUNTEERS",
        "志愿服务队队员数",
        "stock",
        "各志愿服务队人数之和",
        measure=measures.volunteers(name_like=TEAMS),
    ),
    DataElementSpec(
        "LQ_STATIONS",
        "「杏林暖心驿站」等阵地数",
        "stock",
        "驿站、医务台、书香角等服务阵地",
        measure=measures.venues(kind="station"),
    ),
)

ACTIVITY_TYPES = (
    ActivityTypeSpec("LQ_VOLUNTEER", "「健康路桥行」志愿服务", "service"),
    ActivityTypeSpec("LQ_MODEL_LESSON", "党员示范课", "study"),
    ActivityTypeSpec("LQ_INTEGRITY", "「杏林清风」廉政教育", "study"),
)

#: the five projects of the 红色杏林工程, all run by the 党工委 (deployed on 2018-04-19)
LAUNCHED = dt.date(2018, 4, 19)
BRANDS = (
    BrandSpec("红色杏林", "LQ", "「红色杏林工程」：党建强卫，引领医共体改革发展", LAUNCHED),
    BrandSpec("杏林灯塔计划", "LQ", "党员骨干培养与专题化培训", LAUNCHED),
    BrandSpec("杏林暖心", "LQ", "「杏林暖心驿站」与「健康路桥行」志愿服务", LAUNCHED),
    BrandSpec("杏林清风", "LQ", "清廉医院建设与医德医风教育", LAUNCHED),
    BrandSpec("杏林共建", "LQ", "医共体内党组织共建、结对帮扶", LAUNCHED),
)
