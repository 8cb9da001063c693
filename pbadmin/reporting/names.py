"""Chinese nouns for the codes that report definitions and compliance texts mention.

Definitions are report text sent to the provinces, so they are always Chinese whatever the
user's language; the admin's translated labels live in ``pbadmin.models.labels``.
"""

from __future__ import annotations

ORG_KIND_NAMES = {
    "working_committee": "党工委",
    "committee": "党委",
    "comprehensive_committee": "综合党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "temporary_branch": "临时党支部",
}
MEMBER_STATUS_NAMES = {
    "full": "正式党员",
    "probationary": "预备党员",
    "transferred": "已转出党员",
    "suspended": "停止党籍党员",
    "deceased": "已去世党员",
}
VENUE_KIND_NAMES = {
    "activity_room": "党员活动室",
    "station": "服务驿站",
    "expert_studio": "专家工作室",
    "other": "其他党建阵地",
}
COMMUNITY_KIND_NAMES = {
    "county_community": "医共体",
    "consortium": "医联体（医疗协作体）",
    "specialty_alliance": "专科联盟",
    "trusteeship": "托管关系",
}
ALLIANCE_SCOPE_NAMES = {
    "expert_workstation": "专家工作室下沉",
    "volunteer_service": "志愿服务",
    "shared_platform": "共享党建平台",
    "comprehensive": "综合",
}
CATEGORY_NAMES = {"shyk": "三会一课", "theme_day": "主题党日", "service": "服务", "study": "学习", "other": "其他"}
SHYK_KIND_NAMES = {"general": "支部党员大会", "committee": "支委会", "group": "党小组会", "lecture": "党课"}
