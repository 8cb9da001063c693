"""Formula-safe spreadsheets: what a user typed is written back as text, never as a formula.

A member called ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` must not become a live
formula in a file someone opens in Excel or WPS. The one rule, for every file pbadmin writes:

* .xlsx: a string is stored as a string cell (``inlineStr``), without the control characters a
  workbook cannot hold. openpyxl would store a string
  starting with "=" as a formula and "#N/A" as an error; ``as_text`` undoes that guess.
  Numbers and dates stay numbers and dates.
* .csv: a text cell starting with = + - @, a tab or a carriage return gets a leading
  apostrophe, as OWASP advises against CSV injection (a CSV has no cell types to rely on).
  Numbers are written as they are: -5 is a number, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from flask import Response, stream_with_context
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from werkzeug.utils import secure_filename

#: what makes Excel, LibreOffice or WPS read a CSV cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> str:
    """A CSV cell: the value as text, with an apostrophe before anything that starts like a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_text(cell: Cell) -> Cell:
    """Store a cell holding a string as a string, whatever it starts with; other values are left alone."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def xlsx_cell(sheet, value: object) -> Cell:
    """A cell to append to ``sheet`` (write-only or not), a string stored as text. Control characters
    that a workbook cannot hold (openpyxl refuses them) are dropped rather than breaking the download."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return as_text(WriteOnlyCell(sheet, value=value))


def append_row(sheet, values) -> None:
    """Append a row to a sheet, write-only or not (both take cells), every string stored as text."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV text, every cell through ``safe_text``."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_text(value) for value in row])


def csv_download(rows: Iterable[Iterable], filename: str) -> Response:
    """A CSV streamed as it is written (the rows may be a lazy query: the request context stays open)."""
    return Response(
        stream_with_context(csv_lines(rows)),
        headers={"Content-Disposition": f"attachment;filename={secure_filename(filename)}"},
        mimetype="text/csv",
    )


class _Echo:
    """A file that hands back what is written, so the csv module yields line by line."""

    def write(self, value: str) -> str:
        return value
