"""A list page issues a bounded number of SQL statements whatever its page size (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Brand,
    CommitteeSeat,
    Donation,
    Member,
    Pairing,
    PartyOrganization,
    Rectification,
)

ROWS = 120


@pytest.fixture
def crowded(app, world):
    """Enough rows in every list that a per-row query would show up."""
    with app.app_context():
        org = db.session.get(PartyOrganization, world["org_a"])
        other = db.session.get(PartyOrganization, world["org_b"])
        theme = db.session.get(ActivityType, world["type_theme"])
        brand = db.session.get(Brand, world["brand_a"])
        for index in range(ROWS):
            # every row hangs off a different branch, so a per-row lazy load cannot hide in the identity map
            branch = PartyOrganization(
                code=f"G{index:03d}", name=f"党小组{index:03d}", kind="branch", parent=org, region_id=org.region_id
            )
            member = Member(
                name=f"成员{index:03d}", gender="female", organisation=branch, status="full", phone=f"138{index:08d}"
            )
            db.session.add_all([branch, member])
            db.session.flush()
            db.session.add(CommitteeSeat(organisation=branch, member=member, role="secretary"))
            db.session.add(
                Activity(
                    organisation=branch,
                    activity_type=theme,
                    brand=brand,
                    title=f"活动{index:03d}",
                    starts_at=dt.datetime(2022, 1, 1) + dt.timedelta(days=index),
                )
            )
            db.session.add(
                Rectification(
                    organisation=branch,
                    problem=f"问题{index:03d}",
                    source="inspection",
                    responsible=member,
                    found_on=dt.date(2024, 1, 1),
                    deadline=dt.date(2024, 2, 1),
                    status="open",
                )
            )
            db.session.add(Donation(organisation=branch, member=member, month=202401, amount=10, fund="基金"))
            db.session.add(Pairing(helper=branch, helped=other, started_on=dt.date(2024, 1, 1), status="active"))
        db.session.commit()
    return world


def statements_for(app, client, url) -> int:
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert answer.status_code == 200, url
    return len(seen)


@pytest.mark.parametrize(
    "endpoint", ["members", "activities", "rectifications", "donations", "organisations", "pairings", "audit"]
)
def test_list_statements_do_not_grow_with_page_size(app, crowded, superadmin_client, endpoint):
    small = statements_for(app, superadmin_client, f"/admin/{endpoint}/?page_size=20")
    large = statements_for(app, superadmin_client, f"/admin/{endpoint}/?page_size=100")
    assert large == small, f"{endpoint}: {small} statements for 20 rows but {large} for 100"
    assert small <= 12


def test_scoped_list_statements_do_not_grow_either(app, crowded, staff_a_client):
    small = statements_for(app, staff_a_client, "/admin/members/?page_size=20")
    large = statements_for(app, staff_a_client, "/admin/members/?page_size=100")
    assert large == small
