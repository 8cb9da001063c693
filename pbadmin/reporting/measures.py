"""Measures: how one data element is computed, as SQL over an organisation subtree and a period.

A ``Measure`` is a stock (what stands at the end of the period) or a flow (what happened during
it), with a Chinese sentence saying exactly what it counts. Given a ``MeasureContext`` it returns
a scalar subquery (a COUNT, or a SUM wrapped in COALESCE so that nothing sums to 0); the metrics
engine puts every element's subquery into one SELECT, so no record is loaded into Python.

The boundaries (when a thing counts for a period) live in ``pbadmin.reporting.boundaries`` and the
Chinese nouns of the definitions in ``pbadmin.reporting.names``; both are re-exported here for plugins.

Plugins reach the building blocks as ``pbadmin.toolkit.measures`` (e.g.
``measures.venues(kind="station")``); every building block takes keyword arguments only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, func, or_, select

from pbadmin.models import (
    Activity,
    ActivityType,
    Alliance,
    Attendance,
    Brand,
    Donation,
    MedicalCommunity,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Venue,
    VolunteerTeam,
    medical_community_member,
    org_tree,
)

# the kind groups plugins pass to organisations(kinds=…) and brands(owner_kinds=…), re-exported
from pbadmin.models.choices import ACTIVE_MEMBER_STATUSES as ACTIVE_MEMBER_STATUSES
from pbadmin.models.choices import BRANCH_KINDS as BRANCH_KINDS
from pbadmin.models.choices import COMMITTEE_KINDS as COMMITTEE_KINDS
from pbadmin.reporting.boundaries import began_by, dated_within, not_ended_by, standing, started_within
from pbadmin.reporting.compliance import compliant_branches as compliant_branches_sql
from pbadmin.reporting.names import (
    ALLIANCE_SCOPE_NAMES,
    CATEGORY_NAMES,
    COMMUNITY_KIND_NAMES,
    MEMBER_STATUS_NAMES,
    ORG_KIND_NAMES,
    SHYK_KIND_NAMES,
    VENUE_KIND_NAMES,
)
from pbadmin.reporting.periods import Period

if TYPE_CHECKING:
    from pbadmin.reporting.rules import ShykRule

STOCK = "stock"
FLOW = "flow"

SUBTREE = "本组织及全部下级组织"


@dataclass(frozen=True)
class MeasureContext:
    """What a measure is computed for: the subtree under ``root_id`` (``org_ids`` is a SELECT of its
    organisation ids, the root included), the period, and the 三会一课 rules in force."""

    org_ids: Select
    root_id: int
    period: Period
    rules: tuple[ShykRule, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A stock or flow, its definition (Chinese), and how to build its SQL for a context."""

    kind: str
    definition: str
    build: Callable[[MeasureContext], ScalarSelect] = field(compare=False, repr=False)

    def sql(self, context: MeasureContext) -> ScalarSelect:
        return self.build(context)


# --- small helpers -------------------------------------------------------------------------------


def _count(entity, *where) -> ScalarSelect:
    return select(func.count()).select_from(entity).where(*where).scalar_subquery()


def _total(column, *where) -> ScalarSelect:
    return select(func.coalesce(func.sum(column), 0)).where(*where).scalar_subquery()


def _names(names: dict[str, str], codes: Iterable[str]) -> str:
    return "、".join(names.get(code, code) for code in codes)


def _name_rule(pattern: str | None) -> str:
    """A LIKE pattern said in words, for the definitions."""
    if not pattern:
        return ""
    inner = pattern.strip("%")
    if "%" in inner or "_" in inner or not inner:
        return f"，名称符合“{pattern}”"
    if pattern.startswith("%") and pattern.endswith("%"):
        return f"，名称含“{inner}”"
    if pattern.endswith("%"):
        return f"，名称以“{inner}”开头"
    if pattern.startswith("%"):
        return f"，名称以“{inner}”结尾"
    return f"，名称为“{inner}”"


def _named(column, pattern: str | None) -> tuple:
    return (column.like(pattern),) if pattern else ()


# --- stocks: at the end of the period ------------------------------------------------------------


def organisations(*, kinds: Iterable[str], depth: int | None = None, in_department: bool | None = None) -> Measure:
    """Standing organisations of ``kinds`` in the subtree; ``depth`` keeps those that many levels
    below the reporting organisation (1: its direct children); ``in_department`` True keeps branches
    built in a department (支部建在科室), False those that are not."""
    kinds = tuple(kinds)

    def build(context: MeasureContext) -> ScalarSelect:
        org = PartyOrganization
        where = [org.kind.in_(kinds), standing(org, context.period.end)]
        if depth is None:
            where.append(org.id.in_(context.org_ids))
        else:
            closure = org_tree.table.c
            where.append(
                org.id.in_(
                    select(closure.descendant_id).where(closure.ancestor_id == context.root_id, closure.depth == depth)
                )
            )
        if in_department is not None:
            department = func.coalesce(org.department, "")
            where.append(department != "" if in_department else department == "")
        return _count(org, *where)

    among = SUBTREE if depth is None else ("本组织直接下设的组织" if depth == 1 else f"本组织下第{depth}级组织")
    department_text = {None: "", True: "，限建在科室的", False: "，不含建在科室的"}[in_department]
    definition = f"{among}中，期末存续（已成立、未撤销）的{_names(ORG_KIND_NAMES, kinds)}个数{department_text}"
    return Measure(STOCK, definition, build)


def _members_at_end(context: MeasureContext, statuses: tuple[str, ...]) -> tuple:
    return (
        Member.organisation_id.in_(context.org_ids),
        Member.status.in_(statuses),
        began_by(Member.admitted_on, context.period.end),
    )


def members(*, statuses: Iterable[str] = ACTIVE_MEMBER_STATUSES) -> Measure:
    """Members of ``statuses`` (full and probationary by default) admitted by the period's end."""
    statuses = tuple(statuses)

    def build(context: MeasureContext) -> ScalarSelect:
        return _count(Member, *_members_at_end(context, statuses))

    definition = f"{SUBTREE}中，期末在册、入党日期不晚于期末的{_names(MEMBER_STATUS_NAMES, statuses)}人数"
    return Measure(STOCK, definition, build)


def probationary_members() -> Measure:
    """Members still probationary at the period's end: probationary now, or full since after it."""

    def build(context: MeasureContext) -> ScalarSelect:
        end = context.period.end
        still_probationary = or_(
            Member.status == "probationary", and_(Member.status == "full", Member.full_member_on > end)
        )
        return _count(Member, *_members_at_end(context, ACTIVE_MEMBER_STATUSES), still_probationary)

    definition = f"{SUBTREE}中，期末仍为预备党员的人数（入党日期不晚于期末；期末之后才转正的也计入）"
    return Measure(STOCK, definition, build)


def brands(*, owner_kinds: Iterable[str] | None = None) -> Measure:
    """Active brands launched by the period's end, optionally only those owned by ``owner_kinds``."""
    owner_kinds = tuple(owner_kinds) if owner_kinds else None

    def build(context: MeasureContext) -> ScalarSelect:
        where = [
            Brand.organisation_id.in_(context.org_ids),
            Brand.active.is_(True),
            began_by(Brand.launched_on, context.period.end),
        ]
        if owner_kinds:
            owners = select(PartyOrganization.id).where(PartyOrganization.kind.in_(owner_kinds))
            where.append(Brand.organisation_id.in_(owners))
        return _count(Brand, *where)

    owner_text = f"（限{_names(ORG_KIND_NAMES, owner_kinds)}的品牌）" if owner_kinds else ""
    definition = f"{SUBTREE}中，期末前已创建、仍在使用的党建品牌个数{owner_text}"
    return Measure(STOCK, definition, build)


def venues(*, kind: str | None = None, name_like: str | None = None) -> Measure:
    """Venues opened by the period's end, optionally of one ``kind`` and with a name LIKE ``name_like``."""

    def build(context: MeasureContext) -> ScalarSelect:
        where = [Venue.organisation_id.in_(context.org_ids), began_by(Venue.opened_on, context.period.end)]
        if kind is not None:
            where.append(Venue.kind == kind)
        return _count(Venue, *where, *_named(Venue.name, name_like))

    noun = VENUE_KIND_NAMES.get(kind, kind) if kind else "党建阵地"
    definition = f"{SUBTREE}中，期末前已启用的{noun}个数{_name_rule(name_like)}"
    return Measure(STOCK, definition, build)


def _teams(context: MeasureContext, name_like: str | None) -> tuple:
    return (
        VolunteerTeam.organisation_id.in_(context.org_ids),
        began_by(VolunteerTeam.founded_on, context.period.end),
        *_named(VolunteerTeam.name, name_like),
    )


def volunteer_teams(*, name_like: str | None = None) -> Measure:
    """Volunteer teams founded by the period's end."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _count(VolunteerTeam, *_teams(context, name_like))

    return Measure(STOCK, f"{SUBTREE}中，期末前已成立的志愿服务队个数{_name_rule(name_like)}", build)


def volunteers(*, name_like: str | None = None) -> Measure:
    """The headcounts (every volunteer, party member or not) of those volunteer teams, summed."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _total(VolunteerTeam.headcount, *_teams(context, name_like))

    return Measure(STOCK, f"{SUBTREE}中，期末前已成立的志愿服务队的队员人数之和{_name_rule(name_like)}", build)


def _led_communities(context: MeasureContext, kind: str, lead_org_kinds: tuple[str, ...] | None) -> Select:
    """Ids of the communities of ``kind`` founded by the end, led by the institution of a standing
    organisation of the subtree (of ``lead_org_kinds`` if given)."""
    end = context.period.end
    leads = select(PartyOrganization.institution_id).where(
        PartyOrganization.id.in_(context.org_ids), standing(PartyOrganization, end)
    )
    if lead_org_kinds:
        leads = leads.where(PartyOrganization.kind.in_(lead_org_kinds))
    return select(MedicalCommunity.id).where(
        MedicalCommunity.kind == kind,
        MedicalCommunity.lead_institution_id.in_(leads),
        began_by(MedicalCommunity.founded_on, end),
    )


def _community_text(kind: str, lead_org_kinds: tuple[str, ...] | None) -> str:
    leads = _names(ORG_KIND_NAMES, lead_org_kinds) if lead_org_kinds else "党组织"
    return f"由{SUBTREE}中期末存续的{leads}所在机构牵头、期末前已成立的{COMMUNITY_KIND_NAMES.get(kind, kind)}"


def communities(*, kind: str, lead_org_kinds: Iterable[str] | None = None) -> Measure:
    """Medical communities of ``kind`` led by an institution of the subtree's organisations."""
    lead_org_kinds = tuple(lead_org_kinds) if lead_org_kinds else None

    def build(context: MeasureContext) -> ScalarSelect:
        return _count(MedicalCommunity, MedicalCommunity.id.in_(_led_communities(context, kind, lead_org_kinds)))

    return Measure(STOCK, f"{_community_text(kind, lead_org_kinds)}个数", build)


def community_members(*, kind: str, lead_org_kinds: Iterable[str] | None = None) -> Measure:
    """The distinct member institutions of those communities (the lead itself is not a member)."""
    lead_org_kinds = tuple(lead_org_kinds) if lead_org_kinds else None

    def build(context: MeasureContext) -> ScalarSelect:
        links = medical_community_member.c
        return (
            select(func.count(func.distinct(links.institution_id)))
            .where(links.community_id.in_(_led_communities(context, kind, lead_org_kinds)))
            .scalar_subquery()
        )

    definition = f"{_community_text(kind, lead_org_kinds)}的成员单位数（不含牵头单位，同一单位只计一次）"
    return Measure(STOCK, definition, build)


def alliances(*, scope: str | None = None) -> Measure:
    """Party-building alliances run by the subtree's organisations, signed by the period's end."""

    def build(context: MeasureContext) -> ScalarSelect:
        where = [Alliance.organisation_id.in_(context.org_ids), began_by(Alliance.signed_on, context.period.end)]
        if scope is not None:
            where.append(Alliance.scope == scope)
        return _count(Alliance, *where)

    scope_text = f"（限{ALLIANCE_SCOPE_NAMES.get(scope, scope)}类）" if scope else ""
    return Measure(STOCK, f"{SUBTREE}中，期末前已签约的党建联盟个数{scope_text}", build)


def _involving(context: MeasureContext) -> ColumnElement[bool]:
    """A pairing whose helping or helped organisation is in the subtree."""
    return or_(Pairing.helper_id.in_(context.org_ids), Pairing.helped_id.in_(context.org_ids))


def pairings() -> Measure:
    """Pairings under way at the period's end (started by then, not ended by then)."""

    def build(context: MeasureContext) -> ScalarSelect:
        end = context.period.end
        return _count(Pairing, _involving(context), Pairing.started_on <= end, not_ended_by(Pairing.ended_on, end))

    definition = f"帮扶方或受帮扶方属于{SUBTREE}、期末仍在进行（已开始、未结束）的结对帮扶对数"
    return Measure(STOCK, definition, build)


def open_rectifications() -> Measure:
    """Problems found by the period's end and not closed by then."""

    def build(context: MeasureContext) -> ScalarSelect:
        end = context.period.end
        return _count(
            Rectification,
            Rectification.organisation_id.in_(context.org_ids),
            Rectification.found_on <= end,
            not_ended_by(Rectification.closed_on, end),
        )

    return Measure(STOCK, f"{SUBTREE}中，期末前发现、到期末尚未完成整改的问题个数", build)


def compliant_branches() -> Measure:
    """Standing branches that met every 三会一课 rule due in the period (pbadmin.reporting.compliance)."""

    def build(context: MeasureContext) -> ScalarSelect:
        return compliant_branches_sql(context.org_ids, context.period, context.rules)

    definition = (
        f"{SUBTREE}中期末存续的{_names(ORG_KIND_NAMES, BRANCH_KINDS)}里，"
        "本期内到期的三会一课要求（每个规则在本期内结束的每个月、季、年）全部达到的支部个数"
    )
    return Measure(STOCK, definition, build)


# --- flows: over the period ----------------------------------------------------------------------


def _activities_in(context: MeasureContext) -> tuple:
    period = context.period
    return (
        Activity.organisation_id.in_(context.org_ids),
        started_within(Activity.starts_at, period.start_at, period.end_before),
    )


def activities(
    *, category: str | None = None, shyk_kind: str | None = None, counts_towards: str | None = None
) -> Measure:
    """Activities started in the period, optionally only those whose type has the given category,
    shyk_kind or counts_towards (all given filters apply)."""
    conditions = [
        condition
        for value, condition in (
            (category, ActivityType.category == category),
            (shyk_kind, ActivityType.shyk_kind == shyk_kind),
            (counts_towards, ActivityType.counts_towards == counts_towards),
        )
        if value is not None
    ]

    def build(context: MeasureContext) -> ScalarSelect:
        where = list(_activities_in(context))
        if conditions:
            where.append(Activity.activity_type_id.in_(select(ActivityType.id).where(*conditions)))
        return _count(Activity, *where)

    said = []
    if category is not None:
        said.append(f"类别为“{CATEGORY_NAMES.get(category, category)}”")
    if shyk_kind is not None:
        said.append(f"属于三会一课中的“{SHYK_KIND_NAMES.get(shyk_kind, shyk_kind)}”")
    if counts_towards is not None:
        said.append(f"设定计入数据元 {counts_towards}")
    what = f"活动类型{'且'.join(said)}的活动" if said else "各类活动"
    return Measure(FLOW, f"{SUBTREE}本期内开展（按开始时间计）的{what}次数", build)


def attendance() -> Measure:
    """Attendance rows marked present, of the subtree's activities started in the period."""

    def build(context: MeasureContext) -> ScalarSelect:
        held = select(Activity.id).where(*_activities_in(context))
        return _count(Attendance, Attendance.status == "present", Attendance.activity_id.in_(held))

    return Measure(FLOW, f"{SUBTREE}本期内开展的活动中登记为出席的人次", build)


def people_served() -> Measure:
    """People served by the subtree's activities started in the period, summed."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _total(Activity.people_served, *_activities_in(context))

    return Measure(FLOW, f"{SUBTREE}本期内开展的活动服务群众人次之和", build)


def volunteer_hours() -> Measure:
    """Volunteer hours of the subtree's activities started in the period, summed."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _total(Activity.volunteer_hours, *_activities_in(context))

    return Measure(FLOW, f"{SUBTREE}本期内开展的活动志愿服务时长之和（小时）", build)


def members_joined() -> Measure:
    """Members of the subtree admitted (入党) during the period."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _count(
            Member, Member.organisation_id.in_(context.org_ids), dated_within(Member.admitted_on, context.period)
        )

    return Measure(FLOW, f"{SUBTREE}本期内入党（入党日期在本期内）的人数", build)


def pairing_reports() -> Measure:
    """Monthly reports, for months of the period, of pairings that involve the subtree."""

    def build(context: MeasureContext) -> ScalarSelect:
        involved = select(Pairing.id).where(_involving(context))
        return _count(
            PairingReport, PairingReport.month.in_(context.period.months), PairingReport.pairing_id.in_(involved)
        )

    return Measure(FLOW, f"帮扶方或受帮扶方属于{SUBTREE}的结对帮扶中，月份在本期内的月报份数", build)


def closed_rectifications() -> Measure:
    """Problems of the subtree closed during the period."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _count(
            Rectification,
            Rectification.organisation_id.in_(context.org_ids),
            dated_within(Rectification.closed_on, context.period),
        )

    return Measure(FLOW, f"{SUBTREE}本期内完成整改（销号日期在本期内）的问题个数", build)


def donations() -> Measure:
    """Donation amounts recorded by the subtree for months of the period, summed (yuan)."""

    def build(context: MeasureContext) -> ScalarSelect:
        return _total(
            Donation.amount, Donation.organisation_id.in_(context.org_ids), Donation.month.in_(context.period.months)
        )

    return Measure(FLOW, f"{SUBTREE}记录的、月份在本期内的爱心捐款金额之和（元）", build)
