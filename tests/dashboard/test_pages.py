"""The compliance page and the home page over HTTP: scoped rows, links to act on, bad input, and a
number of SQL statements that does not grow with the branches."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pbadmin.extensions import db
from pbadmin.models import Activity, PartyOrganization, Rectification
from pbadmin.plugins.specs import ShykRule
from tests.dashboard.conftest import enable_plugin, far_branch, meet
from tests.test_query_count import statements_for

T = dt.datetime


def attr(body: str, name: str) -> set[str]:
    return set(re.findall(rf'{name}="([^"]+)"', body))


def page(client, query: str = "") -> str:
    answer = client.get(f"/admin/compliance/{query}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_branch_staff_see_only_their_own_rows(app, world, staff_a_client):
    with app.app_context():
        far_branch(world)
    body = page(staff_a_client, "?period=2024Q1")
    assert attr(body, "data-branch") == {str(world["org_a"])}
    assert attr(body, "data-rectification") == {str(world["rectification_a"])}
    assert attr(body, "data-pairing") == {str(world["pairing_a"])}
    assert "外科党支部" not in body and "问题B" not in body


def test_a_region_admin_sees_the_regions_branches(app, world, region_admin_client):
    with app.app_context():
        far_branch(world)
    body = page(region_admin_client, "?period=202402")
    assert attr(body, "data-branch") == {str(world["org_a"]), str(world["org_b"])}
    assert attr(body, "data-rectification") == {str(world["rectification_a"]), str(world["rectification_b"])}


def test_the_default_period_is_the_last_complete_month(viewer_a_client):
    body = page(viewer_a_client)
    assert attr(body, "data-window") >= {"202403", "2024Q1"}
    assert '<option value="202403" selected>' in body


@pytest.mark.parametrize("period", ["abc", "2024", "202413", "2024Q5", "1800Q1", "%00", "999912", "2024Q3"])
def test_a_bad_period_falls_back_to_the_default_with_a_message(viewer_a_client, period):
    body = page(viewer_a_client, f"?period={period}")
    assert '<option value="202403" selected>' in body
    assert "2024Q1" in body and "alert" in body


def test_only_missed_hides_the_met_windows(app, world, staff_a_client):
    with app.app_context():
        meet(world["org_a"], "committee", T(2024, 3, 4, 9))
    everything = page(staff_a_client, "?period=202403")
    missed = page(staff_a_client, "?period=202403&missed=1")
    assert 'data-state="met"' in everything
    assert 'data-state="met"' not in missed and 'data-state="missed"' in missed


def test_staff_get_links_to_record_the_meeting_and_fix_the_rectification(world, staff_a_client):
    body = page(staff_a_client, "?period=202403")
    assert "/admin/activities/new/" in body
    assert f"/admin/rectifications/edit/?id={world['rectification_a']}" in body
    assert "/admin/pairing_reports/new/" in body


def _selected(body: str, field: str) -> set[str]:
    """The values a form's field shows as chosen: a selected option, or an ajax select's data-json id."""
    select = re.search(rf'<(?:select|input)[^>]*\bname="{field}"[^>]*>(.*?)(?:</select>|$)', body, re.S | re.M)
    assert select, f"no field {field}"
    tag = select.group(0)
    chosen = set(re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"', tag))
    chosen |= set(re.findall(r'<option[^>]*value="([^"]*)"[^>]*selected', tag))
    chosen |= set(re.findall(r'data-json="\[(\d+),', tag.split(">", 1)[0].replace("&#34;", '"')))
    chosen |= set(re.findall(r'\bvalue="([^"]+)"', tag.split(">", 1)[0]))
    return chosen


def test_the_record_and_report_links_fill_in_the_branch_the_type_and_the_pairing(app, world, staff_a_client):
    body = page(staff_a_client, "?period=202403")
    record = re.search(r'href="(/admin/activities/new/[^"]*)"', body).group(1).replace("&amp;", "&")
    assert f"organisation={world['org_a']}" in record and "activity_type=" in record
    form = staff_a_client.get(record).get_data(as_text=True)
    assert str(world["org_a"]) in _selected(form, "organisation")
    assert _selected(form, "activity_type") - {"__None", ""}
    report = re.search(r'href="(/admin/pairing_reports/new/[^"]*)"', body).group(1).replace("&amp;", "&")
    form = staff_a_client.get(report).get_data(as_text=True)
    assert str(world["pairing_a"]) in _selected(form, "pairing")
    assert "202403" in _selected(form, "month")


def test_a_prefilled_organisation_outside_the_scope_or_a_bad_value_is_left_blank(world, staff_a_client):
    form = staff_a_client.get(f"/admin/activities/new/?organisation={world['org_b']}&activity_type=abc")
    body = form.get_data(as_text=True)
    assert form.status_code == 200
    assert str(world["org_b"]) not in _selected(body, "organisation")
    assert "外科党支部" not in body
    bad_month = staff_a_client.get("/admin/pairing_reports/new/?month=notamonth&pairing=x")
    assert bad_month.status_code == 200


def test_viewers_get_links_to_read_but_not_to_edit(world, viewer_a_client):
    body = page(viewer_a_client, "?period=202403")
    assert "/admin/activities/new/" not in body and "/admin/pairing_reports/new/" not in body
    assert "/admin/rectifications/edit/" not in body
    assert f"/admin/rectifications/details/?id={world['rectification_a']}" in body


def test_the_held_activities_link_lists_the_branchs_meetings_of_that_window(app, world, staff_a_client, with_plugin):
    with_plugin("strict", rules=[ShykRule("committee", 2, "month")])
    with app.app_context():
        enable_plugin("strict")
        meet(world["org_a"], "committee", T(2024, 2, 6, 9))
        meet(world["org_a"], "committee", T(2024, 3, 6, 9))
        meet(world["org_b"], "committee", T(2024, 2, 7, 9))
    body = page(staff_a_client, "?period=202402")
    links = re.findall(r'class="btn btn-sm btn-link pb-held" href="([^"]+)"', body)
    assert len(links) == 1
    listing = staff_a_client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert "SHYK_COMMITTEE 2024-02-06 09:00" in listing  # records.activity's titles
    assert "SHYK_COMMITTEE 2024-03-06" not in listing and "SHYK_COMMITTEE 2024-02-07" not in listing


def test_a_month_not_over_lists_no_missing_pairing_report(world, staff_a_client):
    assert "data-pairing" not in page(staff_a_client, "?period=202404")
    assert attr(page(staff_a_client, "?period=202402"), "data-month") == {"202402"}


def test_anonymous_visitors_get_nothing(client, world):
    answer = client.get("/admin/compliance/?period=2024Q1")
    assert answer.status_code in (302, 403)
    assert "内科党支部" not in answer.get_data(as_text=True)


def test_the_home_page_links_the_overdue_card_to_the_list(world, viewer_a_client):
    body = viewer_a_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/compliance/#pb-overdue"' in body


def test_the_home_page_loads_chart_js_from_its_own_static_files(client, world, staff_a_client):
    body = staff_a_client.get("/admin/").get_data(as_text=True)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', body)
    assert "/static/vendor/chart.js/chart.umd.min.js" in scripts
    assert not [src for src in scripts if src.startswith(("http:", "https:", "//"))]
    assert client.get("/static/vendor/chart.js/chart.umd.min.js").status_code == 200
    assert client.get("/static/vendor/chart.js/LICENSE.md").status_code == 200


def add_branches(app, world, count: int) -> None:
    """Branches under committee R with a meeting, an overdue rectification each."""
    with app.app_context():
        for index in range(count):
            branch = PartyOrganization(
                code=f"N{index:03d}",
                name=f"新支部{index:03d}",
                kind="branch",
                parent_id=world["committee"],
                region_id=world["region"],
            )
            db.session.add(branch)
            db.session.flush()
            db.session.add(
                Activity(
                    organisation_id=branch.id,
                    activity_type_id=world["type_general"],
                    title=f"大会{index}",
                    starts_at=T(2024, 2, 1 + index % 28, 9),
                )
            )
            db.session.add(
                Rectification(
                    organisation_id=branch.id,
                    problem=f"问题{index}",
                    source="inspection",
                    found_on=dt.date(2024, 1, 1),
                    deadline=dt.date(2024, 2, 1),
                    status="open",
                )
            )
        db.session.commit()


@pytest.mark.parametrize("url", ["/admin/", "/admin/compliance/?period=2024Q1"])
def test_the_statements_do_not_grow_with_the_branches(app, world, superadmin_client, url):
    few = statements_for(app, superadmin_client, url)
    add_branches(app, world, 30)
    many = statements_for(app, superadmin_client, url)
    assert many == few, f"{url}: {few} statements for 2 branches, {many} for 32"


def test_the_charts_and_heat_map_end_at_the_month_asked_for(staff_a_client):
    body = staff_a_client.get("/admin/?until=2023-12").get_data(as_text=True)
    assert "202301–202312" in body  # the charts' span
    assert attr(body, "data-month") == {f"2023{month:02d}" for month in range(1, 13)}
    assert 'value="2023-12"' in body and "alert" not in body


def test_by_default_the_heat_map_ends_at_the_last_complete_month(staff_a_client):
    body = staff_a_client.get("/admin/").get_data(as_text=True)
    assert "202305–202404" in body  # the charts include this month (today is 2024-04-15)
    assert max(attr(body, "data-month")) == "202403"


@pytest.mark.parametrize("until", ["abc", "2024Q1", "2024", "202405", "999912", "%00"])
def test_a_bad_until_falls_back_to_this_month_with_a_message(staff_a_client, until):
    answer = staff_a_client.get(f"/admin/?until={until}")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "202305–202404" in body and "alert" in body


def test_an_empty_window_points_to_the_latest_activity_in_scope(app, staff_a_client):
    app.config["PBADMIN_TODAY"] = "2026-06-15"  # two years after the world's activities
    body = staff_a_client.get("/admin/").get_data(as_text=True)
    assert 'id="pb-earlier-activity"' in body
    assert "2024-03" in body and 'href="/admin/?until=202403"' in body
    shifted = staff_a_client.get("/admin/?until=202403").get_data(as_text=True)
    assert 'id="pb-earlier-activity"' not in shifted
