"""What linqing declares: its province's data elements, its activity types and its brands."""

from __future__ import annotations

from pbadmin.toolkit import ActivityTypeSpec, BrandSpec, DataElementSpec, FigureSpec, measures

#: the elements 山东省 issued for 临清市 (provincial-api.md, region table)
DATA_ELEMENTS = (
    # the three flows count the activities whose type counts towards them (ACTIVITY_TYPES below)
    DataElementSpec("LC_LEADER_LECTURES", "院领导讲党课次数", "flow"),
    DataElementSpec("LC_STUDY_SESSIONS", "集中学习讨论次数", "flow", "「两学一做」各党组织集中学习讨论"),
    DataElementSpec("LC_MEMBER_LECTURES", "普通党员讲党课次数", "flow"),
    DataElementSpec(
        "LC_PARTNER_CENTRES", "医疗协作乡镇卫生院数", "stock", measure=measures.community_members(kind="consortium")
    ),
)

ACTIVITY_TYPES = (
    # a leader's or an ordinary member's lecture is a 党课 of 三会一课 as well
    ActivityTypeSpec("LC_LEADER_LECTURE", "院领导讲党课", "shyk", "lecture", counts_towards="LC_LEADER_LECTURES"),
    ActivityTypeSpec("LC_STUDY_SESSION", "集中学习讨论", "study", counts_towards="LC_STUDY_SESSIONS"),
    ActivityTypeSpec("LC_MEMBER_LECTURE", "普通党员讲党课", "shyk", "lecture", counts_towards="LC_MEMBER_LECTURES"),
    ActivityTypeSpec("LC_SEMINAR", "学习研讨", "study"),
    ActivityTypeSpec(
        "LC_SATISFACTION_SURVEY",
        "医德医风患者满意度调查",
        "other",
        extra_figures=(FigureSpec("surveyed", "调查人数"), FigureSpec("satisfied_pct", "满意率（%）")),
    ),
    ActivityTypeSpec("LC_FAMILY_FORUM", "陪属座谈会", "other"),
)

BRANDS = (
    BrandSpec("做群众的贴心人", "LC-NK", "关爱在身边，义诊教育送健康：敬老院、农村社区健康宣教与免费查体"),
    BrandSpec("天翼男护", "LC-HL", "男护士志愿者团队到学校、车站、集市开展健康讲座"),
    BrandSpec("赶大集、送健康", "LC", "送医下乡、送药上门的农民健康服务行动"),
)
