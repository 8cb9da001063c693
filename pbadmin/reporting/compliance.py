"""三会一课 compliance: did each branch hold its meetings and lectures as the rules require?

A rule, ``ShykRule(shyk_kind, minimum, per)``, is due in every window of its frequency ``per``
that ENDS inside the report period (``Period.windows(per)``): a March monthly report checks
March's monthly rules and Q1's quarterly rules, an April one only April's monthly rules, a
yearly report twelve months and four quarters. In each due window a branch must hold at least
``minimum`` activities whose type has that ``shyk_kind``, started inside the window. A window
that began before the branch was founded (founded_on after the window's first day) is not due
for it. A branch is compliant for the period when every due window of every rule holds.
The branches are those of BRANCH_KINDS standing at the end of the period.

DOMAIN.md's rules are the default; a plugin overrides them with the ``shyk_rules`` hook.

It is all SQL: the due windows are a UNION ALL of literal SELECTs (SQLite has no
``VALUES … AS t(cols)``) joined to the branches, and each window's count is a correlated
subquery, so neither the compliant-branch count nor the per-branch list loops over branches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Date, DateTime, Integer, ScalarSelect, String, Subquery, func, literal, select, true, union_all
from sqlalchemy.orm import aliased

from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, PartyOrganization
from pbadmin.models.choices import BRANCH_KINDS
from pbadmin.reporting.boundaries import began_by, standing, started_within
from pbadmin.reporting.names import SHYK_KIND_NAMES
from pbadmin.reporting.periods import Period
from pbadmin.reporting.rules import ShykRule

#: DOMAIN.md: 支部党员大会 at least once a quarter, 支委会 and 党小组会 at least once a month,
#: 党课 at least once a quarter
DEFAULT_RULES: tuple[ShykRule, ...] = (
    ShykRule("general", 1, "quarter"),
    ShykRule("committee", 1, "month"),
    ShykRule("group", 1, "month"),
    ShykRule("lecture", 1, "quarter"),
)

PER_NAMES = {"month": "每月", "quarter": "每季度", "year": "每年"}


def describe(rule: ShykRule) -> str:
    """The rule in words, e.g. 支委会每月至少 1 次."""
    return f"{SHYK_KIND_NAMES.get(rule.shyk_kind, rule.shyk_kind)}{PER_NAMES[rule.per]}至少 {rule.minimum} 次"


@dataclass(frozen=True)
class BranchWindowResult:
    """One branch in one due window of one rule: what was required and how many were held."""

    branch_id: int
    branch_name: str
    rule: ShykRule
    window: Period
    required: int
    held: int

    @property
    def met(self) -> bool:
        return self.held >= self.required


def due_windows(period: Period, rules: Iterable[ShykRule]) -> list[tuple[ShykRule, Period]]:
    """Every (rule, window) due in ``period``, in rule order then window order."""
    return [(rule, window) for rule in rules for window in period.windows(rule.per)]


def _window_table(due: Sequence[tuple[ShykRule, Period]]) -> Subquery | None:
    """The due windows as a derived table (slot, shyk_kind, minimum, starts_on, starts_at, ends_before);
    dates stay dates and instants datetimes, so SQLite compares like with like."""
    rows = [
        select(
            literal(slot, Integer).label("slot"),
            literal(rule.shyk_kind, String).label("shyk_kind"),
            literal(rule.minimum, Integer).label("minimum"),
            literal(window.start, Date).label("starts_on"),
            literal(window.start_at, DateTime).label("starts_at"),
            literal(window.end_before, DateTime).label("ends_before"),
        )
        for slot, (rule, window) in enumerate(due)
    ]
    if not rows:
        return None
    table = rows[0] if len(rows) == 1 else union_all(*rows)
    return table.subquery("due_window")


def _branches(org_ids, period: Period):
    """The branches the rules apply to: an alias, and the clause choosing them."""
    branch = aliased(PartyOrganization, name="branch")
    chosen = (branch.id.in_(org_ids), branch.kind.in_(BRANCH_KINDS), standing(branch, period.end))
    return branch, chosen


def _due_for(branch, windows: Subquery):
    """A window is due for a branch founded on or before its first day (or of unknown founding)."""
    return began_by(branch.founded_on, windows.c.starts_on)


def _held(branch, windows: Subquery) -> ScalarSelect:
    """How many activities of the window's shyk_kind the branch started inside the window."""
    return (
        select(func.count(Activity.id))
        .select_from(Activity)
        .join(ActivityType, ActivityType.id == Activity.activity_type_id)
        .where(
            Activity.organisation_id == branch.id,
            ActivityType.shyk_kind == windows.c.shyk_kind,
            started_within(Activity.starts_at, windows.c.starts_at, windows.c.ends_before),
        )
        .correlate(branch, windows)
        .scalar_subquery()
    )


def compliant_branches(org_ids, period: Period, rules: Iterable[ShykRule]) -> ScalarSelect:
    """SQL counting the branches in ``org_ids`` (ids or a SELECT of them) compliant for ``period``:
    the PB_SHYK_COMPLIANT measure. With no rule due, every standing branch is compliant."""
    branch, chosen = _branches(org_ids, period)
    query = select(func.count(branch.id)).where(*chosen)
    windows = _window_table(due_windows(period, rules))
    if windows is not None:
        short = (
            select(windows.c.slot)
            .where(_due_for(branch, windows), _held(branch, windows) < windows.c.minimum)
            .correlate(branch)
        )
        query = query.where(~short.exists())
    return query.scalar_subquery()


def branch_compliance(org_ids, period: Period, rules: Iterable[ShykRule]) -> list[BranchWindowResult]:
    """Per branch (standing at the period's end) and per window due for it: what each rule required and
    how many were held, in one query, ordered by branch name, then rule, then window."""
    due = due_windows(period, rules)
    windows = _window_table(due)
    if windows is None:
        return []
    branch, chosen = _branches(org_ids, period)
    query = (
        select(branch.id, branch.name, windows.c.slot, _held(branch, windows))
        .select_from(branch)
        .join(windows, true())
        .where(*chosen, _due_for(branch, windows))
        .order_by(branch.name, branch.id, windows.c.slot)
    )
    results = []
    for branch_id, name, slot, held in db.session.execute(query):
        rule, window = due[slot]
        results.append(BranchWindowResult(branch_id, name, rule, window, rule.minimum, held))
    return results
