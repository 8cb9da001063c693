"""Rows added to tests.helpers' small world, and the report values read back; call inside an app context."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, Attendance, Member, PartyOrganization, Region
from pbadmin.reporting.metrics import compute
from pbadmin.reporting.periods import Period


def save(*rows):
    db.session.add_all(rows)
    db.session.commit()
    return rows[0] if len(rows) == 1 else rows


def organisation(code: str, kind: str, parent_id: int, **values) -> int:
    region_id = db.session.scalar(select(Region.id).where(Region.code == "331004"))
    row = save(
        PartyOrganization(code=code, name=f"{code}组织", kind=kind, parent_id=parent_id, region_id=region_id, **values)
    )
    return row.id


def activity_type(code: str, category: str = "shyk", shyk_kind: str | None = None, counts_towards: str | None = None):
    """The activity type of that code, created if the world does not have it yet."""
    row = db.session.scalar(select(ActivityType).where(ActivityType.code == code))
    if row is None:
        row = save(
            ActivityType(code=code, name=code, category=category, shyk_kind=shyk_kind, counts_towards=counts_towards)
        )
    return row


def activity(org_id: int, type_code: str, starts_at: dt.datetime, present=(), on_leave=(), **values) -> int:
    row = Activity(
        organisation_id=org_id,
        activity_type_id=activity_type(type_code).id,
        title=f"{type_code} {starts_at:%Y-%m-%d %H:%M:%S.%f}",
        starts_at=starts_at,
        **values,
    )
    row.attendance = [Attendance(member_id=member_id, status="present") for member_id in present] + [
        Attendance(member_id=member_id, status="leave") for member_id in on_leave
    ]
    return save(row).id


def member(org_id: int, status: str = "full", **values) -> int:
    return save(Member(organisation_id=org_id, name="测试党员", gender="female", status=status, **values)).id


def report(plugin: str, org_id: int, period: str) -> dict[str, Decimal]:
    return compute(plugin, org_id, Period.parse(period))
