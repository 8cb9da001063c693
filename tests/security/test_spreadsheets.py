"""Point 4: every spreadsheet pbadmin writes is formula-safe, and an ID-number mask never gives a value away.

A member called ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` must come back as text: in an
.xlsx as a string cell (never a formula), in a CSV with a leading apostrophe (OWASP's advice on CSV
injection), whichever export, ledger or import workbook carries it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from pbadmin.audit import acting_as
from pbadmin.demo.people import synthetic_person
from pbadmin.extensions import db
from pbadmin.models import Member, PartyOrganization
from pbadmin.security.pii import mask_id_number
from pbadmin.security.spreadsheets import append_row, safe_text, xlsx_cell
from tests.helpers import csrf_token
from tests.importing.files import MEMBER_HEADERS, csv_bytes, member_row, wrong_check_digit
from tests.ledger.conftest import ledger_world  # noqa: F401 (the ledger's fixture)
from tests.ledger.helpers import ledger_url

#: what an attacker types where a name or a department goes
FORMULAS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
#: the same, as an .xlsx reads them back (XML turns a carriage return into a line feed)
XLSX_FORMULAS = {formula.replace("\r", "\n") for formula in FORMULAS}
UPLOAD = "/admin/imports/"


def formula_elements(data: bytes) -> list[str]:
    """Every ``<f>`` element in the sheets of an .xlsx, read from the XML itself."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += re.findall(r"<(?:\w+:)?f[\s>/][^<]*", archive.read(name).decode())
    return found


def cells_holding(data: bytes, texts) -> list:
    """The cells of every sheet whose value is one of ``texts``, read back with openpyxl."""
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value in texts]


def add_members(app, org_id: int, names) -> None:
    with app.app_context(), acting_as("test-setup"):
        org = db.session.get(PartyOrganization, org_id)
        for index, name in enumerate(names):
            person = synthetic_person("formula", "331004", index)
            person.update(name=name, admitted_on=dt.date(2001, 7, 1), full_member_on=dt.date(2002, 7, 1))
            db.session.add(Member(organisation=org, institution_id=org.institution_id, department=name[:60], **person))
        db.session.commit()


# --- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*FORMULAS, "=1", "+", "-", "@"])
def test_csv_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("党员A0", "党员A0"), ("a=b", "a=b"), ("", ""), (None, ""), (-5, "-5"), (Decimal("-1.5"), "-1.5"), (3, "3")],
)
def test_csv_plain_text_and_numbers_are_left_as_they_are(value, expected):
    assert safe_text(value) == expected


def test_xlsx_cells_keep_strings_as_text_and_numbers_as_numbers():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append([xlsx_cell(sheet, value) for value in (*FORMULAS, "#N/A", -5, Decimal("-2.5"), dt.date(2024, 1, 2))])
    plain = Workbook()
    append_row(plain.active, ["=1+1", "#DIV/0!", -5])
    for book in (workbook, plain):
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        assert formula_elements(data) == []
        row = next(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows())
        strings = [cell for cell in row if isinstance(cell.value, str)]
        assert strings and all(cell.data_type == "s" for cell in strings)
        assert [cell.value for cell in row if cell.data_type == "n"][:1] == [-5]


# --- where it applies ------------------------------------------------------------------------------


def test_a_formula_typed_as_a_name_comes_back_as_text_in_the_members_xlsx_export(app, staff_a_client, world):
    add_members(app, world["org_a"], FORMULAS)
    answer = staff_a_client.get("/admin/members/export/xlsx/")
    assert answer.status_code == 200
    assert formula_elements(answer.data) == []
    cells = cells_holding(answer.data, XLSX_FORMULAS)
    assert {cell.value for cell in cells} == XLSX_FORMULAS
    assert all(cell.data_type == "s" for cell in cells)


def test_a_formula_typed_as_a_name_is_quoted_in_the_members_csv_export(app, staff_a_client, world):
    add_members(app, world["org_a"], FORMULAS)
    answer = staff_a_client.get("/admin/members/export/csv/")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True), newline="")))
    cells = [cell for row in rows for cell in row]
    for formula in FORMULAS:
        assert formula not in cells, f"{formula!r} is written raw"
        assert cells.count("'" + formula) == 2, "name and department, both quoted"
    assert "党员A0" in cells, "plain names are untouched"
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_ledger_workbook_stores_formula_like_names_as_text_and_counts_as_numbers(
    app,
    superadmin_client,
    ledger_world,  # noqa: F811
):
    add_members(app, ledger_world["org_a"], FORMULAS)
    answer = superadmin_client.get(ledger_url(ledger_world["org_a"], 2024, export=True))
    assert answer.status_code == 200
    assert formula_elements(answer.data) == []
    cells = cells_holding(answer.data, XLSX_FORMULAS)
    assert {cell.value for cell in cells} == XLSX_FORMULAS
    assert all(cell.data_type == "s" for cell in cells)
    meetings = load_workbook(io.BytesIO(answer.data)).worksheets[1]
    counts = [cell for cell in next(meetings.iter_rows(min_row=2, max_row=2))[5:8]]
    assert all(cell.data_type == "n" and isinstance(cell.value, int) for cell in counts)


def test_the_bad_rows_workbook_stores_formula_like_cells_and_headers_as_text(app, superadmin_client, world):
    app.config["PBADMIN_IMPORT_SYNC"] = True  # the job runs in the request
    rows = [member_row(index, 姓名=formula) for index, formula in enumerate(FORMULAS[:2])]
    rows[0]["公民身份号码"] = wrong_check_digit(rows[0]["公民身份号码"])
    rows[1]["公民身份号码"] = wrong_check_digit(rows[1]["公民身份号码"])
    unknown = "=cmd|' /C calc'!B1"
    data = csv_bytes([row | {unknown: "=1+1"} for row in rows], [*MEMBER_HEADERS, unknown])
    answer = superadmin_client.post(
        UPLOAD,
        data={
            "csrf_token": csrf_token(superadmin_client, UPLOAD),
            "kind": "members",
            "organisation": str(world["org_a"]),
            "file": (io.BytesIO(data), "花名册.csv"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    download = superadmin_client.get(answer.headers["Location"] + "errors.xlsx")
    assert download.status_code == 200
    assert formula_elements(download.data) == []
    texts = {*FORMULAS[:2], unknown, "=1+1"}
    cells = cells_holding(download.data, texts)
    assert {cell.value for cell in cells} == texts
    assert all(cell.data_type == "s" for cell in cells)


@pytest.mark.parametrize("kind", ["members", "activities"])
def test_the_import_templates_hold_text_and_no_formula(staff_a_client, kind):
    data = staff_a_client.get(f"/admin/imports/template/{kind}.xlsx").data
    assert formula_elements(data) == []
    book = load_workbook(io.BytesIO(data))
    values = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert values and all(cell.data_type == "s" for cell in values)


# --- the ID-number mask ----------------------------------------------------------------------------


def test_an_eighteen_character_id_number_still_shows_its_first_four_and_last_four():
    assert mask_id_number("110105194912310021") == "1101**********0021"
    assert mask_id_number(None) == "" and mask_id_number("") == ""


@pytest.mark.parametrize("value", ["1", "123", "1234567", "12345678", "123456789012", "123456789012345"])
def test_a_short_value_is_never_shown_whole(value):
    masked = mask_id_number(value)
    assert masked != value and len(masked) == len(value)
    shown = [char for char in masked if char != "*"]
    assert 2 * len(shown) < len(value)
    if len(value) < 8:
        assert set(masked) == {"*"}


@given(st.text(alphabet=st.characters(exclude_characters="*", exclude_categories=("Cs",)), max_size=40))
def test_an_id_number_mask_reveals_fewer_than_half_of_any_value(value):
    masked = mask_id_number(value)
    if not value:
        assert masked == ""
        return
    assert len(masked) == len(value) and masked != value
    shown = [index for index, char in enumerate(masked) if char != "*"]
    assert all(masked[index] == value[index] for index in shown), "what is shown is the value's own characters"
    assert 2 * len(shown) < len(value)


def test_a_name_with_control_characters_still_exports_without_them(app, staff_a_client, world):
    """openpyxl refuses control characters in a cell; the export drops them instead of failing."""
    add_members(app, world["org_a"], ["党员\x01甲\x1f"])
    answer = staff_a_client.get("/admin/members/export/xlsx/")
    assert answer.status_code == 200
    assert cells_holding(answer.data, {"党员甲"})
