"""Bad input gets a clear message on the form (or HTTP 413), never a 500, and nothing half-saved."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, Attendance, Brand, Member, PartyOrganization
from tests.helpers import submit


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def member_form(world, **extra):
    data = {"name": "张三", "gender": "male", "organisation": world["org_a"], "status": "full"}
    data.update(extra)
    return data


def test_over_long_name_is_refused_on_the_form(app, staff_a_client, world):
    before = count(app, Member)
    answer = submit(staff_a_client, "/admin/members/new/", member_form(world, name="长" * 51))
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "50" in body and "is-invalid" in body
    assert count(app, Member) == before


def test_impossible_date_is_refused_on_the_form(app, staff_a_client, world):
    before = count(app, Member)
    answer = submit(staff_a_client, "/admin/members/new/", member_form(world, birth_date="2023-02-30"))
    assert answer.status_code == 200
    assert "is-invalid" in answer.get_data(as_text=True)
    assert count(app, Member) == before


def test_duplicate_single_column_unique_value_is_refused(app, superadmin_client, world):
    before = count(app, PartyOrganization)
    answer = submit(
        superadmin_client,
        "/admin/organisations/new/",
        {
            "code": "A",
            "name": "重复编码支部",
            "kind": "branch",
            "parent": world["committee"],
            "region": world["region"],
        },
    )
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "is-invalid" in body or "已存在" in body or "already exists" in body
    assert count(app, PartyOrganization) == before


def test_duplicate_composite_unique_value_gets_a_plain_message(app, region_admin_client, world):
    before = count(app, Brand)
    answer = submit(
        region_admin_client, "/admin/brands/new/", {"name": "品牌A", "organisation": world["org_a"], "active": "y"}
    )
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert ("已存在" in body or "already exists" in body) and "IntegrityError" not in body
    assert count(app, Brand) == before


def test_a_check_rule_is_explained(app, staff_a_client, world):
    answer = submit(
        staff_a_client,
        "/admin/rectifications/new/",
        {
            "organisation": world["org_a"],
            "problem": "日期倒置",
            "source": "inspection",
            "found_on": "2024-05-01",
            "deadline": "2024-04-01",
            "status": "open",
        },
    )
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "早于问题发现日期" in body or "deadline is earlier" in body


def test_twenty_megabyte_upload_gets_413_and_saves_nothing(app, staff_a_client, world):
    before = count(app, Activity)
    token_page = staff_a_client.get("/admin/activities/new/")
    assert token_page.status_code == 200
    answer = staff_a_client.post(
        "/admin/activities/new/",
        data={"title": "大附件", "new_attachments": (io.BytesIO(b"\0" * (20 * 1024 * 1024)), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    assert "MB" in answer.get_data(as_text=True)
    assert count(app, Activity) == before


def test_attachment_over_the_per_file_limit_saves_nothing(app, staff_a_client, world):
    app.config["PBADMIN_MAX_ATTACHMENT_BYTES"] = 1024
    before = count(app, Activity)
    answer = submit(
        staff_a_client,
        "/admin/activities/new/",
        {
            "title": "附件过大",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-06-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "new_attachments": (io.BytesIO(b"x" * 4096), "minutes.pdf"),
        },
    )
    assert answer.status_code == 200
    assert "minutes.pdf" in answer.get_data(as_text=True)
    assert count(app, Activity) == before


def test_attachment_is_stored_and_downloadable_in_scope_only(app, staff_a_client, world):
    answer = submit(
        staff_a_client,
        "/admin/activities/new/",
        {
            "title": "带附件的活动",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-06-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "new_attachments": (io.BytesIO(b"minutes of the meeting"), "minutes.txt"),
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "带附件的活动"))
        attachment_id = activity.attachments[0].id
    download = staff_a_client.get(f"/admin/activities/attachment/{attachment_id}")
    assert download.status_code == 200 and download.data == b"minutes of the meeting"
    from tests.helpers import login

    other = app.test_client()
    login(other, "staff_b")
    assert other.get(f"/admin/activities/attachment/{attachment_id}").status_code == 404


def test_one_bad_attendance_row_saves_neither_the_activity_nor_any_row(app, staff_a_client, world):
    activities, rows = count(app, Activity), count(app, Attendance)
    answer = submit(
        staff_a_client,
        "/admin/activities/new/",
        {
            "title": "半截保存",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-06-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "attendance-0-member": world["member_a"],
            "attendance-0-status": "present",
            "attendance-1-member": world["member_b"],
            "attendance-1-status": "present",
        },
    )
    assert answer.status_code == 200
    assert (count(app, Activity), count(app, Attendance)) == (activities, rows)


def test_the_same_member_twice_in_attendance_is_refused_cleanly(app, staff_a_client, world):
    activities = count(app, Activity)
    answer = submit(
        staff_a_client,
        "/admin/activities/new/",
        {
            "title": "重复出勤",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-06-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "attendance-0-member": world["member_a"],
            "attendance-0-status": "present",
            "attendance-1-member": world["member_a"],
            "attendance-1-status": "leave",
        },
    )
    assert answer.status_code == 200
    assert "已存在" in answer.get_data(as_text=True) or "already exists" in answer.get_data(as_text=True)
    assert count(app, Activity) == activities


def test_unknown_ids_in_urls_are_not_errors(staff_a_client):
    for url in ("/admin/members/edit/?id=abc", "/admin/members/details/?id=999999", "/admin/activities/attachment/5"):
        assert staff_a_client.get(url).status_code in (302, 404)
