"""The core catalogue, registered through the same hooks as any region plugin.

It carries provincial-api.md's core data elements with their measures and the 三会一课 activity
types every region records; it is always on and cannot be disabled.
"""

from __future__ import annotations

from pbadmin.models.choices import BRANCH_KINDS, COMMITTEE_KINDS
from pbadmin.plugins.specs import ActivityTypeSpec, DataElementSpec, PluginInfo
from pbadmin.toolkit import hookimpl, measures

NAME = "core"

#: provincial-api.md's core catalogue, in its order: code, name, kind, and how each is computed
CORE_ELEMENTS = (
    ("PB_BRANCHES", "党支部数", "stock", measures.organisations(kinds=BRANCH_KINDS)),
    ("PB_COMMITTEES", "党委/综合党委/党总支数", "stock", measures.organisations(kinds=COMMITTEE_KINDS)),
    ("PB_MEMBERS", "党员数", "stock", measures.members()),
    ("PB_MEMBERS_PROBATIONARY", "预备党员数", "stock", measures.probationary_members()),
    ("PB_MEMBERS_JOINED", "新发展党员数", "flow", measures.members_joined()),
    ("PB_ACTIVITIES", "开展活动次数", "flow", measures.activities()),
    ("PB_ATTENDANCE", "参加活动人次", "flow", measures.attendance()),
    ("PB_SERVED", "服务群众人次", "flow", measures.people_served()),
    ("PB_VOLUNTEER_HOURS", "志愿服务时长（小时）", "flow", measures.volunteer_hours()),
    ("PB_SHYK_GENERAL", "支部党员大会次数", "flow", measures.activities(shyk_kind="general")),
    ("PB_SHYK_COMMITTEE", "支委会次数", "flow", measures.activities(shyk_kind="committee")),
    ("PB_SHYK_GROUP", "党小组会次数", "flow", measures.activities(shyk_kind="group")),
    ("PB_SHYK_LECTURE", "党课次数", "flow", measures.activities(shyk_kind="lecture")),
    ("PB_THEME_DAYS", "主题党日次数", "flow", measures.activities(category="theme_day")),
    ("PB_SHYK_COMPLIANT", "三会一课达标支部数", "stock", measures.compliant_branches()),
    ("PB_BRANDS", "党建品牌数", "stock", measures.brands()),
    ("PB_VENUES", "党建阵地数", "stock", measures.venues()),
    ("PB_PAIRINGS", "结对帮扶对数", "stock", measures.pairings()),
    ("PB_PAIRING_REPORTS", "结对帮扶月报份数", "flow", measures.pairing_reports()),
    ("PB_RECTIFY_OPEN", "未完成整改问题数", "stock", measures.open_rectifications()),
    ("PB_RECTIFY_CLOSED", "本期完成整改问题数", "flow", measures.closed_rectifications()),
    ("PB_DONATIONS_YUAN", "爱心捐款金额（元）", "flow", measures.donations()),
)

CORE_ACTIVITY_TYPES = (
    ActivityTypeSpec("SHYK_GENERAL", "支部党员大会", "shyk", "general", "PB_SHYK_GENERAL"),
    ActivityTypeSpec("SHYK_COMMITTEE", "支委会", "shyk", "committee", "PB_SHYK_COMMITTEE"),
    ActivityTypeSpec("SHYK_GROUP", "党小组会", "shyk", "group", "PB_SHYK_GROUP"),
    ActivityTypeSpec("SHYK_LECTURE", "党课", "shyk", "lecture", "PB_SHYK_LECTURE"),
    ActivityTypeSpec("THEME_DAY", "主题党日", "theme_day", None, "PB_THEME_DAYS"),
    ActivityTypeSpec("FREE_CLINIC", "义诊", "service"),
    ActivityTypeSpec("VOLUNTEER", "志愿服务", "service"),
)


@hookimpl
def plugin_info():
    return PluginInfo(
        name=NAME, title="核心目录", version="1.0.0", region_code="000000", description="核心数据元和三会一课活动类型"
    )


@hookimpl
def register_data_elements():
    return [DataElementSpec(code, name, kind, measure=measure) for code, name, kind, measure in CORE_ELEMENTS]


@hookimpl
def register_activity_types():
    return list(CORE_ACTIVITY_TYPES)
