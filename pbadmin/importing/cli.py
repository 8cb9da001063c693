"""``flask --app wsgi pbadmin import members|activities PATH --org CODE [--dry-run]``, a command per import kind.

The same check and write as the admin, in the foreground: every problem is printed (row,
column, masked value, reason) and the command exits 1 without writing anything; otherwise the
whole file is written in one transaction. The operator running the CLI is unrestricted, so the
scope is the target organisation's subtree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.importing.kinds import KINDS, ImportKind
from pbadmin.importing.pipeline import check_file, write
from pbadmin.models import PartyOrganization
from pbadmin.models.errors import describe_integrity_error
from pbadmin.security.scoping import UNRESTRICTED

import_cli = AppGroup("import", help="Import members or activities (with attendance) from .xlsx or .csv files.")


def _options(command):
    command = click.option(
        "--dry-run", is_flag=True, help="Check the file and print what would change; write nothing."
    )(command)
    command = click.option(
        "--org", "org_code", required=True, help="Code of the organisation whose subtree the file is imported into."
    )(command)
    return click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))(command)


def _command_for(kind: ImportKind) -> None:
    """``import <kind> PATH --org CODE [--dry-run]``, one per import kind."""

    def run(path: Path, org_code: str, dry_run: bool) -> None:
        _import(kind.code, path, org_code, dry_run)

    import_cli.command(kind.code, help=kind.command_help)(_options(run))


for _kind in KINDS.values():
    _command_for(_kind)


def _import(kind: str, path: Path, org_code: str, dry_run: bool) -> None:
    target = db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == org_code))
    if target is None:
        raise click.UsageError(f"no organisation with code {org_code!r}")
    with acting_as("cli:import"):
        check = check_file(kind, path.read_bytes(), target, UNRESTRICTED, progress=_progress)
        if not check.ok:
            for problem in check.problems:
                click.echo(problem.line())
            if check.bad_rows:
                summary = _(
                    "%(rows)s of %(total)s rows have problems; nothing was imported.",
                    rows=check.bad_rows,
                    total=check.total_rows,
                )
            else:
                summary = _("The file cannot be imported as it is; nothing was imported.")
            click.echo(summary, err=True)
            sys.exit(1)
        created, updated, unchanged = check.counts
        counts = {"created": created, "updated": updated, "unchanged": unchanged}
        if dry_run:
            db.session.rollback()
            click.echo(_("No problems. Would create %(created)s, update %(updated)s, leave %(unchanged)s.", **counts))
            return
        try:
            write(check)
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            click.echo(
                _("The import failed and nothing was saved: %(error)s", error=describe_integrity_error(exc)), err=True
            )
            sys.exit(1)
    click.echo(_("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.", **counts))


def _progress(done: int, total: int) -> None:
    if total > 1000 and sys.stderr.isatty():
        click.echo(f"\r{done}/{total}", nl=done >= total, err=True)
