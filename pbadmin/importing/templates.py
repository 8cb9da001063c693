"""The .xlsx templates users download, fill in and upload: one per kind of import.

The first sheet holds only the header row, in Chinese as the importer reads it, with the
ID-number and phone columns formatted as text (so Excel keeps all 18 characters) and date
columns as dates; closed sets get a drop-down. The second sheet explains every column in the
user's language. Nothing in the template is sample data: a forgotten example row would be
imported as a member.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pbadmin.importing.columns import Column
from pbadmin.importing.kinds import ImportKind, kind_of
from pbadmin.security.spreadsheets import append_row, as_text

#: rows of the data sheet that get the column formats and drop-downs
FORMATTED_ROWS = 2000
HEADER_FILL = PatternFill("solid", fgColor="FDE9E7")
REQUIRED_FONT = Font(bold=True, color="C00000")
PLAIN_FONT = Font(bold=True)


def template_workbook(kind: str) -> bytes:
    """The template of ``kind`` ("members" or "activities") as .xlsx bytes."""
    spec = kind_of(kind)
    columns = spec.columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_title
    for position, column in enumerate(columns, start=1):
        cell = as_text(sheet.cell(row=1, column=position, value=column.header))
        cell.font = REQUIRED_FONT if column.required else PLAIN_FONT
        cell.fill = HEADER_FILL
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = _width(column)
        if column.cell_format:
            for row in range(2, FORMATTED_ROWS + 2):
                sheet.cell(row=row, column=position).number_format = column.cell_format
        if column.allowed:
            _drop_down(sheet, letter, column)
    sheet.freeze_panes = "A2"
    _explain(workbook.create_sheet(_("Instructions")), spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _width(column: Column) -> float:
    if column.field in ("id_number", "content", "present", "leave"):
        return 24
    if column.cell_format and "hh" in column.cell_format:
        return 18
    return max(10, len(column.header) * 2.4)


def _drop_down(sheet, letter: str, column: Column) -> None:
    values = ",".join(column.allowed())
    validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True, showErrorMessage=False)
    validation.add(f"{letter}2:{letter}{FORMATTED_ROWS + 1}")
    sheet.add_data_validation(validation)


def _explain(sheet, spec: ImportKind) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    notes = [
        _("Fill in one row per record under the headers of the first sheet; keep the headers as they are."),
        _("Columns in red are required. Dates are written like 2018-05-04; times like 2024-03-05 09:30."),
        _("Every row is checked before anything is saved; rows with problems are listed and can be downloaded."),
        _(spec.reimport_note),
    ]
    for note in notes:
        append_row(sheet, [note])
    sheet.append([])
    heading = [_("Column"), _("Required"), _("What to write"), _("Allowed values")]
    append_row(sheet, heading)
    for cell in sheet[sheet.max_row]:
        cell.font = PLAIN_FONT
        cell.fill = HEADER_FILL
    for column in spec.columns:
        allowed = "、".join(column.allowed()) if column.allowed else ""
        append_row(
            sheet, [column.header, _("Yes") if column.required else "", _(column.help) if column.help else "", allowed]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        if column.required:
            sheet.cell(row=sheet.max_row, column=1).font = REQUIRED_FONT
    for letter, width in zip("ABCD", (16, 8, 70, 40), strict=True):
        sheet.column_dimensions[letter].width = width
