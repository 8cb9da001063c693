"""三会一课 compliance: DOMAIN.md's default rules, when each is due, and a plugin's own rules.

The world (tests.helpers): committee R over branches A and B; committee X elsewhere.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import org_tree
from pbadmin.plugins.specs import ShykRule
from pbadmin.reporting.compliance import DEFAULT_RULES, branch_compliance, compliant_branches, describe
from pbadmin.reporting.metrics import shyk_rules_for
from pbadmin.reporting.periods import Period
from tests.reporting.records import activity, activity_type, organisation, report

T = dt.datetime


def meetings(branch: int, months, general_in=(), lecture_in=(), committee_skips=()) -> None:
    """A 支委会 and a 党小组会 in each of ``months`` of 2024 (no 支委会 in ``committee_skips``), a
    支部党员大会 in each of ``general_in`` and a 党课 in each of ``lecture_in``."""
    activity_type("SHYK_GROUP", "shyk", "group")
    activity_type("SHYK_LECTURE", "shyk", "lecture")
    for month in months:
        if month not in committee_skips:
            activity(branch, "SHYK_COMMITTEE", T(2024, month, 5, 16))
        activity(branch, "SHYK_GROUP", T(2024, month, 12, 16))
    for month in general_in:
        activity(branch, "SHYK_GENERAL", T(2024, month, 20, 15))
    for month in lecture_in:
        activity(branch, "SHYK_LECTURE", T(2024, month, 26, 15))


def compliant(org_id: int, *periods: str) -> list[int]:
    """PB_SHYK_COMPLIANT of the organisation's core report for each period."""
    return [report("core", org_id, period)["PB_SHYK_COMPLIANT"] for period in periods]


def subtree(org_id: int):
    return org_tree.subtree_ids([org_id])


def test_the_default_rules_are_domain_md_s():
    assert DEFAULT_RULES == (
        ShykRule("general", 1, "quarter"),
        ShykRule("committee", 1, "month"),
        ShykRule("group", 1, "month"),
        ShykRule("lecture", 1, "quarter"),
    )
    assert [describe(rule) for rule in DEFAULT_RULES] == [
        "支部党员大会每季度至少 1 次",
        "支委会每月至少 1 次",
        "党小组会每月至少 1 次",
        "党课每季度至少 1 次",
    ]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (("meeting", 1, "month"), "shyk_kind"),
        (("committee", 1, "week"), "per"),
        (("committee", 0, "month"), "minimum"),
    ],
)
def test_a_rule_refuses_an_unknown_kind_frequency_or_a_minimum_below_one(rule, problem):
    with pytest.raises(ValueError, match=problem):
        ShykRule(*rule)


def test_a_branch_that_keeps_every_rule_is_compliant_while_it_stands(app, world):
    with app.app_context():
        a, b, r = world["org_a"], world["org_b"], world["committee"]
        meetings(a, (1, 2, 3), general_in=(2,), lecture_in=(3,))
        gone = organisation("E", "branch", r, dissolved_on=dt.date(2024, 3, 31))
        meetings(gone, (1, 2, 3), general_in=(2,), lecture_in=(3,))
        # A all along; E too until it was dissolved on the last day of March; B never
        assert compliant(r, "202401", "202402", "202403", "2024Q1") == [2, 2, 1, 1]
        assert compliant(a, "202403", "2024Q1") == [1, 1]
        assert compliant(b, "202403", "2024Q1") == [0, 0]


def test_missing_one_monthly_committee_meeting_breaks_compliance_where_that_month_is_due(app, world):
    with app.app_context():
        a = world["org_a"]
        meetings(a, (1, 2, 3), general_in=(2,), lecture_in=(3,), committee_skips=(2,))
        # February's report and Q1's see the missing 支委会; January's and March's do not check February
        assert compliant(a, "202401", "202402", "202403", "2024Q1", "2024") == [1, 0, 1, 0, 0]


def test_quarterly_rules_are_due_only_in_the_last_month_of_the_quarter(app, world):
    with app.app_context():
        a = world["org_a"]
        meetings(a, (1, 2, 3, 4))  # every monthly meeting, but no 支部党员大会 and no 党课 in Q1
        assert compliant(a, "202401", "202402", "202403", "202404", "2024Q1") == [1, 1, 0, 1, 0]


def test_a_branch_is_not_due_for_windows_that_began_before_it_was_founded(app, world):
    with app.app_context():
        r = world["committee"]
        late = organisation("C", "branch", r, founded_on=dt.date(2024, 5, 15))
        meetings(late, range(6, 13), general_in=(8, 11), lecture_in=(9, 12))
        on_time = organisation("D", "branch", r, founded_on=dt.date(2024, 6, 1))
        meetings(on_time, range(7, 13), general_in=(8, 11), lecture_in=(9, 12))  # nothing in June
        assert compliant(late, "2024", "202405", "2024Q2") == [1, 1, 1]  # May and Q2 were not due
        assert compliant(on_time, "2024", "2024Q2") == [0, 0]  # June was due: founded on its first day
        assert compliant(r, "2024") == [1]
        windows = {
            (row.rule.shyk_kind, row.window.code)
            for row in branch_compliance(subtree(late), Period.parse("2024"), DEFAULT_RULES)
        }
        months = {f"2024{month:02d}" for month in range(6, 13)}
        assert windows == {(kind, month) for kind in ("committee", "group") for month in months} | {
            (kind, quarter) for kind in ("general", "lecture") for quarter in ("2024Q3", "2024Q4")
        }


def test_a_plugin_overrides_the_rules_through_its_shyk_rules_hook(app, world, with_plugin):
    strict = [ShykRule("committee", 2, "month")]
    with_plugin("strict", rules=strict)
    with app.app_context():
        a, b, r = world["org_a"], world["org_b"], world["committee"]
        activity(a, "SHYK_COMMITTEE", T(2024, 3, 5, 16))
        activity(b, "SHYK_COMMITTEE", T(2024, 3, 5, 16))
        activity(b, "SHYK_COMMITTEE", T(2024, 3, 19, 16))
        assert shyk_rules_for("strict") == strict
        assert report("strict", r, "202403")["PB_SHYK_COMPLIANT"] == 1  # B held two
        assert report("core", r, "202403")["PB_SHYK_COMPLIANT"] == 0  # no 党小组会, no 党课, …


def test_a_plugin_without_the_hook_and_core_keep_the_default_rules(app, with_plugin):
    with_plugin("plain")
    with app.app_context():
        assert shyk_rules_for("plain") == shyk_rules_for("core") == shyk_rules_for(None) == list(DEFAULT_RULES)


def test_a_hook_answering_something_else_than_rules_is_refused(app, with_plugin):
    with_plugin("sloppy", rules=[("committee", 1, "month")])
    with app.app_context(), pytest.raises(TypeError, match="ShykRule"):
        shyk_rules_for("sloppy")


def test_branch_compliance_lists_each_branch_in_each_window_due(app, world):
    with app.app_context():
        a, r = world["org_a"], world["committee"]
        meetings(a, (3,), general_in=(2, 3), lecture_in=())
        elsewhere = organisation("Y", "branch", world["org_x"])
        meetings(elsewhere, (3,))
        rows = branch_compliance(subtree(r), Period.parse("202403"), DEFAULT_RULES)
        got = {(row.branch_id, row.rule.shyk_kind, row.window.code): (row.required, row.held, row.met) for row in rows}
        assert got == {
            (a, "general", "2024Q1"): (1, 2, True),
            (a, "committee", "202403"): (1, 1, True),
            (a, "group", "202403"): (1, 1, True),
            (a, "lecture", "2024Q1"): (1, 0, False),
            (world["org_b"], "general", "2024Q1"): (1, 0, False),
            (world["org_b"], "committee", "202403"): (1, 0, False),
            (world["org_b"], "group", "202403"): (1, 0, False),
            (world["org_b"], "lecture", "2024Q1"): (1, 0, False),
        }
        assert {row.branch_id: row.branch_name for row in rows} == {a: "内科党支部", world["org_b"]: "外科党支部"}
        # each branch's rows come together, in rule order
        assert [row.branch_id for row in rows] in ([a] * 4 + [world["org_b"]] * 4, [world["org_b"]] * 4 + [a] * 4)
        assert [row.rule.shyk_kind for row in rows[:4]] == ["general", "committee", "group", "lecture"]


def test_with_no_rule_due_every_standing_branch_is_compliant_and_nothing_is_listed(app, world):
    yearly = [ShykRule("general", 1, "year")]
    with app.app_context():
        r = world["committee"]
        march = Period.parse("202403")
        assert db.session.scalar(select(compliant_branches(subtree(r), march, yearly))) == 2
        assert branch_compliance(subtree(r), march, yearly) == []
        assert db.session.scalar(select(compliant_branches(subtree(r), Period.parse("2024"), yearly))) == 0
