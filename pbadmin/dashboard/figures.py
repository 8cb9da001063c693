"""The dashboard's key figures, all in one SELECT of scalar subqueries over the user's scope."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import ScalarSelect, func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, Member, PartyOrganization, Rectification, Report
from pbadmin.models.choices import BRANCH_KINDS
from pbadmin.reporting.boundaries import standing, started_within
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import Scope

#: (key, label) in the order the cards show them; "reports_awaiting" only for those who approve reports
FIGURES = (
    ("organisations", _l("Party organisations")),
    ("branches", _l("Branches")),
    ("members", _l("Members")),
    ("activities_this_year", _l("Activities this year")),
    ("served_this_year", _l("People served this year")),
    ("rectifications_open", _l("Open rectifications")),
    ("rectifications_overdue", _l("Overdue rectifications")),
    ("reports_awaiting", _l("Reports awaiting approval")),
)
#: shown inside the members card
MEMBER_PARTS = (("members_full", _l("Full")), ("members_probationary", _l("Probationary")))


def _count(model, *where) -> ScalarSelect:
    return select(func.count(model.id)).where(*where).scalar_subquery()


def key_figures(scope: Scope, today: dt.date, with_reports: bool) -> dict[str, int]:
    """Every figure of FIGURES and MEMBER_PARTS for the scope, as of ``today``; organisations and
    branches are those standing today, members those full or probationary."""
    year = Period.containing(today, "year")
    open_ = (scope.clause(Rectification), Rectification.status != "closed")
    parts = {
        "organisations": _count(PartyOrganization, scope.clause(PartyOrganization), standing(PartyOrganization, today)),
        "branches": _count(
            PartyOrganization,
            scope.clause(PartyOrganization),
            standing(PartyOrganization, today),
            PartyOrganization.kind.in_(BRANCH_KINDS),
        ),
        "members_full": _count(Member, scope.clause(Member), Member.status == "full"),
        "members_probationary": _count(Member, scope.clause(Member), Member.status == "probationary"),
        "activities_this_year": _count(
            Activity, scope.clause(Activity), started_within(Activity.starts_at, year.start_at, year.end_before)
        ),
        "served_this_year": select(func.coalesce(func.sum(Activity.people_served), 0))
        .where(scope.clause(Activity), started_within(Activity.starts_at, year.start_at, year.end_before))
        .scalar_subquery(),
        "rectifications_open": _count(Rectification, *open_),
        "rectifications_overdue": _count(Rectification, *open_, Rectification.deadline < today),
    }
    if with_reports:
        parts["reports_awaiting"] = _count(Report, scope.clause(Report), Report.status == "built")
    row = db.session.execute(select(*(query.label(key) for key, query in parts.items()))).one()
    values = {key: int(value or 0) for key, value in zip(parts, row, strict=True)}
    values["members"] = values["members_full"] + values["members_probationary"]
    return values
