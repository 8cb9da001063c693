"""The org units a province knows, read from pbadmin's own database (for the demo and the CLI sandbox).

Every organisation with a report code in the province's regions (its profile's GB/T 2260
``province_prefix``; dhis2's "" is every region), its parent being the report code of the nearest
ancestor that has one: the tree the province issued codes for.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import aliased

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, org_tree
from pbadmin.sync.profiles import PROFILES


def org_units_from_database(app: Flask) -> Callable[[str], list[dict]]:
    """A ``SandboxConfig.org_units`` reading ``app``'s database on every call, one query each time."""

    def org_units(profile: str) -> list[dict]:
        spec = PROFILES.get(profile)
        if spec is None:
            return []
        prefix = spec.province_prefix
        with app.app_context():
            rows = db.session.execute(_query(prefix)).all()
        return [{"code": code, "name": name, "parent": parent} for code, name, parent in rows]

    return org_units


def _query(prefix: str):
    ancestor = aliased(PartyOrganization)
    closure = org_tree.table.c
    nearest_coded_ancestor = (
        select(ancestor.report_code)
        .join(org_tree.table, closure.ancestor_id == ancestor.id)
        .where(
            closure.descendant_id == PartyOrganization.id,
            closure.depth > 0,
            ancestor.report_code.is_not(None),
        )
        .order_by(closure.depth)
        .limit(1)
        .correlate(PartyOrganization)
        .scalar_subquery()
    )
    return (
        select(PartyOrganization.report_code, PartyOrganization.name, nearest_coded_ancestor)
        .join(Region, Region.id == PartyOrganization.region_id)
        .where(PartyOrganization.report_code.is_not(None), Region.code.startswith(prefix, autoescape=True))
        .order_by(PartyOrganization.report_code)
    )
