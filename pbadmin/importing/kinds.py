"""The kinds of file pbadmin imports, each described once: its columns, template, importer and command.

The codes and their labels are ``IMPORT_KINDS`` of the import-job model (the database keeps a job's
kind inside that set); everything else about a kind is here, and every layer of the import (the
pipeline, the template, the bad-rows workbook, the admin page and the command line) reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from pbadmin.importing.columns import ACTIVITY_COLUMNS, MEMBER_COLUMNS, Column
from pbadmin.importing.problems import N_
from pbadmin.models.importing import IMPORT_KINDS


@dataclass(frozen=True)
class ImportKind:
    code: str
    columns: tuple[Column, ...]
    #: title of the template's data sheet, and the template's file name
    sheet_title: str
    template_filename: str
    #: how importing the same file again behaves, for the template's notes and the command's help
    reimport_note: str
    #: "module:Class" of its Importer (the importers build on the pipeline, so they load when used)
    importer_path: str
    #: the help of ``flask pbadmin import <code>``
    command_help: str

    def importer(self) -> Callable:
        module, name = self.importer_path.split(":")
        return getattr(import_module(module), name)


KINDS: dict[str, ImportKind] = {
    kind.code: kind
    for kind in (
        ImportKind(
            "members",
            MEMBER_COLUMNS,
            "党员花名册",
            "党员花名册导入模板.xlsx",
            N_("Importing the same roster again updates the members found by their ID number."),
            "pbadmin.importing.members:MemberImporter",
            "Import a roster (花名册); members already stored are found by ID number and updated.",
        ),
        ImportKind(
            "activities",
            ACTIVITY_COLUMNS,
            "活动及出勤",
            "活动及出勤导入模板.xlsx",
            N_("An activity with the same organisation, type, title and start is updated; so is its attendance."),
            "pbadmin.importing.activities:ActivityImporter",
            "Import activities with their attendance; an activity already stored is updated.",
        ),
    )
}
assert set(KINDS) == set(IMPORT_KINDS.codes), "every import kind the database allows is described here"


def kind_of(code: str) -> ImportKind:
    return KINDS[code]
