"""Finding what a row names: its organisation, activity type, brand and people, as the user may see them.

Each look-up is loaded once per import (the organisations of the target subtree inside the
user's scope, the activity types, a subtree's members by name and by ID-number digest), so a
file of thousands of rows costs a handful of queries. A name that is unknown, ambiguous or
outside the user's reach raises ``Invalid`` with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import or_, select

from pbadmin.extensions import db
from pbadmin.importing.problems import N_, Invalid, mask_value, msgid_of
from pbadmin.importing.values import compact, folded, text
from pbadmin.models import ActivityType, Brand, Member, PartyOrganization, org_tree
from pbadmin.security.crypto import blind_index
from pbadmin.security.pii import InvalidIdNumber, validate_id_number
from pbadmin.security.scoping import Scope

#: a token of an attendance list that is meant as an ID number rather than a name
ID_LIKE = re.compile(r"[0-9]{17}[0-9Xx]")


class Organisations:
    """The target organisation's subtree inside the user's scope; and why any other is refused."""

    def __init__(self, target: PartyOrganization, scope: Scope) -> None:
        self.target = target
        self.scope = scope
        self.visible: set[int] | None = None if scope.unrestricted else set(db.session.scalars(scope.org_ids))
        self.subtree: set[int] = set(db.session.scalars(org_tree.subtree_ids([target.id])))
        allowed = self.subtree if self.visible is None else self.subtree & self.visible
        rows = db.session.execute(
            select(
                PartyOrganization.id, PartyOrganization.code, PartyOrganization.name, PartyOrganization.institution_id
            ).where(PartyOrganization.id.in_(allowed))
        ).all()
        self.by_id = {row.id: row for row in rows}
        self.by_code = {row.code: row for row in rows}
        self.by_folded_code = {folded(row.code).upper(): row for row in rows}
        self.by_name: dict[str, list] = defaultdict(list)
        for row in rows:
            self.by_name[compact(row.name)].append(row)
        self._cache: dict[str, int] = {}

    def is_visible(self, org_id: int) -> bool:
        return self.visible is None or org_id in self.visible

    def resolve(self, value: object) -> int:
        """The id of the organisation written as ``value`` (code or exact name)."""
        raw = text(value) or ""
        if raw not in self._cache:
            self._cache[raw] = self._resolve(raw)
        return self._cache[raw]

    def _resolve(self, raw: str) -> int:
        key = folded(raw)
        row = self.by_code.get(raw) or self.by_code.get(key) or self.by_folded_code.get(key.upper())
        if row is not None:
            return row.id
        named = self.by_name.get(compact(raw), [])
        if len(named) == 1:
            return named[0].id
        if len(named) > 1:
            codes = "、".join(sorted(row.code for row in named))
            raise Invalid(N_("several organisations have this name; write the code (%(codes)s)"), codes=codes)
        elsewhere = db.session.scalars(
            select(PartyOrganization.id).where(
                or_(PartyOrganization.code.in_({raw, key}), PartyOrganization.name.in_({raw, key}))
            )
        ).all()
        if not elsewhere:
            raise Invalid(N_("no party organisation has this code or name"))
        if not any(self.is_visible(org_id) for org_id in elsewhere):
            raise Invalid(N_("this organisation is outside your scope"))
        raise Invalid(N_("this organisation is not %(target)s or under it"), target=self.target.name)


class ActivityTypes:
    """Activity types by code (any case) or exact name; disabled ones are refused for new rows."""

    def __init__(self) -> None:
        rows = db.session.execute(
            select(ActivityType.id, ActivityType.code, ActivityType.name, ActivityType.active)
        ).all()
        self.by_code = {folded(row.code).upper(): row for row in rows}
        self.by_name: dict[str, list] = defaultdict(list)
        for row in rows:
            self.by_name[compact(row.name)].append(row)

    def resolve(self, value: object) -> int:
        row = self.by_code.get(folded(value).upper())
        if row is None:
            named = self.by_name.get(compact(value), [])
            active = [candidate for candidate in named if candidate.active]
            if len(active) > 1:
                codes = "、".join(sorted(candidate.code for candidate in active))
                raise Invalid(N_("several activity types have this name; write the code (%(codes)s)"), codes=codes)
            row = active[0] if active else (named[0] if named else None)
        if row is None:
            raise Invalid(N_("no activity type has this name or code"))
        if not row.active:
            raise Invalid(N_("this activity type is disabled and cannot be used"))
        return row.id


class Brands:
    """Brands by name within the user's scope; among namesakes, the one above the activity's organisation."""

    def __init__(self, organisations: Organisations) -> None:
        self.organisations = organisations
        self._by_name: dict[str, list] | None = None
        self._ancestors: dict[int, set[int]] = {}

    def _load(self) -> dict[str, list]:
        if self._by_name is None:
            self._by_name = defaultdict(list)
            rows = db.session.execute(
                select(Brand.id, Brand.name, Brand.organisation_id, Brand.active).where(
                    self.organisations.scope.clause(Brand)
                )
            ).all()
            for row in rows:
                self._by_name[compact(row.name)].append(row)
        return self._by_name

    def _ancestors_of(self, org_id: int) -> set[int]:
        if org_id not in self._ancestors:
            self._ancestors[org_id] = set(db.session.scalars(org_tree.ancestor_ids(org_id)))
        return self._ancestors[org_id]

    def resolve(self, value: object, org_id: int) -> int:
        candidates = self._load().get(compact(value), [])
        if len(candidates) > 1:
            above = self._ancestors_of(org_id)
            candidates = [row for row in candidates if row.organisation_id in above] or candidates
        if not candidates:
            raise Invalid(N_("no party-building brand of this name within your scope"))
        if len(candidates) > 1:
            raise Invalid(N_("several brands have this name and none belongs to this organisation or one above it"))
        if not candidates[0].active:
            raise Invalid(N_("this brand is disabled and cannot be used"))
        return candidates[0].id


class People:
    """The members of an organisation's subtree, by name and by ID-number digest (attendance lists)."""

    def __init__(self, organisations: Organisations) -> None:
        self.organisations = organisations
        self._subtrees: dict[int, tuple[dict[str, list[int]], dict[str, int]]] = {}

    def _members_under(self, org_id: int) -> tuple[dict[str, list[int]], dict[str, int]]:
        if org_id not in self._subtrees:
            by_name: dict[str, list[int]] = defaultdict(list)
            by_index: dict[str, int] = {}
            rows = db.session.execute(
                select(Member.id, Member.name, Member.id_number_index).where(
                    Member.organisation_id.in_(org_tree.subtree_ids([org_id]))
                )
            ).all()
            for row in rows:
                by_name[compact(row.name)].append(row.id)
                if row.id_number_index:
                    by_index[row.id_number_index] = row.id
            self._subtrees[org_id] = (by_name, by_index)
        return self._subtrees[org_id]

    def resolve(self, token: str, org_id: int, org_name: str) -> int:
        by_name, by_index = self._members_under(org_id)
        shown = mask_value(token)
        if ID_LIKE.fullmatch(token):
            try:
                key = blind_index(validate_id_number(token))
            except InvalidIdNumber as exc:
                raise Invalid(msgid_of(exc.args[0])) from exc
            found = [by_index[key]] if key in by_index else []
        else:
            found = by_name.get(compact(token), [])
        if not found:
            raise Invalid(
                N_("%(person)s is not a member of %(org)s or of an organisation under it"),
                person=shown,
                org=org_name,
            )
        if len(found) > 1:
            raise Invalid(
                N_("several members of %(org)s or under it are called %(person)s; write their ID numbers instead"),
                person=shown,
                org=org_name,
            )
        return found[0]
