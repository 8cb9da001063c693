"""Rectifications past their deadline, and pairings whose monthly progress report is missing."""

from __future__ import annotations

import datetime as dt

from pbadmin.admin.compliance import ended_months
from pbadmin.dashboard.compliance_lists import missing_pairing_reports, overdue_rectifications
from pbadmin.models import Pairing, PairingReport, Rectification
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import UNRESTRICTED
from tests.dashboard.conftest import TODAY, scope_of
from tests.reporting.records import save

D = dt.date
Q1 = Period.parse("2024Q1").windows("month")


def rectification(org_id: int, deadline: dt.date, status: str, **values) -> int:
    row = Rectification(
        organisation_id=org_id,
        problem=f"问题 {deadline} {status}",
        source="inspection",
        found_on=D(2024, 1, 1),
        deadline=deadline,
        status=status,
        **values,
    )
    return save(row).id


def test_open_rectifications_past_their_deadline_are_overdue_the_longest_first(app, world):
    with app.app_context():
        a = world["org_a"]
        yesterday = rectification(a, TODAY - dt.timedelta(days=1), "in_progress")
        rectification(a, TODAY, "open")  # due today: not overdue yet
        rectification(a, D(2024, 1, 1), "closed", closed_on=D(2024, 2, 1))
        overdue = overdue_rectifications(UNRESTRICTED, TODAY)
        assert [(item.id, item.days_overdue) for item in overdue] == [
            (world["rectification_a"], 45),
            (world["rectification_b"], 45),
            (world["rectification_x"], 45),
            (yesterday, 1),
        ]
        assert overdue[0].responsible == "党员A1" and overdue[0].organisation == "内科党支部"


def test_staff_see_only_their_branchs_overdue_rectifications(app, world):
    with app.app_context():
        assert [item.id for item in overdue_rectifications(scope_of(world, "staff_a"), TODAY)] == [
            world["rectification_a"]
        ]
        region = {item.id for item in overdue_rectifications(scope_of(world, "region_admin"), TODAY)}
        assert region == {world["rectification_a"], world["rectification_b"]}


def missing(scope, months=Q1) -> set[tuple[int, int]]:
    return {(item.pairing_id, item.month) for item in missing_pairing_reports(scope, months)}


def test_a_pairing_under_way_misses_each_month_without_a_report(app, world):
    with app.app_context():
        a, b = world["pairing_a"], world["pairing_b"]
        assert missing(UNRESTRICTED) == {(a, 202401), (a, 202402), (a, 202403), (b, 202401), (b, 202403)}
        save(PairingReport(pairing_id=a, month=202402, content="二月", submitted_on=D(2024, 3, 2)))
        assert (a, 202402) not in missing(UNRESTRICTED)


def test_only_the_months_a_pairing_was_under_way_are_chased(app, world):
    with app.app_context():
        org_a, org_b = world["org_a"], world["org_b"]
        late = save(Pairing(helper_id=org_a, helped_id=org_b, started_on=D(2024, 2, 15), status="active")).id
        ended = save(
            Pairing(
                helper_id=org_a, helped_id=org_b, started_on=D(2023, 6, 1), ended_on=D(2024, 2, 10), status="completed"
            )
        ).id
        undated = save(Pairing(helper_id=org_a, helped_id=org_b, started_on=D(2023, 7, 1), status="ended")).id
        found = missing(UNRESTRICTED)
        assert {month for pairing, month in found if pairing == late} == {202402, 202403}
        assert {month for pairing, month in found if pairing == ended} == {202401, 202402}
        assert not {month for pairing, month in found if pairing == undated}


def test_staff_see_only_pairings_their_branch_takes_part_in(app, world):
    with app.app_context():
        assert {pairing for pairing, _ in missing(scope_of(world, "staff_a"))} == {world["pairing_a"]}


def test_a_month_not_over_yet_has_no_missing_report():
    assert ended_months(Period.parse("2024Q2"), TODAY) == []
    assert ended_months(Period.parse("2024Q1"), TODAY) == Q1
    assert ended_months(Period.parse("202404"), dt.date(2024, 5, 1)) == [Period.parse("202404")]
