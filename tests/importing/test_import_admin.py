"""The import pages: upload, preview, bad rows to download, commit; each inside the user's scope."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from pbadmin.extensions import db
from pbadmin.models import ImportJob
from pbadmin.security.pii import mask_id_number
from tests.helpers import csrf_token, login
from tests.importing.files import MEMBER_HEADERS, member_row, read_xlsx, wrong_check_digit, xlsx_bytes
from tests.importing.uploads import UPLOAD, job_page, member_count, upload


@pytest.fixture(autouse=True)
def _synchronous(sync_jobs):
    """The pages are tested with jobs run in the request; test_commit and the browser test use the thread."""


def _jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportJob))


def test_the_upload_form_offers_only_organisations_in_scope_and_both_templates(staff_a_client, world):
    page = staff_a_client.get(UPLOAD).get_data(as_text=True)
    assert 'id="pb-import-form"' in page and 'id="pb-import-file"' in page
    select_box = re.search(r'<select[^>]*id="pb-import-org".*?</select>', page, re.S).group(0)
    assert re.findall(r'value="(\d+)"', select_box) == [str(world["org_a"])]
    assert "/admin/imports/template/members.xlsx" in page and "/admin/imports/template/activities.xlsx" in page


def test_a_viewer_cannot_import(viewer_a_client):
    assert viewer_a_client.get(UPLOAD).status_code == 403


def test_staff_of_branch_a_cannot_import_into_branch_b(app, staff_a_client, world):
    answer = upload(staff_a_client, xlsx_bytes([member_row(0, org="B")]), world["org_b"])
    assert answer.status_code == 200 and "is-invalid" in answer.get_data(as_text=True)
    assert _jobs(app) == 0 and member_count(app) == 9


def test_a_row_of_an_organisation_out_of_scope_is_an_error_on_that_row(app, staff_a_client, world):
    rows = [member_row(0), member_row(1, org="B")]
    _, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    assert 'id="pb-import-errors"' in page
    row = re.search(r'<tr data-row="3">.*?</tr>', page, re.S).group(0)
    assert "所在党组织" in row and ">B<" in row
    assert 'data-row="2"' not in page
    assert member_count(app) == 9


def test_a_bad_row_is_previewed_masked_and_nothing_is_saved(app, staff_a_client, world):
    rows = [member_row(0), member_row(1), member_row(2)]
    wrong = wrong_check_digit(rows[1]["公民身份号码"])
    rows[1]["公民身份号码"] = wrong
    url, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    row = re.search(r'<tr data-row="3">.*?</tr>', page, re.S).group(0)
    assert "公民身份号码" in row and mask_id_number(wrong) in row and wrong not in page
    assert "校验码错误" in row, "the reason is in Chinese"
    assert 'id="pb-import-commit"' not in page and 'id="pb-import-errors-download"' in page
    assert member_count(app) == 9


def test_the_bad_rows_file_can_be_fixed_and_uploaded_again(app, superadmin_client, world):
    rows = [member_row(0), member_row(1), member_row(2, 入党时间="2005-02-30")]
    right = rows[1]["公民身份号码"]
    rows[1]["公民身份号码"] = wrong_check_digit(right)
    url, _ = job_page(superadmin_client, upload(superadmin_client, xlsx_bytes(rows), world["org_a"]))
    download = superadmin_client.get(url + "errors.xlsx")
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    table = read_xlsx(download.data)
    assert table[0] == [*MEMBER_HEADERS, "原行号", "错误原因"]
    assert [line[-2] for line in table[1:]] == [3, 4]
    assert table[1][2] == rows[1]["公民身份号码"], "a user with view_pii gets the value as written, to fix it"
    assert "公民身份号码" in table[1][-1] and "入党时间" in table[2][-1]

    # fix both rows in the downloaded file and upload it as it is
    workbook = load_workbook(io.BytesIO(download.data))
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=3).value = right
    sheet.cell(row=3, column=7).value = "2005-07-01"
    fixed = io.BytesIO()
    workbook.save(fixed)
    url, page = job_page(superadmin_client, upload(superadmin_client, fixed.getvalue(), world["org_a"]))
    assert 'id="pb-import-summary"' in page and 'id="pb-import-errors"' not in page
    assert member_count(app) == 9


def test_the_bad_rows_file_masks_id_numbers_for_users_without_view_pii(staff_a_client, world):
    rows = [member_row(0), member_row(1, 性别="?")]
    url, _ = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    table = read_xlsx(staff_a_client.get(url + "errors.xlsx").data)
    assert table[1][2] == mask_id_number(rows[1]["公民身份号码"])


def test_a_clean_file_shows_the_counts_and_is_committed_with_a_token(app, staff_a_client, world):
    rows = [member_row(index) for index in range(3)]
    url, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    assert 'id="pb-import-summary"' in page and 'id="pb-import-commit"' in page
    assert staff_a_client.post(url + "commit").status_code == 400, "no token, no commit"
    assert member_count(app) == 9
    answer = staff_a_client.post(url + "commit", data={"csrf_token": csrf_token(staff_a_client, url)})
    assert answer.status_code == 302
    page = staff_a_client.get(url).get_data(as_text=True)
    assert 'id="pb-import-result"' in page and 'data-created="3"' in page
    assert member_count(app) == 12
    progress = staff_a_client.get(url + "progress").get_json()
    assert progress["status"] == "done" and progress["running"] is False and progress["rows_processed"] == 3


def test_another_user_cannot_see_or_commit_the_job(app, staff_a_client, world):
    url, _ = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes([member_row(0)]), world["org_a"]))
    other = app.test_client()
    login(other, "staff_b")
    assert other.get(url).status_code == 404
    assert other.get(url + "progress").status_code == 404
    assert other.post(url + "commit", data={"csrf_token": csrf_token(other, UPLOAD)}).status_code == 404
    assert member_count(app) == 9


@pytest.mark.parametrize("data", [b"\x00\x01garbage", b"PK\x03\x04broken", "只有一行字".encode("gbk"), b"\xff\xfe\x00"])
def test_a_file_that_is_not_a_roster_never_gives_a_server_error(staff_a_client, world, data):
    url, page = job_page(staff_a_client, upload(staff_a_client, data, world["org_a"], filename="x.bin"))
    assert 'tr data-row="file"' in page
    assert staff_a_client.get(url + "errors.xlsx").status_code in (200, 404)


def test_a_missing_file_is_a_form_error(app, staff_a_client, world):
    answer = staff_a_client.post(
        UPLOAD,
        data={"csrf_token": csrf_token(staff_a_client, UPLOAD), "kind": "members", "organisation": world["org_a"]},
    )
    assert answer.status_code == 200 and _jobs(app) == 0


@pytest.mark.parametrize(
    ("kind", "first", "sheet"), [("members", "姓名", "党员花名册"), ("activities", "活动标题", "活动及出勤")]
)
def test_the_templates_have_chinese_headers_text_id_columns_and_instructions(staff_a_client, kind, first, sheet):
    answer = staff_a_client.get(f"/admin/imports/template/{kind}.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.data))
    data_sheet = workbook.worksheets[0]
    assert data_sheet.title == sheet and data_sheet["A1"].value == first
    assert len(workbook.worksheets) == 2 and workbook.worksheets[1].max_row > 5
    assert data_sheet.max_row >= 2 and all(cell.value is None for cell in data_sheet[2])
    if kind == "members":
        headers = [cell.value for cell in data_sheet[1]]
        assert headers[: len(MEMBER_HEADERS)] == MEMBER_HEADERS
        assert data_sheet.cell(row=2, column=headers.index("公民身份号码") + 1).number_format == "@"
        assert data_sheet.cell(row=2, column=headers.index("出生日期") + 1).number_format == "yyyy-mm-dd"


def test_a_template_uploaded_empty_says_it_has_no_rows(staff_a_client, world):
    template = staff_a_client.get("/admin/imports/template/members.xlsx").data
    _, page = job_page(staff_a_client, upload(staff_a_client, template, world["org_a"]))
    assert 'tr data-row="file"' in page


def test_an_upload_left_unimported_is_forgotten_after_the_keep_days(app, staff_a_client, world):
    rows = [member_row(index) for index in range(2)]
    clean_url, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    assert 'id="pb-import-commit"' in page
    rows[1]["公民身份号码"] = wrong_check_digit(rows[1]["公民身份号码"])
    bad_url, page = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes(rows), world["org_a"]))
    assert 'id="pb-import-errors-download"' in page
    with app.app_context():
        stale = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=8)
        db.session.execute(update(ImportJob).values(updated_at=stale))
        db.session.commit()
    staff_a_client.get(UPLOAD)  # the upload page clears what is too old
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(ImportJob.data.is_not(None))) == 0
    clean = staff_a_client.get(clean_url).get_data(as_text=True)
    assert 'id="pb-import-file-gone"' in clean and 'id="pb-import-commit"' not in clean
    answer = staff_a_client.post(clean_url + "commit", data={"csrf_token": csrf_token(staff_a_client, clean_url)})
    assert answer.status_code == 302 and member_count(app) == 9  # nothing to import any more
    bad = staff_a_client.get(bad_url).get_data(as_text=True)
    assert 'id="pb-import-file-gone"' in bad and 'id="pb-import-errors-download"' not in bad
    assert staff_a_client.get(bad_url + "errors.xlsx").status_code == 404


def test_a_recent_upload_is_kept(app, staff_a_client, world):
    url, _ = job_page(staff_a_client, upload(staff_a_client, xlsx_bytes([member_row(0)]), world["org_a"]))
    staff_a_client.get(UPLOAD)
    assert 'id="pb-import-commit"' in staff_a_client.get(url).get_data(as_text=True)
