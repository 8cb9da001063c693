"""The organisation tree page: the user's visible part of the tree, in one query."""

from __future__ import annotations

from flask_admin import expose
from sqlalchemy import select

from pbadmin.admin.base import PbView
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization
from pbadmin.models.choices import ORG_KINDS
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope


class OrgTreeView(PbView):
    view_permission = roles.VIEW

    @expose("/")
    def index(self):
        scope = current_scope()
        # scope.clause is one closure-table look-up. Parents are taken as seen from inside
        # the scope: a node whose parent the user cannot see is a root on this page.
        rows = db.session.execute(
            select(
                PartyOrganization.id,
                PartyOrganization.parent_id,
                PartyOrganization.name,
                PartyOrganization.kind,
                PartyOrganization.code,
            )
            .where(scope.clause(PartyOrganization))
            .order_by(PartyOrganization.code)
        ).all()
        return self.render("pbadmin/tree.html", children=children_in_sight(rows), kinds=ORG_KINDS)


def children_in_sight(rows) -> dict[int | None, list]:
    """Rows (with ``id`` and ``parent_id``) by their parent, in the given order; a row whose parent
    is not among them is a root (under ``None``), as its parent lies outside the user's scope."""
    visible = {row.id for row in rows}
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in visible else None, []).append(row)
    return children
