"""The 三会一课 list: each branch in scope and each rule window due in a month or quarter, met or missed."""

from __future__ import annotations

import datetime as dt

from pbadmin.dashboard.compliance_lists import shyk_windows
from pbadmin.plugins.specs import ShykRule
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import UNRESTRICTED
from tests.dashboard.conftest import enable_plugin, far_branch, full_months, meet, scope_of
from tests.reporting.records import organisation

T = dt.datetime


def states(scope, period: str) -> dict[tuple[int, str, str], bool]:
    """(branch, rule kind, window) → met, for every row of the list."""
    return {
        (row.result.branch_id, row.rule.shyk_kind, row.result.window.code): row.met
        for row in shyk_windows(scope, Period.parse(period))
    }


def test_a_month_is_met_by_a_committee_and_a_group_meeting(app, world):
    with app.app_context():
        a, b = world["org_a"], world["org_b"]
        full_months(a, 2024, [2])
        assert states(UNRESTRICTED, "202402") == {
            (a, "committee", "202402"): True,
            (a, "group", "202402"): True,
            (b, "committee", "202402"): False,
            (b, "group", "202402"): False,
        }


def test_the_quarters_last_month_also_judges_the_quarterly_rules(app, world):
    with app.app_context():
        a = world["org_a"]
        full_months(a, 2024, [1, 2, 3], general_in=[1])
        march = {key: met for key, met in states(UNRESTRICTED, "202403").items() if key[0] == a}
        assert march == {
            (a, "committee", "202403"): True,
            (a, "group", "202403"): True,
            (a, "general", "2024Q1"): True,
            (a, "lecture", "2024Q1"): False,
        }


def test_a_quarter_judges_its_three_months_and_the_quarter(app, world):
    with app.app_context():
        a, b = world["org_a"], world["org_b"]
        full_months(a, 2024, [1, 2, 3], general_in=[2], lecture_in=[3])
        full_months(b, 2024, [1, 3], general_in=[1], lecture_in=[1])
        meet(b, "committee", T(2024, 2, 20, 9))
        rows = states(UNRESTRICTED, "2024Q1")
        assert {key for key in rows if key[0] == a} == {
            *((a, kind, month) for kind in ("committee", "group") for month in ("202401", "202402", "202403")),
            (a, "general", "2024Q1"),
            (a, "lecture", "2024Q1"),
        }
        assert all(met for key, met in rows.items() if key[0] == a)
        assert [key for key, met in rows.items() if not met] == [(b, "group", "202402")]


def test_meetings_just_outside_the_window_do_not_count(app, world):
    with app.app_context():
        a = world["org_a"]
        full_months(a, 2024, [1, 2, 3])
        meet(a, "general", T(2023, 12, 31, 23, 59, 59))
        meet(a, "lecture", T(2024, 4, 1, 0, 0, 0))
        rows = states(UNRESTRICTED, "2024Q1")
        assert rows[a, "general", "2024Q1"] is False
        assert rows[a, "lecture", "2024Q1"] is False
        meet(a, "lecture", T(2024, 3, 31, 23, 59, 59))
        assert states(UNRESTRICTED, "2024Q1")[a, "lecture", "2024Q1"] is True


def test_a_branch_founded_during_the_quarter_owes_only_the_windows_after_its_founding(app, world):
    with app.app_context():
        late = organisation("C", "branch", world["committee"], founded_on=dt.date(2024, 2, 10))
        rows = {key: met for key, met in states(UNRESTRICTED, "2024Q1").items() if key[0] == late}
        assert rows == {(late, "committee", "202403"): False, (late, "group", "202403"): False}


def test_missed_windows_come_first(app, world):
    with app.app_context():
        full_months(world["org_a"], 2024, [2])
        mets = [row.met for row in shyk_windows(UNRESTRICTED, Period.parse("202402"))]
        assert mets == sorted(mets) and mets[0] is False and mets[-1] is True


def test_branch_staff_see_only_their_branch(app, world):
    with app.app_context():
        far_branch(world)
        branches = {row.result.branch_id for row in shyk_windows(scope_of(world, "staff_a"), Period.parse("202402"))}
        assert branches == {world["org_a"]}


def test_a_region_admin_sees_the_branches_of_the_region_only(app, world):
    with app.app_context():
        y = far_branch(world)
        everyone = {row.result.branch_id for row in shyk_windows(UNRESTRICTED, Period.parse("202402"))}
        region = {row.result.branch_id for row in shyk_windows(scope_of(world, "region_admin"), Period.parse("202402"))}
        assert everyone == {world["org_a"], world["org_b"], y}
        assert region == {world["org_a"], world["org_b"]}


def test_a_plugins_rules_govern_the_branches_of_its_region(app, world, with_plugin):
    with_plugin("strict", rules=[ShykRule("committee", 2, "month")])
    with app.app_context():
        enable_plugin("strict")
        a, y = world["org_a"], far_branch(world)
        meet(a, "committee", T(2024, 2, 6, 9))
        meet(y, "committee", T(2024, 2, 6, 9))
        rows = {
            (row.result.branch_id, row.rule.shyk_kind): row
            for row in shyk_windows(UNRESTRICTED, Period.parse("202402"))
        }
        assert (a, "group") not in rows  # the plugin's region 331004 has no 党小组会 rule
        assert (rows[a, "committee"].result.required, rows[a, "committee"].result.held) == (2, 1)
        assert not rows[a, "committee"].met and rows[a, "committee"].plugins == ("strict",)
        assert rows[y, "committee"].met and (y, "group") in rows  # 510114 keeps DOMAIN.md's rules
        assert rows[y, "committee"].plugins == ()


def test_a_disabled_plugins_rules_do_not_apply(app, world, with_plugin):
    with_plugin("strict", rules=[ShykRule("committee", 2, "month")])
    with app.app_context():
        a = world["org_a"]
        meet(a, "committee", T(2024, 2, 6, 9))
        rows = {
            (row.result.branch_id, row.rule.shyk_kind): row.met
            for row in shyk_windows(UNRESTRICTED, Period.parse("202402"))
        }
        assert rows[a, "committee"] is True and (a, "group") in rows
