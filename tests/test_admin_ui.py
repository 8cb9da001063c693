"""The admin in use: Chinese by default, English on request, lists that search, filter,
sort, page and export, detail pages, the organisation tree, attendance on the activity form."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from pbadmin.admin import CORE_VIEWS
from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, Attendance, Member, PartyOrganization
from tests.helpers import submit

ENDPOINTS = [endpoint for *_, endpoint in CORE_VIEWS]
#: views nobody creates records in: the audit log, reports (built, never typed in), ID-number collisions (recorded)
READ_ONLY = {endpoint for view_class, *_, endpoint in CORE_VIEWS if view_class.can_create is False}


def filter_param(app, endpoint: str, column: str, operation: str) -> str:
    """The URL argument Flask-Admin uses for a view's filter on ``column`` with ``operation``."""
    view = next(v for v in app.extensions["pbadmin_admin"]._views if v.endpoint == endpoint)
    with app.test_request_context():
        for arg, (_index, flt) in view._filter_args.items():
            column_key = getattr(getattr(flt, "column", None), "key", None)
            op = flt.operation()
            op_text = op._args[0] if hasattr(op, "_args") else str(op)
            if column_key == column and op_text == operation:
                return f"flt0_{arg}"
    raise AssertionError(f"no {operation!r} filter on {endpoint}.{column}")


def list_rows(body: str) -> int:
    return len(re.findall(r'<input type="checkbox" name="rowid"', body))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_create_and_detail_page_renders_for_the_superadmin(superadmin_client, endpoint):
    listing = superadmin_client.get(f"/admin/{endpoint}/")
    assert listing.status_code == 200
    body = listing.get_data(as_text=True)
    if endpoint not in READ_ONLY:
        assert superadmin_client.get(f"/admin/{endpoint}/new/").status_code == 200
    match = re.search(rf"/admin/{endpoint}/details/\?id=(\d+)", body)
    if match:
        assert superadmin_client.get(f"/admin/{endpoint}/details/?id={match.group(1)}").status_code == 200


def test_the_read_only_views_are_the_log_the_reports_and_the_collisions():
    assert READ_ONLY == {"audit", "reports", "id_collisions"}


def test_labels_are_chinese_by_default(staff_a_client):
    body = staff_a_client.get("/admin/members/").get_data(as_text=True)
    assert "党员" in body and "党组织" in body
    assert "Members" not in body and "Party organisation" not in body


def test_english_on_request_and_remembered(staff_a_client):
    body = staff_a_client.get("/admin/members/?lang=en").get_data(as_text=True)
    assert "Members" in body and "Party organisation" in body
    again = staff_a_client.get("/admin/activities/").get_data(as_text=True)
    assert "Activities" in again
    back = staff_a_client.get("/lang/zh_Hans_CN?next=/admin/activities/")
    assert back.headers["Location"].endswith("/admin/activities/")
    assert "活动" in staff_a_client.get("/admin/activities/").get_data(as_text=True)


def test_search_finds_by_name(region_admin_client, world):
    body = region_admin_client.get("/admin/members/?search=党员B1").get_data(as_text=True)
    assert "党员B1" in body and "党员A1" not in body


def test_organisation_subtree_filter(app, region_admin_client, world):
    param = filter_param(app, "members", "organisation_id", "in subtree of")
    by_name = region_admin_client.get(f"/admin/members/?{param}=外科").get_data(as_text=True)
    assert "党员B0" in by_name and "党员A0" not in by_name
    by_code = region_admin_client.get(f"/admin/members/?{param}=R").get_data(as_text=True)
    assert "党员A0" in by_code and "党员B0" in by_code


def test_type_status_and_date_range_filters(app, superadmin_client, world):
    with app.app_context():
        general = db.session.get(ActivityType, world["type_general"])
        org = db.session.get(PartyOrganization, world["org_a"])
        db.session.add(
            Activity(
                organisation=org,
                activity_type=general,
                title="四月支部党员大会",
                starts_at=dt.datetime(2024, 4, 10, 14, 0),
            )
        )
        member = db.session.get(Member, world["member_a"])
        member.status = "probationary"
        db.session.commit()
    by_type = superadmin_client.get(
        f"/admin/activities/?{filter_param(app, 'activities', 'activity_type_id', 'equals')}={world['type_general']}"
    ).get_data(as_text=True)
    assert "四月支部党员大会" in by_type and "主题党日A" not in by_type
    between = filter_param(app, "activities", "starts_at", "between")
    april = superadmin_client.get(f"/admin/activities/?{between}=2024-04-01 00:00:00 to 2024-04-30 23:59:59")
    body = april.get_data(as_text=True)
    assert "四月支部党员大会" in body and "主题党日A" not in body
    status = filter_param(app, "members", "status", "equals")
    body = superadmin_client.get(f"/admin/members/?{status}=probationary").get_data(as_text=True)
    assert "党员A0" in body and "党员A1" not in body


def test_sorting_and_pagination(app, superadmin_client, world):
    with app.app_context():
        org = db.session.get(PartyOrganization, world["org_a"])
        theme = db.session.get(ActivityType, world["type_theme"])
        for day in range(1, 26):
            db.session.add(
                Activity(
                    organisation=org,
                    activity_type=theme,
                    title=f"批量活动{day:02d}",
                    starts_at=dt.datetime(2023, 1, day, 9, 0),
                )
            )
        db.session.commit()
    first = superadmin_client.get("/admin/activities/?page_size=20").get_data(as_text=True)
    assert list_rows(first) == 20
    second = superadmin_client.get("/admin/activities/?page=1&page_size=20").get_data(as_text=True)
    assert list_rows(second) == 28 - 20
    # default sort: newest first; sort=0 ascending on the first column puts 2023-01-01 first
    assert first.index("主题党日A") < first.index("批量活动25")
    ascending = superadmin_client.get("/admin/activities/?sort=0&page_size=100").get_data(as_text=True)
    assert ascending.index("批量活动01") < ascending.index("批量活动25")


def test_csv_and_xlsx_exports_follow_scope_and_filters(app, staff_a_client, world):
    csv_answer = staff_a_client.get("/admin/members/export/csv/")
    rows = list(csv.reader(io.StringIO(csv_answer.get_data(as_text=True))))
    assert [r[0] for r in rows[1:]] == ["党员A0", "党员A1", "党员A2"]
    xlsx_answer = staff_a_client.get("/admin/members/export/xlsx/?search=党员A1")
    assert xlsx_answer.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_answer.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][0] == "党员A1"
    assert "姓名" in values[0] or "名称" in values[0] or "Name" in values[0]


def test_detail_page_shows_attendance(staff_a_client, world):
    body = staff_a_client.get(f"/admin/activities/details/?id={world['activity_a']}").get_data(as_text=True)
    assert "主题党日A" in body and "党员A0" in body


def test_organisation_tree_page_shows_the_scope_as_a_tree(region_admin_client, staff_a_client):
    body = region_admin_client.get("/admin/org_tree/").get_data(as_text=True)
    assert body.index("区中医院党委") < body.index("内科党支部")
    assert "外科党支部" in body and "新都区人民医院党委" not in body
    staff_body = staff_a_client.get("/admin/org_tree/").get_data(as_text=True)
    assert "内科党支部" in staff_body and "外科党支部" not in staff_body and "区中医院党委" not in staff_body


def test_attendance_is_edited_on_the_activity_form(app, staff_a_client, world):
    form = {
        "title": "五月党课",
        "activity_type": world["type_general"],
        "organisation": world["org_a"],
        "starts_at": "2024-05-20 15:00:00",
        "people_served": "0",
        "volunteer_hours": "0",
    }
    for index, key in enumerate(("member_a", "member2_a")):
        form[f"attendance-{index}-member"] = world[key]
        form[f"attendance-{index}-status"] = "present" if index == 0 else "leave"
    assert submit(staff_a_client, "/admin/activities/new/", form).status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "五月党课"))
        statuses = {row.member.name: row.status for row in activity.attendance}
    assert statuses == {"党员A0": "present", "党员A1": "leave"}


def test_ajax_lookup_never_returns_more_than_a_page(app, superadmin_client, world):
    with app.app_context():
        org = db.session.get(PartyOrganization, world["org_a"])
        for index in range(60):
            db.session.add(Member(name=f"批量党员{index:02d}", gender="male", organisation=org, status="full"))
        db.session.commit()
    answer = superadmin_client.get("/admin/donations/ajax/lookup/?name=member&query=批量党员")
    assert 0 < len(answer.get_json()) <= 20


def test_list_page_select_boxes_never_load_all_members(app, superadmin_client, world):
    body = superadmin_client.get("/admin/donations/new/").get_data(as_text=True)
    assert 'data-role="select2-ajax"' in body
    assert "党员A0" not in body and "党员B0" not in body


def test_attendance_row_count_matches(app, world):
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Attendance)) == 3
