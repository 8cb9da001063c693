"""What goes into an organisation's ledger (台账) for a year, gathered in a handful of set-based queries.

The ledger covers the organisation and everything below it (closure table), intersected with the
user's scope, and has five sections: the member roster, the meetings (三会一课 and themed party days)
with attendance, the other activities, the pairings with their monthly reports, and the
rectifications. ID numbers are always masked: a ledger is printed and handed to inspectors, so it
leaves the system, and what leaves the system carries no full ID number whoever printed it.

Every section is one or two set-based queries (joins for names, one attendance query for all the
meetings, one report query for all the pairings), so the cost does not grow with the row count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from pbadmin.dashboard.compliance_lists import active_during
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Attendance,
    Brand,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    org_tree,
)
from pbadmin.reporting.boundaries import began_by, started_within
from pbadmin.reporting.periods import Period
from pbadmin.security.pii import mask_id_number
from pbadmin.security.scoping import Scope

#: the activity categories the meetings section holds; every other category is "other activities"
MEETING_CATEGORIES = ("shyk", "theme_day")

#: (key, title) of the sections, in the ledger's order
SECTIONS = (
    ("members", _l("Party member roster")),
    ("meetings", _l("Meetings and themed party days")),
    ("activities", _l("Other activities")),
    ("pairings", _l("Pairing assistance")),
    ("rectifications", _l("Problems and rectification")),
)


@dataclass(frozen=True)
class MemberLine:
    id: int
    name: str
    gender: str
    organisation: str
    department: str | None
    status: str
    admitted_on: dt.date | None
    full_member_on: dt.date | None
    #: always masked (see the module docstring)
    id_number: str


@dataclass(frozen=True)
class MeetingLine:
    id: int
    starts_at: dt.datetime
    activity_type: str
    category: str
    title: str
    organisation: str
    place: str | None
    present: tuple[str, ...] = ()
    leave: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityLine:
    id: int
    starts_at: dt.datetime
    activity_type: str
    category: str
    title: str
    organisation: str
    brand: str | None
    place: str | None
    people_served: int
    volunteer_hours: Decimal


@dataclass(frozen=True)
class ReportLine:
    month: int  # YYYYMM
    submitted_on: dt.date
    content: str

    @property
    def month_label(self) -> str:
        return f"{self.month // 100}-{self.month % 100:02d}"


@dataclass(frozen=True)
class PairingLine:
    id: int
    helper: str
    helped: str
    letter_signed_on: dt.date | None
    started_on: dt.date
    ended_on: dt.date | None
    status: str
    goals: str | None
    reports: tuple[ReportLine, ...] = ()


@dataclass(frozen=True)
class RectificationLine:
    id: int
    problem: str
    organisation: str
    source: str
    responsible: str | None
    found_on: dt.date
    deadline: dt.date
    status: str
    closed_on: dt.date | None
    measures: str | None


@dataclass(frozen=True)
class Ledger:
    organisation_id: int
    organisation: str
    organisation_code: str
    year: int
    members: list[MemberLine] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)
    activities: list[ActivityLine] = field(default_factory=list)
    pairings: list[PairingLine] = field(default_factory=list)
    rectifications: list[RectificationLine] = field(default_factory=list)

    @property
    def people_served(self) -> int:
        return sum(line.people_served for line in self.activities)

    @property
    def volunteer_hours(self) -> Decimal:
        return sum((line.volunteer_hours for line in self.activities), Decimal(0))


def gather(scope: Scope, organisation: PartyOrganization, year: int) -> Ledger:
    """The ledger of ``organisation``'s subtree for ``year``, limited to what ``scope`` shows."""
    period = Period.containing(dt.date(year, 1, 1), "year")
    subtree = org_tree.subtree_ids([organisation.id])
    return Ledger(
        organisation_id=organisation.id,
        organisation=organisation.name,
        organisation_code=organisation.code,
        year=year,
        members=_members(scope, subtree, period),
        meetings=_meetings(scope, subtree, period),
        activities=_activities(scope, subtree, period),
        pairings=_pairings(scope, subtree, period),
        rectifications=_rectifications(scope, subtree, period),
    )


def _members(scope: Scope, subtree, period: Period) -> list[MemberLine]:
    """Members of the subtree admitted by the year's end (or of unknown admission), any status."""
    query = (
        select(
            Member.id,
            Member.name,
            Member.gender,
            PartyOrganization.name,
            Member.department,
            Member.status,
            Member.admitted_on,
            Member.full_member_on,
            Member.id_number,
        )
        .join(PartyOrganization, PartyOrganization.id == Member.organisation_id)
        .where(Member.organisation_id.in_(subtree), scope.clause(Member), began_by(Member.admitted_on, period.end))
        .order_by(PartyOrganization.name, Member.name, Member.id)
    )
    return [
        MemberLine(*values, id_number=mask_id_number(id_number)) for *values, id_number in db.session.execute(query)
    ]


def _activity_rows(scope: Scope, subtree, period: Period, meetings: bool):
    in_section = ActivityType.category.in_(MEETING_CATEGORIES)
    return (
        Activity.organisation_id.in_(subtree),
        scope.clause(Activity),
        started_within(Activity.starts_at, period.start_at, period.end_before),
        in_section if meetings else ~in_section,
    )


def _meetings(scope: Scope, subtree, period: Period) -> list[MeetingLine]:
    """Meetings and themed party days of the year, with who was present, on leave or absent."""
    where = _activity_rows(scope, subtree, period, meetings=True)
    query = (
        select(
            Activity.id,
            Activity.starts_at,
            ActivityType.name,
            ActivityType.category,
            Activity.title,
            PartyOrganization.name,
            Activity.place,
        )
        .join(ActivityType, ActivityType.id == Activity.activity_type_id)
        .join(PartyOrganization, PartyOrganization.id == Activity.organisation_id)
        .where(*where)
        .order_by(Activity.starts_at, Activity.id)
    )
    rows = db.session.execute(query).all()
    meeting_ids = select(Activity.id).join(ActivityType, ActivityType.id == Activity.activity_type_id).where(*where)
    attendance = (
        select(Attendance.activity_id, Attendance.status, Member.name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.activity_id.in_(meeting_ids))
        .order_by(Member.name, Member.id)
    )
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    for activity_id, status, name in db.session.execute(attendance):
        names[activity_id, status].append(name)
    return [
        MeetingLine(
            *row,
            present=tuple(names[row[0], "present"]),
            leave=tuple(names[row[0], "leave"]),
            absent=tuple(names[row[0], "absent"]),
        )
        for row in rows
    ]


def _activities(scope: Scope, subtree, period: Period) -> list[ActivityLine]:
    """Service, study and other activities of the year, with people served and volunteer hours."""
    query = (
        select(
            Activity.id,
            Activity.starts_at,
            ActivityType.name,
            ActivityType.category,
            Activity.title,
            PartyOrganization.name,
            Brand.name,
            Activity.place,
            Activity.people_served,
            Activity.volunteer_hours,
        )
        .join(ActivityType, ActivityType.id == Activity.activity_type_id)
        .join(PartyOrganization, PartyOrganization.id == Activity.organisation_id)
        .outerjoin(Brand, Brand.id == Activity.brand_id)
        .where(*_activity_rows(scope, subtree, period, meetings=False))
        .order_by(Activity.starts_at, Activity.id)
    )
    return [
        ActivityLine(*values, people_served=int(served or 0), volunteer_hours=Decimal(str(hours or 0)))
        for *values, served, hours in db.session.execute(query)
    ]


def _pairings(scope: Scope, subtree, period: Period) -> list[PairingLine]:
    """Pairings the subtree helps or is helped in, under way, begun or reported on during the year,
    each with its monthly reports of the year."""
    first, last = period.months[0], period.months[-1]
    # correlated to Pairing explicitly: ``chosen`` is also nested inside the report query below
    reported = (
        select(PairingReport.id)
        .where(PairingReport.pairing_id == Pairing.id, PairingReport.month.between(first, last))
        .correlate(Pairing)
    )
    helper = aliased(PartyOrganization, name="helper")
    helped = aliased(PartyOrganization, name="helped")
    chosen = and_(
        or_(Pairing.helper_id.in_(subtree), Pairing.helped_id.in_(subtree)),
        scope.clause(Pairing),
        or_(
            active_during(period.start, period.end),
            Pairing.started_on.between(period.start, period.end),
            reported.exists(),
        ),
    )
    query = (
        select(
            Pairing.id,
            helper.name,
            helped.name,
            Pairing.letter_signed_on,
            Pairing.started_on,
            Pairing.ended_on,
            Pairing.status,
            Pairing.goals,
        )
        .join(helper, helper.id == Pairing.helper_id)
        .join(helped, helped.id == Pairing.helped_id)
        .where(chosen)
        .order_by(helper.name, helped.name, Pairing.started_on, Pairing.id)
    )
    rows = db.session.execute(query).all()
    reports_query = (
        select(PairingReport.pairing_id, PairingReport.month, PairingReport.submitted_on, PairingReport.content)
        .where(PairingReport.pairing_id.in_(select(Pairing.id).where(chosen)), PairingReport.month.between(first, last))
        .order_by(PairingReport.month)
    )
    reports: dict[int, list[ReportLine]] = defaultdict(list)
    for pairing_id, *values in db.session.execute(reports_query):
        reports[pairing_id].append(ReportLine(*values))
    return [PairingLine(*row, reports=tuple(reports[row[0]])) for row in rows]


def _rectifications(scope: Scope, subtree, period: Period) -> list[RectificationLine]:
    """Rectifications found during the year, or found before it and still open at its start."""
    query = (
        select(
            Rectification.id,
            Rectification.problem,
            PartyOrganization.name,
            Rectification.source,
            Member.name,
            Rectification.found_on,
            Rectification.deadline,
            Rectification.status,
            Rectification.closed_on,
            Rectification.measures,
        )
        .join(PartyOrganization, PartyOrganization.id == Rectification.organisation_id)
        .outerjoin(Member, Member.id == Rectification.responsible_id)
        .where(
            Rectification.organisation_id.in_(subtree),
            scope.clause(Rectification),
            Rectification.found_on <= period.end,
            or_(Rectification.closed_on.is_(None), Rectification.closed_on >= period.start),
        )
        .order_by(Rectification.found_on, Rectification.id)
    )
    return [RectificationLine(*row) for row in db.session.execute(query)]
