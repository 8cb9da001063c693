"""Read an uploaded .xlsx or .csv file into rows of cell values, numbered as Excel shows them.

The kind of file is told by its bytes, not its name: a ZIP is a workbook, an OLE file is an
old .xls (refused, saying how to save it), anything else is CSV text in UTF-8 (with or without
BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030 (what Excel on a Chinese Windows writes).
Empty rows are skipped but keep their numbers, so "row 12" is row 12 in the user's file.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pbadmin.importing.problems import N_
from pbadmin.importing.values import is_blank

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (",", "\t", ";")


class UnreadableFile(Exception):
    """The file as a whole cannot be read; ``message`` is the msgid of the reason."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = {key: str(value) for key, value in params.items()}


@dataclass
class Table:
    """The non-empty rows of one sheet: (row number, cell values)."""

    name: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    #: more non-empty rows than the reader was asked to keep
    truncated: bool = False


def read_tables(data: bytes, max_rows: int) -> Iterator[Table]:
    """Each sheet of a workbook in order (one table for a CSV), keeping at most ``max_rows`` rows."""
    if not data or not data.strip():
        raise UnreadableFile(N_("the file is empty"))
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            N_("old Excel files (.xls) cannot be read; save the file as .xlsx or CSV and upload it again")
        )
    if data.startswith(ZIP_MAGIC):
        yield from _workbook_tables(data, max_rows)
    else:
        yield _csv_table(data, max_rows)


def _workbook_tables(data: bytes, max_rows: int) -> Iterator[Table]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(N_("the file cannot be opened as an Excel workbook (.xlsx)")) from exc
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
            table = Table(name=sheet.title)
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                if _keep(table, number, list(values), max_rows):
                    break
            yield table
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(N_("the text is neither UTF-8 nor GBK; save the file as CSV (UTF-8) or .xlsx"))


def _csv_table(data: bytes, max_rows: int) -> Table:
    content = decode_text(data)
    if "\x00" in content:
        raise UnreadableFile(N_("the file cannot be read as .xlsx or .csv"))
    first_line = content.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    table = Table(name="csv")
    try:
        for number, values in enumerate(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter), start=1):
            if _keep(table, number, values, max_rows):
                break
    except csv.Error as exc:
        raise UnreadableFile(N_("the file cannot be read as .xlsx or .csv")) from exc
    return table


def _keep(table: Table, number: int, values: list, max_rows: int) -> bool:
    """Add a non-empty row; True when the table is full and reading should stop."""
    while values and is_blank(values[-1]):
        values.pop()
    if not values:
        return False
    if len(table.rows) >= max_rows:
        table.truncated = True
        return True
    table.rows.append((number, values))
    return False
