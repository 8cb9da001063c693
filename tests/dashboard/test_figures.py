"""The home page's key figures: counted over the user's scope, as of the (pinned) date."""

from __future__ import annotations

import datetime as dt
import re

from pbadmin.dashboard.figures import key_figures
from pbadmin.security.scoping import UNRESTRICTED
from tests.dashboard.conftest import TODAY, scope_of
from tests.reporting.records import member, organisation


def cards(client) -> dict[str, int]:
    body = client.get("/admin/").get_data(as_text=True)
    return {key: int(value) for key, value in re.findall(r'data-figure="(\w+)">(\d+)<', body)}


def test_the_superadmin_counts_everything(superadmin_client):
    figures = cards(superadmin_client)
    assert {key: figures[key] for key in ("organisations", "branches", "members", "members_full")} == {
        "organisations": 4,
        "branches": 2,
        "members": 9,
        "members_full": 9,
    }
    assert figures["activities_this_year"] == 3 and figures["served_this_year"] == 36
    assert figures["rectifications_open"] == 3 and figures["rectifications_overdue"] == 3


def test_branch_staff_count_their_branch_only(staff_a_client):
    figures = cards(staff_a_client)
    assert figures["organisations"] == figures["branches"] == 1
    assert (figures["members"], figures["activities_this_year"], figures["served_this_year"]) == (3, 1, 12)
    assert figures["rectifications_open"] == figures["rectifications_overdue"] == 1


def test_a_region_admin_counts_the_region(region_admin_client):
    figures = cards(region_admin_client)
    assert (figures["organisations"], figures["branches"], figures["members"]) == (3, 2, 6)


def test_only_those_who_approve_reports_see_reports_awaiting(superadmin_client, viewer_a_client):
    assert "reports_awaiting" in cards(superadmin_client)
    assert "reports_awaiting" not in cards(viewer_a_client)


def test_members_are_full_and_probationary_ones_and_organisations_those_standing(app, world):
    with app.app_context():
        a = world["org_a"]
        member(a, "probationary")
        member(a, "transferred")
        organisation("OLD", "branch", world["committee"], dissolved_on=dt.date(2024, 1, 31))
        organisation("NEW", "branch", world["committee"], founded_on=dt.date(2024, 5, 1))
        figures = key_figures(UNRESTRICTED, TODAY, with_reports=False)
        assert (figures["members"], figures["members_full"], figures["members_probationary"]) == (10, 9, 1)
        assert (figures["organisations"], figures["branches"]) == (4, 2)
        assert "reports_awaiting" not in figures


def test_this_year_follows_the_date(app, world):
    with app.app_context():
        assert key_figures(scope_of(world, "staff_a"), dt.date(2025, 1, 2), False)["activities_this_year"] == 0
        assert key_figures(UNRESTRICTED, dt.date(2024, 3, 1), False)["rectifications_overdue"] == 0
