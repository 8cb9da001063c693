"""The bad rows of a checked file, as an .xlsx the user fixes and uploads again.

Each bad row is copied as uploaded (same columns, same header) with two more columns:
原行号, its row number in the uploaded file, and 错误原因, every reason found in it. The cells
with a problem are shaded. The importer ignores both extra columns, so the fixed file can be
uploaded as it is.

Personal data: the file goes back to the user who uploaded it, so fixing it needs the values
as written. Users who hold ``view_pii`` get them unchanged; anyone else gets ID numbers and
phones masked, as everywhere else in the admin, and must retype them (the reason says what
was wrong). Problems of the whole file (a missing column) are listed on a second sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pbadmin.importing.columns import ERROR_HEADER, SOURCE_ROW_HEADER, normalise_header
from pbadmin.importing.kinds import kind_of
from pbadmin.importing.pipeline import locate, max_rows
from pbadmin.importing.problems import Problem, mask_value
from pbadmin.importing.readers import UnreadableFile
from pbadmin.security.spreadsheets import append_row

BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FONT = Font(bold=True)
#: our own columns from an earlier download: replaced, not repeated
OWN_HEADERS = {normalise_header(SOURCE_ROW_HEADER), normalise_header(ERROR_HEADER)}


def errors_workbook(kind: str, data: bytes, problems: list[Problem], reveal: bool) -> bytes:
    """The bad rows of ``data`` with their reasons; ``reveal`` keeps ID numbers and phones as written."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rows with errors")
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is not None:
            by_row[problem.row].append(problem)
    try:
        found = locate(data, kind_of(kind).columns, max_rows())
    except UnreadableFile:
        found = None
    if found is not None and by_row:
        _copy_bad_rows(sheet, kind, found, by_row, reveal)
    else:
        append_row(sheet, [SOURCE_ROW_HEADER, ERROR_HEADER])
    file_problems = [problem for problem in problems if problem.row is None]
    if file_problems:
        other = workbook.create_sheet(_("Problems of the file"))
        append_row(other, [_("Column"), ERROR_HEADER])
        for problem in file_problems:
            append_row(other, [problem.column, problem.text()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _copy_bad_rows(sheet, kind: str, found, by_row: dict[int, list[Problem]], reveal: bool) -> None:
    table, header = found
    header_cells = next(cells for number, cells in table.rows if number == header.row)
    keep = [position for position, cell in enumerate(header_cells) if normalise_header(cell) not in OWN_HEADERS]
    columns = kind_of(kind).columns
    masks = {header.positions[c.field]: c.mask for c in columns if c.mask and c.field in header.positions}
    text_positions = {
        header.positions[c.field] for c in columns if c.cell_format == "@" and c.field in header.positions
    }
    position_of_header = {c.header: header.positions[c.field] for c in columns if c.field in header.positions}

    append_row(sheet, [header_cells[position] for position in keep] + [SOURCE_ROW_HEADER, ERROR_HEADER])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, cells in table.rows:
        problems = by_row.get(number)
        if number <= header.row or not problems:
            continue
        values = []
        for position in keep:
            value = cells[position] if position < len(cells) else None
            if position in masks and value is not None and not reveal:
                value = mask_value(value, masks[position])
            values.append(value)
        reasons = "\n".join(_reason(problem) for problem in problems)
        append_row(sheet, [*values, number, reasons])
        row = sheet.max_row
        for index, position in enumerate(keep, start=1):
            cell = sheet.cell(row=row, column=index)
            if position in text_positions:
                cell.number_format = "@"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd" if cell.value.time() == dt.time() else "yyyy-mm-dd hh:mm"
        bad_positions = {position_of_header.get(problem.column) for problem in problems}
        for index, position in enumerate(keep, start=1):
            if position in bad_positions:
                sheet.cell(row=row, column=index).fill = BAD_FILL
        sheet.cell(row=row, column=len(keep) + 2).alignment = wrap
    sheet.column_dimensions[get_column_letter(len(keep) + 2)].width = 60
    sheet.freeze_panes = "A2"


def _reason(problem: Problem) -> str:
    return f"{problem.column}：{problem.text()}" if problem.column else problem.text()
