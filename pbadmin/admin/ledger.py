"""The ledger page: pick an organisation in scope and a year, read or print its 台账, or download it as XLSX.

An organisation outside the user's scope is "not found" (404), as in every admin view; a year that is
not a number in range is flashed and replaced by this year on the page (404 for the download, which
must not quietly hand over another year). The XLSX download needs the export permission, which
viewers hold too. ID numbers are masked for everyone (see ``pbadmin.ledger.data``).
"""

from __future__ import annotations

from flask import abort, flash, request
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from pbadmin.admin.base import PbView
from pbadmin.admin.downloads import xlsx_download
from pbadmin.admin.tree import children_in_sight
from pbadmin.dashboard import clock
from pbadmin.extensions import db
from pbadmin.ledger.data import SECTIONS, gather
from pbadmin.ledger.text import HEADINGS, category_label, names, status_label
from pbadmin.ledger.xlsx import download_name, workbook_bytes
from pbadmin.models import PartyOrganization
from pbadmin.models.choices import ORG_KINDS
from pbadmin.models.labels import LABELS
from pbadmin.params import parse_int, record_id
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope

FIRST_YEAR = 1921


def organisation_options() -> list[tuple[int, str, str, int]]:
    """(id, name, kind label, depth) of every organisation in scope, in tree order; an organisation
    whose parent is out of sight starts a tree of its own, as on the organisation tree page."""
    rows = db.session.execute(
        select(PartyOrganization.id, PartyOrganization.parent_id, PartyOrganization.name, PartyOrganization.kind)
        .where(current_scope().clause(PartyOrganization))
        .order_by(PartyOrganization.name, PartyOrganization.id)
    ).all()
    children = children_in_sight(rows)
    options: list[tuple[int, str, str, int]] = []
    stack = [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        options.append((row.id, row.name, ORG_KINDS.label(row.kind), depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(row.id, [])))
    return options


class LedgerView(PbView):
    view_permission = roles.VIEW

    def _year(self) -> int | None:
        """The year asked for, this year when none was; None when it is not a year the ledger covers."""
        this_year = clock.today().year
        text = request.args.get("year", "").strip()
        if not text:
            return this_year
        return parse_int(text, FIRST_YEAR, this_year + 1)

    def _organisation(self, default: int | None) -> PartyOrganization | None:
        """The organisation asked for (or the default); 404 when it is malformed, missing or out of scope."""
        if "org" not in request.args:
            if default is None:
                return None
            wanted = default
        else:
            wanted = record_id(request.args["org"])
            if wanted is None:
                abort(404)
        organisation = db.session.scalar(
            select(PartyOrganization).where(PartyOrganization.id == wanted, current_scope().clause(PartyOrganization))
        )
        if organisation is None:
            abort(404)
        return organisation

    @expose("/")
    def index(self):
        options = organisation_options()
        organisation = self._organisation(options[0][0] if options else None)
        this_year = clock.today().year
        year = self._year()
        if year is None:
            flash(_("Enter a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=this_year + 1), "error")
            year = this_year
        ledger = gather(current_scope(), organisation, year) if organisation is not None else None
        return self.render(
            "pbadmin/ledger.html",
            options=options,
            organisation=organisation,
            year=year,
            this_year=this_year,
            first_year=FIRST_YEAR,
            ledger=ledger,
            sections=SECTIONS,
            headings=HEADINGS,
            labels=LABELS,
            names=names,
            status_label=status_label,
            category_label=category_label,
            can_export=current_user.can(roles.EXPORT),
            printed_on=clock.today(),
        )

    @expose("/export.xlsx")
    def export(self):
        if not current_user.can(roles.EXPORT):
            abort(403)
        organisation = self._organisation(None)
        if organisation is None:  # a download names its organisation
            abort(404)
        year = self._year()
        if year is None:
            abort(404)
        ledger = gather(current_scope(), organisation, year)
        return xlsx_download(workbook_bytes(ledger), download_name(ledger))
