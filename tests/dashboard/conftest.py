"""Fixtures for the dashboard and the compliance lists: a pinned calendar and records to count.

The world (tests.helpers): committee R over branches A and B in region 331004; committee X in
510114; a 主题党日 of each of A, B and X on 2024-03-05 serving 12 people; an open rectification of
each, due 2024-03-01; pairings A→X (no report) and B→X (a report for 202402).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, PluginState, Region
from pbadmin.security.scoping import UNRESTRICTED, Scope
from tests.reporting.conftest import with_plugin  # noqa: F401  (a fixture used here too)
from tests.reporting.records import activity, activity_type, save

#: what clock.today() answers in these tests: March 2024 is the last complete month
TODAY = dt.date(2024, 4, 15)

TYPE_OF_KIND = {
    "general": "SHYK_GENERAL",
    "committee": "SHYK_COMMITTEE",
    "group": "SHYK_GROUP",
    "lecture": "SHYK_LECTURE",
}


@pytest.fixture(autouse=True)
def pinned_today(app):
    app.config["PBADMIN_TODAY"] = TODAY.isoformat()
    return TODAY


def meet(org_id: int, kind: str, when: dt.datetime, **values) -> int:
    """A 三会一课 activity of ``kind`` held by the organisation (the type is made if missing)."""
    activity_type(TYPE_OF_KIND[kind], "shyk", kind)
    return activity(org_id, TYPE_OF_KIND[kind], when, **values)


def full_months(org_id: int, year: int, months, general_in=(), lecture_in=()) -> None:
    """A 支委会 and a 党小组会 in each month, a 支部党员大会 / 党课 in the months named."""
    for month in months:
        meet(org_id, "committee", dt.datetime(year, month, 3, 15))
        meet(org_id, "group", dt.datetime(year, month, 10, 15))
    for month in general_in:
        meet(org_id, "general", dt.datetime(year, month, 17, 15))
    for month in lecture_in:
        meet(org_id, "lecture", dt.datetime(year, month, 24, 15))


def far_branch(world, code: str = "Y", **values) -> int:
    """A branch under committee X, in region 510114 (outside the region admin's region)."""
    region_id = db.session.scalar(select(Region.id).where(Region.code == "510114"))
    row = PartyOrganization(
        code=code, name=f"{code}远方党支部", kind="branch", parent_id=world["org_x"], region_id=region_id, **values
    )
    return save(row).id


def enable_plugin(name: str) -> None:
    save(PluginState(name=name, enabled=True, settings={}))


def scope_of(world, who: str) -> Scope:
    """The scope of the world's users, without logging in."""
    if who == "root":
        return UNRESTRICTED
    if who == "region_admin":
        return Scope(unrestricted=False, region_grants=(world["region"],))
    return Scope(unrestricted=False, org_grants=(world["org_a"],))
