"""The dashboard in a real browser: Chart.js, served by the app itself, draws the four charts and the
heat map shows every branch's months; nothing is fetched from anywhere but 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from pbadmin.extensions import db
from pbadmin.models import Activity
from tests.helpers import PASSWORD

CHARTS = ("pb-chart-activities", "pb-chart-served", "pb-chart-members", "pb-chart-brands")


def test_the_dashboard_draws_its_charts_and_heat_map_offline(live_server, browser_page, app, world):
    app.config["PBADMIN_TODAY"] = "2024-04-15"
    with app.app_context():
        db.session.add(
            Activity(
                organisation_id=world["org_a"],
                activity_type_id=world["type_general"],
                brand_id=world["brand_a"],
                title="支部党员大会",
                starts_at=dt.datetime(2024, 2, 20, 15),
                people_served=30,
            )
        )
        db.session.commit()
    page = browser_page
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server}/login")
    page.locator("#username").fill("region_admin")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("load")

    for chart_id in CHARTS:
        assert page.evaluate("id => !!Chart.getChart(document.getElementById(id))", chart_id), chart_id
    drawn = page.evaluate(
        "id => Chart.getChart(document.getElementById(id)).data.datasets.map(d => d.data)", "pb-chart-served"
    )
    assert drawn == [[0] * 9 + [30, 24, 0]]  # the region: A and B, not X

    cells = page.locator("#pb-heatmap td[data-branch][data-month][data-state]")
    assert cells.count() == 2 * 12  # branches A and B, twelve months
    states = set(cells.evaluate_all("cells => cells.map(c => c.dataset.state)"))
    assert states <= {"met", "missed", "none"} and "missed" in states

    assert errors == []
    assert hosts and set(hosts) == {"127.0.0.1"}, sorted(set(hosts))
