"""What a user may see and touch: one or more organisation subtrees, or a region's.

A ``Scope`` turns a user's grants into SQL: ``org_ids`` is a sub-select of every
visible organisation id (closure-table look-ups, never recursion in Python), and
``clause(Model)`` asks the model's own ``scope_clause`` how it hangs off those ids.
Every admin list, count, detail, form, export, ajax look-up and action goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import Select, exists, false, inspect, select, true, union

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, org_tree, region_tree
from pbadmin.models.auth import SUPERADMIN


@dataclass(frozen=True)
class Scope:
    unrestricted: bool
    org_grants: tuple[int, ...] = ()
    region_grants: tuple[int, ...] = ()

    @property
    def region_ids(self) -> Select:
        return region_tree.subtree_ids(self.region_grants)

    @property
    def org_ids(self) -> Select:
        in_granted_subtrees = org_tree.subtree_ids(self.org_grants)
        if not self.region_grants:
            return in_granted_subtrees
        in_granted_regions = select(PartyOrganization.id).where(PartyOrganization.region_id.in_(self.region_ids))
        return select(union(in_granted_subtrees, in_granted_regions).subquery().c[0])

    @property
    def is_empty(self) -> bool:
        return not (self.unrestricted or self.org_grants or self.region_grants)

    def clause(self, model):
        """The records of ``model`` this scope may read."""
        if self.unrestricted:
            return true()
        if self.is_empty:
            return false()
        return model.scope_clause(self)

    def write_clause(self, model):
        """The records of ``model`` this scope may change: the readable ones, unless the model is
        stricter (a pairing is read by both sides but written only by the helping side)."""
        if self.unrestricted:
            return true()
        if self.is_empty:
            return false()
        return model.write_scope_clause(self)

    def contains(self, obj, writing: bool = False) -> bool:
        """Whether a persisted (flushed) object lies inside this scope (for writing, if asked)."""
        if self.unrestricted:
            return True
        model = type(obj)
        pk = inspect(obj).identity
        if pk is None:
            return False
        clause = self.write_clause(model) if writing else self.clause(model)
        query = select(exists().where(model.id == pk[0], clause))
        return bool(db.session.execute(query).scalar())

    def contains_org(self, org_id: int | None) -> bool:
        if self.unrestricted:
            return True
        if org_id is None:
            return False
        return bool(
            db.session.execute(
                select(exists().where(PartyOrganization.id == org_id, PartyOrganization.id.in_(self.org_ids)))
            ).scalar()
        )


UNRESTRICTED = Scope(unrestricted=True)
NOTHING = Scope(unrestricted=False)


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.role_name == SUPERADMIN:
        return UNRESTRICTED
    return Scope(
        unrestricted=False,
        org_grants=tuple(sorted(org.id for org in user.organisations)),
        region_grants=tuple(sorted(region.id for region in user.regions)),
    )


def current_scope() -> Scope:
    """The logged-in user's scope, computed once per request; outside requests (CLI) all."""
    if not has_request_context():
        return UNRESTRICTED
    user_key = current_user.get_id() if current_user else None
    cached = g.get("pbadmin_scope")
    if cached is None or cached[0] != user_key:
        cached = (user_key, scope_for(current_user))
        g.pbadmin_scope = cached
    return cached[1]
