"""The XLSX ledger: opens with openpyxl, one sheet per section with Chinese headers, same content as the page."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale

from pbadmin.i18n import DEFAULT_LOCALE
from pbadmin.ledger.data import SECTIONS
from pbadmin.ledger.xlsx import sheet_title
from tests.ledger.helpers import id_number_of, ledger_url, sheet_rows, workbook

#: the first header of each sheet, as the Chinese admin already labels it
FIRST_HEADERS = ("姓名", "开始时间", "开始时间", "帮扶党组织", "问题")


def download(client, org, year=2024):
    return workbook(client.get(ledger_url(org, year, export=True)))


def test_workbook_has_one_sheet_per_section_in_order(app, staff_a_client, ledger_world):
    book = download(staff_a_client, ledger_world["org_a"])
    with app.test_request_context(), force_locale(DEFAULT_LOCALE):
        expected = [sheet_title(title) for _, title in SECTIONS]
    assert book.sheetnames == expected


def test_sheet_headers_are_chinese(staff_a_client, ledger_world):
    book = download(staff_a_client, ledger_world["org_a"])
    firsts = tuple(sheet_rows(sheet)[0][0] for sheet in book.worksheets)
    assert firsts == FIRST_HEADERS
    members_header = sheet_rows(book.worksheets[0])[0]
    assert "公民身份号码" in members_header and "入党日期" in members_header


def test_member_sheet_masks_id_numbers_even_for_the_superadmin(app, superadmin_client, ledger_world):
    book = download(superadmin_client, ledger_world["org_a"])
    number = id_number_of(app, ledger_world["member_a"])
    cells = [str(value) for sheet in book.worksheets for line in sheet_rows(sheet) for value in line if value]
    assert not any(number in cell for cell in cells)
    members = sheet_rows(book.worksheets[0])
    column = members[0].index("公民身份号码")
    row = next(line for line in members if line[0] == "党员A0")
    assert row[column] == f"{number[:4]}{'*' * 10}{number[-4:]}"


def test_member_sheet_holds_the_subtree_of_the_year(staff_a_client, ledger_world):
    names = {line[0] for line in sheet_rows(download(staff_a_client, ledger_world["org_a"]).worksheets[0])[1:]}
    assert names == {"党员A0", "党员A1", "党员A2", "临时支部党员"}


def test_meeting_sheet_counts_and_names_attendance(staff_a_client, ledger_world):
    meetings = sheet_rows(download(staff_a_client, ledger_world["org_a"]).worksheets[1])
    assert len(meetings) == 3  # header, 主题党日A, 五月支委会
    row = next(line for line in meetings if line[2] == "五月支委会")
    assert row[0] == dt.datetime(2024, 5, 10, 14, 30)
    assert row[5:11] == (1, 1, 1, "党员A0", "党员A1", "临时支部党员")


def test_activity_sheet_has_numbers_as_numbers(staff_a_client, ledger_world):
    activities = sheet_rows(download(staff_a_client, ledger_world["org_a"]).worksheets[2])
    assert len(activities) == 2
    assert activities[1][3] == "社区义诊"
    assert activities[1][7:9] == (30, 2.5)


def test_pairing_sheet_has_a_row_per_report_of_the_year(staff_a_client, ledger_world):
    pairings = sheet_rows(download(staff_a_client, ledger_world["org_a"]).worksheets[3])
    assert len(pairings) == 2
    row = pairings[1]
    assert row[:2] == ("内科党支部", "新都区人民医院党委")
    assert row[3] == dt.datetime(2024, 1, 1)
    assert row[7:] == ("2024-05", dt.datetime(2024, 6, 3), "五月帮扶情况")


def test_pairing_without_a_report_still_has_its_row(superadmin_client, ledger_world):
    pairings = sheet_rows(download(superadmin_client, ledger_world["org_a"], 2025).worksheets[3])
    assert len(pairings) == 2
    assert pairings[1][7:] == (None, None, None)


def test_rectification_sheet_leaves_out_other_years_and_branches(staff_a_client, ledger_world):
    problems = {line[0] for line in sheet_rows(download(staff_a_client, ledger_world["org_a"]).worksheets[4])[1:]}
    assert problems == {"问题A", "上年遗留问题"}


def test_download_is_named_for_organisation_and_year(staff_a_client, world):
    answer = staff_a_client.get(ledger_url(world["org_a"], 2024, export=True))
    assert "attachment" in answer.headers["Content-Disposition"]
    assert "A-2024.xlsx" in answer.headers["Content-Disposition"]
