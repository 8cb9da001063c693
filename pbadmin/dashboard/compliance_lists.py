"""The lists a branch secretary acts on: missed 三会一课 windows, overdue rectifications, missing pairing reports.

Each list is one or a few set-based statements over the user's scope. The 三会一课 rule logic is
``pbadmin.reporting.compliance.branch_compliance``'s (the same the provincial reports use), asked
once per distinct set of rules (``rule_sets``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Date, Integer, Select, and_, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from pbadmin.dashboard.rule_sets import rule_sets
from pbadmin.extensions import db
from pbadmin.models import ActivityType, Member, Pairing, PairingReport, PartyOrganization, Rectification
from pbadmin.reporting.compliance import BranchWindowResult, branch_compliance
from pbadmin.reporting.periods import Period
from pbadmin.reporting.rules import ShykRule
from pbadmin.security.scoping import Scope


def visible_org_ids(scope: Scope) -> Select:
    """SELECT of every organisation id the scope shows (``Scope.org_ids`` is empty for a superadmin)."""
    return select(PartyOrganization.id).where(scope.clause(PartyOrganization))


# --- 三会一课 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    """One branch in one due window of one rule, with what the lists need to link to it."""

    result: BranchWindowResult
    #: the plugins whose rules these are; empty for DOMAIN.md's defaults
    plugins: tuple[str, ...]
    #: position of the rule in its rule set, to keep the rules' own order
    rule_index: int

    @property
    def met(self) -> bool:
        return self.result.met

    @property
    def rule(self) -> ShykRule:
        return self.result.rule


def shyk_windows(scope: Scope, period: Period) -> list[WindowRow]:
    """Every branch in scope and every rule window due in ``period``: missed first, then by branch name,
    rule and window. A quarter also shows its three months; a month shows its quarter's rules only
    when it is the quarter's last month."""
    rows = []
    for rule_set in rule_sets(visible_org_ids(scope)):
        order = {rule: index for index, rule in enumerate(rule_set.rules)}
        for result in branch_compliance(rule_set.org_ids, period, rule_set.rules):
            rows.append(WindowRow(result, rule_set.plugins, order[result.rule]))
    rows.sort(key=lambda r: (r.met, r.result.branch_name, r.result.branch_id, r.rule_index, r.result.window.start))
    return rows


def branch_codes(branch_ids: Sequence[int]) -> dict[int, str]:
    """Organisation codes of the listed branches (the activity list filters by code)."""
    if not branch_ids:
        return {}
    query = select(PartyOrganization.id, PartyOrganization.code).where(PartyOrganization.id.in_(set(branch_ids)))
    return dict(db.session.execute(query).all())


def shyk_type_ids() -> dict[str, int]:
    """The activity type to record for each 三会一课 kind: the core one when there is one, else the first
    active plugin type of that kind."""
    query = (
        select(ActivityType.shyk_kind, ActivityType.id)
        .where(ActivityType.shyk_kind.is_not(None), ActivityType.active.is_(True))
        .order_by(ActivityType.plugin.is_not(None), ActivityType.code)
    )
    chosen: dict[str, int] = {}
    for kind, type_id in db.session.execute(query):
        chosen.setdefault(kind, type_id)
    return chosen


# --- rectifications -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRectification:
    id: int
    problem: str
    organisation: str
    responsible: str | None
    deadline: dt.date
    status: str
    days_overdue: int


def overdue_rectifications(scope: Scope, today: dt.date) -> list[OverdueRectification]:
    """Rectifications not closed whose deadline has passed, the longest overdue first."""
    query = (
        select(
            Rectification.id,
            Rectification.problem,
            PartyOrganization.name,
            Member.name,
            Rectification.deadline,
            Rectification.status,
        )
        .join(PartyOrganization, PartyOrganization.id == Rectification.organisation_id)
        .outerjoin(Member, Member.id == Rectification.responsible_id)
        .where(scope.clause(Rectification), Rectification.status != "closed", Rectification.deadline < today)
        .order_by(Rectification.deadline, Rectification.id)
    )
    return [
        OverdueRectification(id_, problem, org, responsible, deadline, status, (today - deadline).days)
        for id_, problem, org, responsible, deadline, status in db.session.execute(query)
    ]


# --- pairing reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingPairingReport:
    pairing_id: int
    helper: str
    helped: str
    month: int  # YYYYMM

    @property
    def month_label(self) -> str:
        return f"{self.month // 100}-{self.month % 100:02d}"


def _months_table(months: Sequence[Period]):
    """The months as a derived table (month YYYYMM, starts_on, ends_on), like compliance's windows."""
    rows = [
        select(
            literal(int(month.code), Integer).label("month"),
            literal(month.start, Date).label("starts_on"),
            literal(month.end, Date).label("ends_on"),
        )
        for month in months
    ]
    table = rows[0] if len(rows) == 1 else union_all(*rows)
    return table.subquery("report_month")


def active_during(starts_on, ends_on):
    """A pairing under way some day between the two dates: begun by the end, not ended before the start.
    One that stopped without an end date (completed or ended) is not chased for reports."""
    return and_(
        Pairing.started_on <= ends_on,
        or_(Pairing.ended_on >= starts_on, and_(Pairing.ended_on.is_(None), Pairing.status == "active")),
    )


def missing_pairing_reports(scope: Scope, months: Sequence[Period]) -> list[MissingPairingReport]:
    """Pairings in scope, under way during a month of ``months``, with no monthly report for that month."""
    if not months:
        return []
    month = _months_table(months)
    helper = aliased(PartyOrganization, name="helper")
    helped = aliased(PartyOrganization, name="helped")
    reported = (
        select(PairingReport.id)
        .where(PairingReport.pairing_id == Pairing.id, PairingReport.month == month.c.month)
        .correlate(Pairing, month)
    )
    query = (
        select(Pairing.id, helper.name, helped.name, month.c.month)
        .select_from(Pairing)
        .join(month, active_during(month.c.starts_on, month.c.ends_on))
        .join(helper, helper.id == Pairing.helper_id)
        .join(helped, helped.id == Pairing.helped_id)
        .where(scope.clause(Pairing), ~reported.exists())
        .order_by(month.c.month, helper.name, Pairing.id)
    )
    return [MissingPairingReport(*row) for row in db.session.execute(query)]
