"""The branch × month 三会一课 heat map: for each branch in scope and each month, met, missed or not due.

A month's cell judges the windows due in that month, as a monthly report does: the month's monthly
rules, and the quarter's rules in the quarter's last month. It asks ``branch_compliance`` once per
month and rule set, so the statements do not grow with branches or activities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from pbadmin.dashboard.compliance_lists import visible_org_ids
from pbadmin.dashboard.rule_sets import rule_sets
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization
from pbadmin.models.choices import BRANCH_KINDS
from pbadmin.reporting.boundaries import began_by, not_ended_by
from pbadmin.reporting.compliance import BranchWindowResult, branch_compliance
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import Scope

MET = "met"
MISSED = "missed"
NOT_DUE = "none"
#: rows shown; the branches with the most missed months come first
MAX_ROWS = 40


@dataclass(frozen=True)
class HeatCell:
    month: Period
    state: str
    #: the windows judged in this cell (empty when nothing was due)
    results: tuple[BranchWindowResult, ...] = ()

    @property
    def missed(self) -> tuple[BranchWindowResult, ...]:
        return tuple(result for result in self.results if not result.met)


@dataclass
class HeatRow:
    branch_id: int
    name: str
    cells: list[HeatCell] = field(default_factory=list)

    @property
    def missed_months(self) -> int:
        return sum(cell.state == MISSED for cell in self.cells)


@dataclass(frozen=True)
class HeatMap:
    months: tuple[Period, ...]
    rows: tuple[HeatRow, ...]
    #: branches left out beyond MAX_ROWS
    hidden: int


def _state(results: Sequence[BranchWindowResult]) -> str:
    if not results:
        return NOT_DUE
    return MET if all(result.met for result in results) else MISSED


def _branches(scope: Scope, months: Sequence[Period]) -> list[tuple[int, str]]:
    """Branches in scope that stood at some time during the months, by name."""
    query = (
        select(PartyOrganization.id, PartyOrganization.name)
        .where(
            scope.clause(PartyOrganization),
            PartyOrganization.kind.in_(BRANCH_KINDS),
            began_by(PartyOrganization.founded_on, months[-1].end),
            not_ended_by(PartyOrganization.dissolved_on, months[0].start),
        )
        .order_by(PartyOrganization.name, PartyOrganization.id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def heat_map(scope: Scope, months: Sequence[Period], max_rows: int = MAX_ROWS) -> HeatMap:
    """The heat map over ``months`` (consecutive months, oldest first)."""
    judged: dict[tuple[int, int], list[BranchWindowResult]] = {}
    for rule_set in rule_sets(visible_org_ids(scope)):
        for index, month in enumerate(months):
            for result in branch_compliance(rule_set.org_ids, month, rule_set.rules):
                judged.setdefault((result.branch_id, index), []).append(result)
    rows = []
    for branch_id, name in _branches(scope, months):
        row = HeatRow(branch_id, name)
        for index, month in enumerate(months):
            results = tuple(judged.get((branch_id, index), ()))
            row.cells.append(HeatCell(month, _state(results), results))
        rows.append(row)
    rows.sort(key=lambda row: -row.missed_months)  # stable: names stay in order among equals
    return HeatMap(tuple(months), tuple(rows[:max_rows]), max(0, len(rows) - max_rows))
