"""The ledger as an XLSX workbook: one sheet per section, headers in the user's language, streamed.

openpyxl's write-only mode keeps memory flat however long the year was; dates are real dates
(formatted yyyy-mm-dd) so a spreadsheet can sort and filter them; the header row is frozen and
repeats on every printed page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pbadmin.ledger.data import SECTIONS, Ledger
from pbadmin.ledger.text import HEADINGS, category_label, names, status_label
from pbadmin.models.labels import LABELS
from pbadmin.security.spreadsheets import xlsx_cell

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: characters Excel refuses in sheet titles
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    header: object  # a (lazy) translated label
    width: float
    value: Callable


def _rows_members(ledger: Ledger):
    columns = (
        Column(LABELS["full_name"], 12, lambda m: m.name),
        Column(LABELS["gender"], 6, lambda m: status_label("gender", m.gender)),
        Column(LABELS["organisation"], 24, lambda m: m.organisation),
        Column(LABELS["department"], 14, lambda m: m.department),
        Column(LABELS["status"], 12, lambda m: status_label("member", m.status)),
        Column(LABELS["admitted_on"], 12, lambda m: m.admitted_on),
        Column(LABELS["full_member_on"], 12, lambda m: m.full_member_on),
        Column(LABELS["id_number"], 22, lambda m: m.id_number),
    )
    return columns, ledger.members


def _rows_meetings(ledger: Ledger):
    columns = (
        Column(LABELS["starts_at"], 17, lambda m: m.starts_at),
        Column(LABELS["activity_type"], 14, lambda m: m.activity_type),
        Column(LABELS["title"], 30, lambda m: m.title),
        Column(LABELS["organisation"], 22, lambda m: m.organisation),
        Column(LABELS["place"], 16, lambda m: m.place),
        Column(HEADINGS["present"], 8, lambda m: len(m.present)),
        Column(HEADINGS["leave"], 8, lambda m: len(m.leave)),
        Column(HEADINGS["absent"], 8, lambda m: len(m.absent)),
        Column(HEADINGS["present_names"], 30, lambda m: names(m.present)),
        Column(HEADINGS["leave_names"], 20, lambda m: names(m.leave)),
        Column(HEADINGS["absent_names"], 20, lambda m: names(m.absent)),
    )
    return columns, ledger.meetings


def _rows_activities(ledger: Ledger):
    columns = (
        Column(LABELS["starts_at"], 17, lambda a: a.starts_at),
        Column(LABELS["activity_type"], 14, lambda a: a.activity_type),
        Column(LABELS["category"], 10, lambda a: category_label(a.category)),
        Column(LABELS["title"], 30, lambda a: a.title),
        Column(LABELS["organisation"], 22, lambda a: a.organisation),
        Column(LABELS["brand"], 14, lambda a: a.brand),
        Column(LABELS["place"], 16, lambda a: a.place),
        Column(LABELS["people_served"], 12, lambda a: a.people_served),
        Column(LABELS["volunteer_hours"], 12, lambda a: a.volunteer_hours),
    )
    return columns, ledger.activities


def _rows_pairings(ledger: Ledger):
    """One row per monthly report; a pairing without a report in the year still gets its row."""
    rows = [(pairing, report) for pairing in ledger.pairings for report in (pairing.reports or (None,))]
    columns = (
        Column(LABELS["helper"], 22, lambda r: r[0].helper),
        Column(LABELS["helped"], 22, lambda r: r[0].helped),
        Column(LABELS["letter_signed_on"], 12, lambda r: r[0].letter_signed_on),
        Column(LABELS["started_on"], 12, lambda r: r[0].started_on),
        Column(LABELS["ended_on"], 12, lambda r: r[0].ended_on),
        Column(LABELS["status"], 10, lambda r: status_label("pairing", r[0].status)),
        Column(LABELS["goals"], 30, lambda r: r[0].goals),
        Column(HEADINGS["report_month"], 10, lambda r: r[1].month_label if r[1] else None),
        Column(LABELS["submitted_on"], 12, lambda r: r[1].submitted_on if r[1] else None),
        Column(HEADINGS["report_content"], 40, lambda r: r[1].content if r[1] else None),
    )
    return columns, rows


def _rows_rectifications(ledger: Ledger):
    columns = (
        Column(LABELS["problem"], 36, lambda r: r.problem),
        Column(LABELS["organisation"], 22, lambda r: r.organisation),
        Column(LABELS["source"], 12, lambda r: status_label("source", r.source)),
        Column(LABELS["responsible"], 12, lambda r: r.responsible),
        Column(LABELS["found_on"], 12, lambda r: r.found_on),
        Column(LABELS["deadline"], 12, lambda r: r.deadline),
        Column(LABELS["status"], 10, lambda r: status_label("rectification", r.status)),
        Column(LABELS["closed_on"], 12, lambda r: r.closed_on),
        Column(LABELS["measures"], 36, lambda r: r.measures),
    )
    return columns, ledger.rectifications


SHEETS = {
    "members": _rows_members,
    "meetings": _rows_meetings,
    "activities": _rows_activities,
    "pairings": _rows_pairings,
    "rectifications": _rows_rectifications,
}


def sheet_title(title: object) -> str:
    return str(title).translate(_BAD_TITLE)[:31]


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, Decimal):
        value = float(value)
    elif value is not None and not isinstance(value, (int, float, str, dt.date)):
        value = str(value)
    cell = xlsx_cell(sheet, value)  # a name like "=HYPERLINK(...)" stays text
    if isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    return cell


def _write(sheet, columns: Iterable[Column], rows: Iterable) -> None:
    columns = tuple(columns)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.append([_cell(sheet, str(column.header), bold=True) for column in columns])
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])


def workbook_bytes(ledger: Ledger) -> bytes:
    """The whole ledger as an .xlsx file, one sheet per section in SECTIONS order."""
    workbook = Workbook(write_only=True)
    for key, title in SECTIONS:
        sheet = workbook.create_sheet(title=sheet_title(title))
        columns, rows = SHEETS[key](ledger)
        _write(sheet, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_name(ledger: Ledger) -> str:
    return f"台账-{ledger.organisation_code}-{ledger.year}.xlsx"
