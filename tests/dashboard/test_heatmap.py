"""The branch × month heat map: met when every rule due that month holds, missed when one fails,
none when nothing was due (the branch did not stand yet, or any more)."""

from __future__ import annotations

import datetime as dt
import re

from pbadmin.dashboard import clock
from pbadmin.dashboard.heatmap import heat_map
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import UNRESTRICTED
from tests.dashboard.conftest import far_branch, full_months, scope_of
from tests.reporting.records import organisation

Q1 = [Period.parse(code) for code in ("202401", "202402", "202403")]


def rows(scope, months=Q1, **kwargs) -> dict[int, list[str]]:
    return {row.branch_id: [cell.state for cell in row.cells] for row in heat_map(scope, months, **kwargs).rows}


def test_each_months_cell_is_met_or_missed_by_the_rules_due_that_month(app, world):
    with app.app_context():
        a, b = world["org_a"], world["org_b"]
        full_months(a, 2024, [1, 2, 3], general_in=[3], lecture_in=[3])
        full_months(b, 2024, [1, 3], general_in=[2])  # no 党课 this quarter, no meetings in February
        assert rows(UNRESTRICTED) == {a: ["met", "met", "met"], b: ["met", "missed", "missed"]}


def test_a_quarterly_rule_missed_shows_in_the_quarters_last_month_only(app, world):
    with app.app_context():
        a = world["org_a"]
        full_months(a, 2024, [1, 2, 3], general_in=[1])
        assert rows(UNRESTRICTED)[a] == ["met", "met", "missed"]
        (row,) = [row for row in heat_map(UNRESTRICTED, Q1).rows if row.branch_id == a]
        cell = row.cells[2]
        assert [result.rule.shyk_kind for result in cell.missed] == ["lecture"]


def test_nothing_is_due_before_a_branch_is_founded_or_after_it_is_dissolved(app, world):
    with app.app_context():
        young = organisation("C", "branch", world["committee"], founded_on=dt.date(2024, 2, 10))
        gone = organisation("D", "branch", world["committee"], dissolved_on=dt.date(2024, 2, 15))
        organisation("E", "branch", world["committee"], dissolved_on=dt.date(2023, 12, 1))
        states = rows(UNRESTRICTED)
        assert states[young] == ["none", "none", "missed"]
        assert states[gone] == ["missed", "none", "none"]
        assert len(states) == 4  # E had gone before January


def test_branch_staff_see_only_their_branch(app, world):
    with app.app_context():
        far_branch(world)
        assert list(rows(scope_of(world, "staff_a"))) == [world["org_a"]]
        assert set(rows(scope_of(world, "region_admin"))) == {world["org_a"], world["org_b"]}


def test_the_branches_missing_most_come_first_and_the_rest_are_counted(app, world):
    with app.app_context():
        b = world["org_b"]
        full_months(world["org_a"], 2024, [1, 2])
        full_months(b, 2024, [1])
        heat = heat_map(UNRESTRICTED, Q1, max_rows=1)
        assert [row.branch_id for row in heat.rows] == [b] and heat.hidden == 1


def test_the_home_page_shows_the_last_twelve_complete_months(app, world, superadmin_client):
    body = superadmin_client.get("/admin/").get_data(as_text=True)
    cells = re.findall(r'<td[^>]*data-branch="(\d+)" data-month="(\d{6})" data-state="(\w+)"', body)
    with app.app_context():
        months = [month.code for month in clock.months_ending(clock.last_complete_month(clock.today()), 12)]
    assert months[0] == "202304" and months[-1] == "202403"
    assert [month for branch, month, _ in cells if int(branch) == world["org_a"]] == months
    assert {int(branch) for branch, _, _ in cells} == {world["org_a"], world["org_b"]}
    assert {state for _, _, state in cells} == {"missed"}


def test_the_home_page_heat_map_of_branch_staff_holds_their_branch_only(staff_a_client, world):
    body = staff_a_client.get("/admin/").get_data(as_text=True)
    assert set(re.findall(r'data-branch="(\d+)" data-month', body)) == {str(world["org_a"])}
    assert "外科党支部" not in body
