"""List filters that know the organisation tree."""

from __future__ import annotations

from flask_admin.contrib.sqla.filters import BaseSQLAFilter, IntEqualFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from pbadmin.extensions import db
from pbadmin.models import ActivityType, PartyOrganization, org_tree


class OrgSubtreeFilter(BaseSQLAFilter):
    """Records of the organisations matching the text (code or part of the name) and all below them."""

    def apply(self, query, value, alias=None):
        text = value.strip()
        matching = select(PartyOrganization.id).where(
            or_(PartyOrganization.code == text, PartyOrganization.name.contains(text, autoescape=True))
        )
        return query.filter(self.get_column(alias).in_(org_tree.subtree_ids(matching)))

    def operation(self):
        return _l("in subtree of")


class DatabaseOptionsFilter(IntEqualFilter):
    """An "equals" drop-down whose options come from the database at render time.

    Flask-Admin computes filter options once, when the view is built (outside any
    request); PbModelView asks ``current_options`` again each time the list renders.
    """

    def __init__(self, column, name, query) -> None:
        super().__init__(column, name)
        self.query = query

    def current_options(self) -> list[tuple[str, str]]:
        return [(str(key), label) for key, label in db.session.execute(self.query)]


def activity_type_filter(column) -> DatabaseOptionsFilter:
    """A drop-down of activity types (a small table), instead of a filter per type column."""
    query = select(ActivityType.id, ActivityType.name).order_by(ActivityType.code)
    return DatabaseOptionsFilter(column, _l("Activity type"), query)
