"""A staff member records a theme day with three attendees, entirely through the Chinese UI."""

from __future__ import annotations

import re
from urllib.parse import quote

from pbadmin.extensions import db
from pbadmin.models import Activity
from tests.helpers import PASSWORD

TITLE = "三月主题党日：学习党章"
ATTENDEES = ["党员A0", "党员A1", "党员A2"]


def _open_select2(page, field_id: str):
    """Open the select2 (3.5) widget that stands in for the input ``field_id``; returns its drop-down."""
    page.locator(f"#s2id_{field_id}").click()
    drop = page.locator("#select2-drop")  # select2 3.5 gives the open drop-down this id
    drop.wait_for(state="visible")
    return drop


def _choose_in_select2(page, field_id: str, typed: str, label: str) -> None:
    """Type into the widget's search box and click the result whose text is exactly ``label``."""
    drop = _open_select2(page, field_id)
    drop.locator("input.select2-input").fill(typed)
    result = drop.locator(".select2-result-selectable .select2-result-label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    result.click()
    drop.wait_for(state="hidden")
    chosen = page.locator(f"#s2id_{field_id} .select2-chosen")
    assert chosen.inner_text().strip() == label


def test_staff_records_an_activity_with_three_attendees_through_the_chinese_ui(live_server, browser_page, app, world):
    page = browser_page

    # Log in as a branch-A staff member.
    page.goto(f"{live_server}/login")
    page.locator("#username").fill("staff_a")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/"))
    assert page.locator("#pb-logout").inner_text() == "退出登录"

    # The create form, in Chinese.
    page.goto(f"{live_server}/admin/activities/new/")
    form = page.locator("form.admin-form")
    save = form.locator("input[type=submit]:not([name])")
    assert save.get_attribute("value") == "保存"
    assert page.locator("label[for=title]").inner_text().strip().startswith("标题")

    form.locator("#title").fill(TITLE)
    _choose_in_select2(page, "activity_type", "主题", "主题党日")
    assert form.locator("#activity_type").input_value() == str(world["type_theme"])
    _choose_in_select2(page, "organisation", "内科", "内科党支部")
    assert form.locator("#organisation").input_value() == str(world["org_a"])

    starts_at = form.locator("#starts_at")
    starts_at.fill("2024-03-28 09:00:00")
    starts_at.press("Escape")
    page.locator("#people_served").click()  # move on, closing the date picker if it opened
    assert starts_at.input_value() == "2024-03-28 09:00:00"
    page.locator("#people_served").fill("35")

    # Three attendance rows, one per member of branch A.
    add_row = page.locator("#attendance-button")
    assert "出席情况" in add_row.inner_text()
    for index, name in enumerate(ATTENDEES):
        add_row.click()
        page.locator(f"#s2id_attendance-{index}-member").wait_for(state="visible")
        _choose_in_select2(page, f"attendance-{index}-member", "党员A", name)
        assert page.locator(f"#attendance-{index}-status").input_value() == "present"
    assert page.locator("#attendance .inline-field-list > .inline-field").count() == 3

    save.click()
    page.wait_for_url(re.compile(r"/admin/activities/(\?.*)?$"))
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()

    # Find it again through the list's search, and open its details page.
    page.goto(f"{live_server}/admin/activities/?search={quote('三月主题党日')}")
    assert page.locator(".nav-tabs .nav-link.active").inner_text().strip() == "列表 (1)"
    rows = page.locator("table.model-list tbody tr")
    assert rows.count() == 1
    row = rows.filter(has=page.locator("td.col-title", has_text=TITLE))
    assert row.locator("td.col-organisation").inner_text().strip() == "内科党支部"
    assert row.locator("td.col-activity_type").inner_text().strip() == "主题党日"
    row.locator("a[title=查看记录]").click()
    page.wait_for_url(re.compile(r"/admin/activities/details/"))
    details = page.locator("table.table").first.inner_text()
    assert TITLE in details
    for name in ATTENDEES:
        assert f"{name}（出席）" in details

    # And in the database: the activity, with exactly those three attendees.
    with app.app_context():
        activity = db.session.query(Activity).filter_by(title=TITLE).one()
        assert activity.organisation_id == world["org_a"]
        assert activity.activity_type_id == world["type_theme"]
        assert activity.people_served == 35
        assert activity.starts_at.strftime("%Y-%m-%d %H:%M:%S") == "2024-03-28 09:00:00"
        assert sorted(row.member.name for row in activity.attendance) == ATTENDEES
        assert {row.status for row in activity.attendance} == {"present"}
