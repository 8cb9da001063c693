"""Read an uploaded .xlsx or .csv file into rows of cell values, numbered as Excel shows them.

The kind of file is told by its bytes, not its name: a ZIP is a workbook, an OLE file is an
old .xls (refused, saying how to save it), anything else is CSV text in UTF-8 (with or without
BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030 (what Excel on a Chinese Windows writes).
Empty rows are skipped but keep their numbers, so "row 12" is row 12 in the user's file.

A workbook is a ZIP, and a ZIP can be a bomb: a 148 KB file may unpack to one 150 MB string,
a 14 MB one to three million empty rows. Before openpyxl reads anything, ``check_package``
looks at the ZIP's directory and the first few KB of each sheet only, and refuses a workbook
that would unpack to more than ``PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES``, is packed far more
tightly than spreadsheets are, or declares (``<dimension ref="A1:Z3000000"/>``) more rows than
are read. A missing or wrong dimension is no error (some writers store none); the size bound
still holds, since the ZIP reader never unpacks more than a part's declared size, and rows are
counted again while they are read.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook

from pbadmin.importing.problems import N_
from pbadmin.importing.values import is_blank

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (",", "\t", ";")
#: what every part of a workbook may unpack to, together (config: PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES)
DEFAULT_MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024
#: a part this large that unpacks to more than MAX_PACKING_RATIO times its packed size is a bomb
PACKED_PART_BYTES = 1024 * 1024
MAX_PACKING_RATIO = 200
#: a real workbook has a few dozen parts
MAX_PARTS = 2000
#: how much of each part is unpacked to find its <dimension>
HEAD_BYTES = 16 * 1024
#: rows a sheet may span, empty ones included, per row read (and at least MIN_SHEET_ROWS)
SHEET_ROWS_PER_ROW = 10
MIN_SHEET_ROWS = 100_000
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_LAST_ROW = re.compile(r"[A-Za-z]{0,3}\$?(\d+)$")
NOT_A_WORKBOOK = N_("the file cannot be opened as an Excel workbook (.xlsx)")
DAMAGED = N_(
    "the workbook is damaged and its content cannot be read; open it in Excel or WPS, save it again and upload it again"
)
TOO_MANY_ROWS = N_(
    "a sheet of the workbook spans more than %(max)s rows (empty rows included), more than are read; "
    "delete the empty rows below the data, or split the file into smaller files"
)

log = logging.getLogger(__name__)


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


def read_tables(data: bytes, max_rows: int, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED_BYTES) -> Iterator[Table]:
    """Each sheet of a workbook in order (one table for a CSV), keeping at most ``max_rows`` rows.

    A workbook that would unpack to more than ``max_uncompressed`` bytes is refused unread."""
    if not data or not data.strip():
        raise UnreadableFile(N_("the file is empty"))
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile(
            N_("old Excel files (.xls) cannot be read; save the file as .xlsx or CSV and upload it again")
        )
    if data.startswith(ZIP_MAGIC):
        check_package(data, sheet_row_limit(max_rows), max_uncompressed)
        yield from _workbook_tables(data, max_rows)
    else:
        yield _csv_table(data, max_rows)


def sheet_row_limit(max_rows: int) -> int:
    """How many rows a sheet may span, empty ones included, when ``max_rows`` of them are read."""
    return max(SHEET_ROWS_PER_ROW * max_rows, MIN_SHEET_ROWS)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def check_package(data: bytes, row_limit: int, max_uncompressed: int) -> None:
    """Refuse a workbook bomb from its ZIP directory and the first KB of its parts, before reading it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise UnreadableFile(
                    N_("the workbook holds %(parts)s parts, far more than a spreadsheet has; it is not read"),
                    parts=len(parts),
                )
            for part in parts:
                rows = _declared_rows(archive, part)
                if rows is not None and rows > row_limit:
                    raise UnreadableFile(TOO_MANY_ROWS, max=row_limit)
            unpacked = sum(part.file_size for part in parts)
            if unpacked > max_uncompressed:
                raise UnreadableFile(
                    N_(
                        "the workbook unpacks to %(size)s MB, more than the %(max)s MB that are read; "
                        "split it into smaller files or save it as CSV"
                    ),
                    size=_megabytes(unpacked),
                    max=_megabytes(max_uncompressed),
                )
            for part in parts:
                if part.file_size > PACKED_PART_BYTES and part.file_size > MAX_PACKING_RATIO * max(
                    part.compress_size, 1
                ):
                    raise UnreadableFile(
                        N_(
                            "the workbook is packed far more tightly than a spreadsheet is "
                            "(one part unpacks to %(ratio)s times its size); it is not read"
                        ),
                        ratio=part.file_size // max(part.compress_size, 1),
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
    ) as exc:
        # a damaged directory or part, an unknown compression, a password
        raise UnreadableFile(NOT_A_WORKBOOK) from exc


def _declared_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int | None:
    """The last row of a sheet's ``<dimension ref="A1:Z3000000"/>``, read from its first KB only."""
    if not part.filename.lower().endswith(".xml") or part.is_dir():
        return None
    with archive.open(part) as stream:
        head = stream.read(HEAD_BYTES)
    found = _DIMENSION.search(head)
    if found is None:
        return None
    last = _LAST_ROW.search(found.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].strip())
    return int(last.group(1)) if last else None


def _workbook_tables(data: bytes, max_rows: int) -> Iterator[Table]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SyntaxError as exc:  # broken XML (ElementTree's ParseError): a workbook, but damaged
        log.info("an uploaded workbook is damaged: %r", exc)
        raise UnreadableFile(DAMAGED) from exc
    except Exception as exc:  # openpyxl raises about anything on a file that is no workbook
        log.info("an uploaded workbook cannot be opened: %r", exc)
        raise UnreadableFile(NOT_A_WORKBOOK) from exc
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            yield _sheet_table(sheet, max_rows)
    finally:
        workbook.close()


def _sheet_table(sheet, max_rows: int) -> Table:
    row_limit = sheet_row_limit(max_rows)
    table = Table(name=sheet.title)
    try:
        sheet.reset_dimensions()  # some writers store wrong dimensions; read what is there
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if number > row_limit:
                raise UnreadableFile(TOO_MANY_ROWS, max=row_limit)
            if _keep(table, number, list(values), max_rows):
                break
    except UnreadableFile:
        raise
    except Exception as exc:  # broken XML, a cell openpyxl cannot make sense of: never its class name
        log.info("an uploaded workbook is damaged: %r", exc)
        raise UnreadableFile(DAMAGED) from exc
    return table


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
