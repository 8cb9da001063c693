"""The charts' data: activities per month by type, people served per month, members by status and
activity per brand, each counted over the user's scope, and the JSON the home page hands Chart.js."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from pbadmin.dashboard.charts import activities_by_type, brand_activity, chart_data, members_by_status, people_served
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import UNRESTRICTED
from tests.dashboard.conftest import meet, scope_of
from tests.reporting.records import member

T = dt.datetime
MONTHS = [Period.parse(code) for code in ("202401", "202402", "202403", "202404")]
LABELS = ["2024-01", "2024-02", "2024-03", "2024-04"]


def series(chart: dict) -> dict[str, list[int]]:
    return {dataset["label"]: dataset["data"] for dataset in chart["datasets"]}


def record_activities(world) -> None:
    """On top of the world's three 主题党日 of 2024-03-05 (12 people served each)."""
    a, b = world["org_a"], world["org_b"]
    meet(a, "committee", T(2024, 2, 1, 0, 0), people_served=5, brand_id=world["brand_a"])
    meet(a, "committee", T(2024, 2, 29, 23, 59), brand_id=world["brand_a"])
    meet(b, "committee", T(2024, 3, 8, 9), people_served=7, brand_id=world["brand_b"])
    meet(a, "committee", T(2023, 12, 31, 23, 59), people_served=100, brand_id=world["brand_a"])  # before the months
    meet(a, "committee", T(2024, 5, 1, 0, 0), people_served=100, brand_id=world["brand_b"])  # after them


def test_activities_are_counted_per_month_and_type(app, world):
    with app.app_context():
        record_activities(world)
        chart = activities_by_type(UNRESTRICTED, MONTHS)
        assert chart["labels"] == LABELS
        assert series(chart) == {"支委会": [0, 2, 1, 0], "主题党日": [0, 0, 3, 0]}
        assert series(activities_by_type(scope_of(world, "staff_a"), MONTHS)) == {
            "支委会": [0, 2, 0, 0],
            "主题党日": [0, 0, 1, 0],
        }


def test_people_served_are_summed_per_month(app, world):
    with app.app_context():
        record_activities(world)
        assert [d["data"] for d in people_served(UNRESTRICTED, MONTHS)["datasets"]] == [[0, 5, 43, 0]]
        assert [d["data"] for d in people_served(scope_of(world, "staff_a"), MONTHS)["datasets"]] == [[0, 5, 12, 0]]
        assert [d["data"] for d in people_served(scope_of(world, "region_admin"), MONTHS)["datasets"]] == [
            [0, 5, 31, 0]
        ]


def test_members_are_counted_by_status_in_the_statuses_order(app, world):
    with app.app_context():
        a = world["org_a"]
        member(a, "transferred")
        member(a, "probationary")
        member(a, "probationary")
        chart = members_by_status(scope_of(world, "staff_a"))
        assert chart["codes"] == ["full", "probationary", "transferred"]
        assert chart["datasets"][0]["data"] == [3, 2, 1]
        everyone = members_by_status(UNRESTRICTED)
        assert dict(zip(everyone["codes"], everyone["datasets"][0]["data"], strict=True)) == {
            "full": 9,
            "probationary": 2,
            "transferred": 1,
        }


def test_brands_are_ranked_by_their_activities_in_the_months(app, world):
    with app.app_context():
        record_activities(world)
        chart = brand_activity(UNRESTRICTED, MONTHS)
        assert (chart["labels"], chart["datasets"][0]["data"]) == (["品牌A", "品牌B"], [2, 1])
        staff = brand_activity(scope_of(world, "staff_a"), MONTHS)
        assert (staff["labels"], staff["datasets"][0]["data"]) == (["品牌A"], [2])


def page_charts(client) -> dict:
    body = client.get("/admin/").get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="pb-dashboard-data">(.*?)</script>', body, re.S)
    assert match, "no chart data on the home page"
    return json.loads(html.unescape(match.group(1)))["charts"]


def test_the_home_page_hands_the_charts_the_users_own_figures(app, world, staff_a_client):
    with app.app_context():
        record_activities(world)
    charts = page_charts(staff_a_client)
    with app.app_context():
        months = [Period.parse(f"2023{month:02d}") for month in range(5, 13)] + MONTHS
        assert charts == json.loads(json.dumps(chart_data(scope_of(world, "staff_a"), months)))
    assert charts["brands"]["labels"] == ["品牌A"]
    assert charts["activities"]["labels"][-1] == "2024-04"  # the running month, as of the pinned today


def test_the_superadmins_charts_cover_every_branch(app, world, superadmin_client):
    with app.app_context():
        record_activities(world)
    charts = page_charts(superadmin_client)
    assert charts["brands"]["labels"] == ["品牌A", "品牌B"]
    assert sum(charts["members"]["datasets"][0]["data"]) == 9
