"""A branch secretary imports a roster: a bad row is shown and nothing saved; fixed, it is imported.

The jobs run in the real background thread of the served app, and the page follows them
through its progress endpoint (static/import.js). Then the home page draws its charts.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import ImportJob, Member
from tests.helpers import PASSWORD
from tests.importing.files import MEMBER_HEADERS, member_row, wrong_check_digit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTS = ("pb-chart-activities", "pb-chart-served", "pb-chart-members", "pb-chart-brands")


def _roster(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MEMBER_HEADERS)
    for row in rows:
        sheet.append([row[header] for header in MEMBER_HEADERS])
    for cell in sheet["C"]:
        cell.number_format = "@"  # ID numbers as text, as the template has them
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, live_server: str, org_id: int, name: str, data: bytes) -> None:
    page.goto(f"{live_server}/admin/imports/")
    form = page.locator("#pb-import-form")
    form.locator("select[name=kind]").select_option("members")
    form.locator("select[name=organisation]").select_option(str(org_id))
    page.locator("#pb-import-file").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/imports/job/\d+/"))
    page.locator("#pb-import-progress").wait_for()


def _imported(app, names: list[str]) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member).where(Member.name.in_(names)))


def test_staff_imports_a_roster_fixes_a_bad_row_and_commits(live_server, browser_page, app, world):
    page = browser_page
    page.goto(f"{live_server}/login")
    page.locator("#username").fill("staff_a")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/"))

    rows = [member_row(index) for index in range(3)]
    names = [row["姓名"] for row in rows]
    good_id = rows[1]["公民身份号码"]
    rows[1]["公民身份号码"] = wrong_check_digit(good_id)

    # The upload page offers the templates and only branch A.
    page.goto(f"{live_server}/admin/imports/")
    assert page.locator("#pb-import-form select[name=organisation] option").count() == 1
    assert page.locator("a[href$='/template/members.xlsx']").count() == 1

    # The first upload: the bad row is listed with its reason, and nothing is saved.
    _upload(page, live_server, world["org_a"], "内科党支部花名册.xlsx", _roster(rows))
    errors = page.locator("#pb-import-errors")
    errors.wait_for(timeout=60_000)  # the page reloads itself once the background check is done
    bad = errors.locator('tr[data-row="3"]')
    assert bad.count() == 1
    assert "公民身份号码" in bad.inner_text() and "校验码错误" in bad.inner_text()
    assert good_id not in page.content()
    assert errors.locator("tbody tr").count() == 1
    assert page.locator("#pb-import-errors-download").count() == 1
    assert page.locator("#pb-import-commit").count() == 0
    assert _imported(app, names) == 0

    # The bad rows can be downloaded to be fixed.
    with page.expect_download() as download_info:
        page.locator("#pb-import-errors-download").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")

    # Fixed and uploaded again: a summary, then the commit runs in the background.
    rows[1]["公民身份号码"] = good_id
    _upload(page, live_server, world["org_a"], "内科党支部花名册（改）.xlsx", _roster(rows))
    summary = page.locator("#pb-import-summary")
    summary.wait_for(timeout=60_000)
    assert "3" in summary.inner_text()
    assert _imported(app, names) == 0, "nothing is written before the commit"
    page.locator("#pb-import-commit").click()
    result = page.locator("#pb-import-result")
    result.wait_for(timeout=60_000)
    assert result.get_attribute("data-created") == "3"
    assert re.search(r"\b3\b", page.locator("#pb-import-progress-text").inner_text())
    assert _imported(app, names) == 3
    with app.app_context():
        statuses = db.session.scalars(select(ImportJob.status).order_by(ImportJob.id)).all()
        assert statuses == ["invalid", "done"]

    # The home page draws every dashboard chart.
    page.goto(f"{live_server}/admin/")
    for chart in CHARTS:
        page.locator(f"#{chart}").wait_for(state="attached")
        assert page.evaluate("id => !!Chart.getChart(document.getElementById(id))", chart), chart
