"""Gathering a ledger costs the same number of SQL statements for ten rows a section as for forty (no N+1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from pbadmin.extensions import db
from pbadmin.ledger.data import gather
from pbadmin.models import (
    Activity,
    ActivityType,
    Attendance,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
)
from pbadmin.security.scoping import Scope


def add_rows(world, start: int, count: int) -> None:
    """``count`` more of every kind of ledger row, each under a branch of its own below branch A."""
    branch_a = db.session.get(PartyOrganization, world["org_a"])
    far = db.session.get(PartyOrganization, world["org_x"])
    theme = db.session.get(ActivityType, world["type_theme"])
    for index in range(start, start + count):
        branch = PartyOrganization(
            code=f"Q{index:03d}",
            name=f"党小组{index:03d}",
            kind="branch",
            parent=branch_a,
            region_id=branch_a.region_id,
        )
        member = Member(name=f"成员{index:03d}", gender="female", organisation=branch, status="full")
        meeting = Activity(
            organisation=branch, activity_type=theme, title=f"活动{index:03d}", starts_at=dt.datetime(2024, 4, 1)
        )
        pairing = Pairing(helper=branch, helped=far, started_on=dt.date(2024, 1, 1), status="active")
        db.session.add_all([branch, member, meeting, pairing])
        db.session.flush()
        db.session.add_all(
            [
                Attendance(activity=meeting, member=member, status="present"),
                PairingReport(pairing=pairing, month=202404, content="月报", submitted_on=dt.date(2024, 5, 1)),
                Rectification(
                    organisation=branch,
                    problem=f"问题{index:03d}",
                    source="inspection",
                    responsible=member,
                    found_on=dt.date(2024, 1, 1),
                    deadline=dt.date(2024, 2, 1),
                    status="open",
                ),
            ]
        )
    db.session.commit()


def statements_to_gather(world, scope: Scope) -> tuple[int, int]:
    """(statements run, member lines) for branch A's 2024 ledger, with a fresh session (no cached rows)."""
    db.session.expire_all()
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        ledger = gather(scope, db.session.get(PartyOrganization, world["org_a"]), 2024)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), len(ledger.members)


def test_gather_statements_do_not_grow_with_rows(app, world):
    scope = Scope(unrestricted=False, org_grants=(world["org_a"],))
    with app.app_context():
        add_rows(world, 0, 10)
        few, members_few = statements_to_gather(world, scope)
        add_rows(world, 10, 30)
        many, members_many = statements_to_gather(world, scope)
    assert members_many == members_few + 30
    assert many == few
    assert few <= 10
