"""List filters that know the organisation tree."""
from __future__ import annotations

from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from pbadmin.models import PartyOrganization, org_tree


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
