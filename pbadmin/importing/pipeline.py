"""The steps every import shares: read, find the header, check every row, and only then write.

``check_file`` reads the database and never writes to it; it returns every problem and, when
there are none, an importer holding the plan. ``write`` applies the plan in the caller's
transaction, so the caller commits everything or rolls everything back. Rows are checked in
chunks so look-ups are batched and progress can be reported as the check goes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from pbadmin.importing.columns import HEADER_SEARCH_ROWS, Column, Header, find_header
from pbadmin.importing.kinds import kind_of
from pbadmin.importing.problems import N_, Invalid, Problem, mask_value
from pbadmin.importing.readers import DEFAULT_MAX_UNCOMPRESSED_BYTES, Table, UnreadableFile, read_tables
from pbadmin.importing.values import is_blank
from pbadmin.models import PartyOrganization
from pbadmin.security.scoping import Scope

DEFAULT_MAX_ROWS = 20_000
CHUNK_ROWS = 200

#: called with (rows checked so far, rows in the file)
Progress = Callable[[int, int], None]


def max_rows() -> int:
    return int(current_app.config.get("PBADMIN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_uncompressed_bytes() -> int:
    """What an uploaded workbook may unpack to, all its parts together."""
    return int(current_app.config.get("PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES))


@dataclass
class RowInput:
    """One data row on its way through the checks."""

    number: int
    #: field -> parsed value, or the cell itself for columns the importer parses; blank cells are absent
    values: dict[str, object] = field(default_factory=dict)
    #: field -> the cell as written (shown, masked, in problems)
    raw: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: fields that already have a problem: later checks leave them alone
    failed: set[str] = field(default_factory=set)

    def fail(self, column: Column, error: Invalid, value: object | None = None) -> None:
        shown = self.raw.get(column.field) if value is None else value
        self.problems.append(
            Problem(self.number, column.header, mask_value(shown, column.mask), error.message, error.params)
        )
        self.failed.add(column.field)

    def ok(self, *fields: str) -> bool:
        """Whether every one of ``fields`` has a value and no problem."""
        return all(name in self.values and name not in self.failed for name in fields)


class Importer(ABC):
    """Checks the rows of one kind of file against the database, then writes what it planned."""

    kind: str
    columns: tuple[Column, ...]

    def __init__(self, target: PartyOrganization, scope: Scope) -> None:
        self.target = target
        self.scope = scope
        self.present: set[str] = set()
        self.created = 0
        self.updated = 0
        self.unchanged = 0

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.field == name)

    @abstractmethod
    def check_rows(self, rows: list[RowInput]) -> None:
        """Check a chunk of parsed rows (appending to their problems) and plan the good ones."""

    @abstractmethod
    def apply(self) -> None:
        """Write the plan through the ORM session; the caller commits or rolls back."""


@dataclass
class Check:
    """What checking a whole file found."""

    kind: str
    total_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    importer: Importer | None = None
    #: the file could not be read at all (its problem says why)
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.importer is not None

    @property
    def bad_rows(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})

    @property
    def counts(self) -> tuple[int, int, int]:
        """(new, updated, unchanged) rows, as planned or as written."""
        if self.importer is None:
            return 0, 0, 0
        return self.importer.created, self.importer.updated, self.importer.unchanged


def importer_class(kind: str) -> type[Importer]:
    return kind_of(kind).importer()


def _file_problem(message: str, **params: object) -> Problem:
    return Problem(None, "", "", message, {key: str(value) for key, value in params.items()})


def locate(data: bytes, columns: tuple[Column, ...], limit: int) -> tuple[Table, Header] | None:
    """The first sheet with a header row of these columns, and that header; raises UnreadableFile."""
    for table in read_tables(data, limit + HEADER_SEARCH_ROWS, max_uncompressed_bytes()):
        header = find_header(table, columns)
        if header is not None:
            return table, header
    return None


def check_file(
    kind: str, data: bytes, target: PartyOrganization, scope: Scope, progress: Progress | None = None
) -> Check:
    """Check every row of the file; touch nothing."""
    columns = kind_of(kind).columns
    check = Check(kind=kind)
    limit = max_rows()
    try:
        found = locate(data, columns, limit)
    except UnreadableFile as exc:
        check.problems.append(_file_problem(exc.message, **exc.params))
        check.unreadable = True
        return check
    if found is None:
        headers = "、".join(column.header for column in columns if column.required)
        check.problems.append(
            _file_problem(
                N_("no header row found: one of the first rows must hold the headers (%(headers)s)"), headers=headers
            )
        )
        return check
    table, header = found
    rows = [(number, cells) for number, cells in table.rows if number > header.row]
    check.total_rows = len(rows)
    check.problems.extend(header.problems)
    if table.truncated or len(rows) > limit:
        check.problems.append(
            _file_problem(N_("the file has more than %(max)s data rows; split it into smaller files"), max=limit)
        )
        return check
    if not rows:
        check.problems.append(_file_problem(N_("the file has no data rows")))
        return check
    missing_required = any(column.required and column.field not in header.positions for column in columns)
    if missing_required:
        return check  # every row would repeat the header's problem

    importer = importer_class(kind)(target, scope)
    importer.present = set(header.positions)
    if progress:
        progress(0, len(rows))
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = [
            _parse_row(number, cells, header.positions, columns) for number, cells in rows[start : start + CHUNK_ROWS]
        ]
        importer.check_rows(chunk)
        for row in chunk:
            check.problems.extend(row.problems)
        if progress:
            progress(min(start + CHUNK_ROWS, len(rows)), len(rows))
    check.importer = importer
    return check


def _parse_row(number: int, cells: list, positions: dict[str, int], columns: tuple[Column, ...]) -> RowInput:
    row = RowInput(number=number)
    for column in columns:
        position = positions.get(column.field)
        if position is None:
            continue
        cell = cells[position] if position < len(cells) else None
        if is_blank(cell):
            if column.required:
                row.fail(column, Invalid(N_("a required value is missing")), value="")
            continue
        row.raw[column.field] = cell
        try:
            row.values[column.field] = column.parse(cell)
        except Invalid as error:
            row.fail(column, error)
    return row


def write(check: Check) -> Check:
    """Apply a clean check's plan in the current transaction (the caller commits)."""
    if not check.ok:
        raise ValueError("only a check without problems can be written")
    check.importer.apply()
    return check
