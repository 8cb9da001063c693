"""A lease row in the application database decides which process runs the scheduler.

Every scheduler process tries to take or renew the lease every few seconds; the holder keeps it
while it renews, and when it dies the lease lapses and another process takes over. The clock is
the database's (PostgreSQL) so hosts need not agree on the time. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from pbadmin.extensions import db
from pbadmin.models import SchedulerLease
from pbadmin.models.base import database_now

SCHEDULER = "scheduler"


def acquire(holder: str, ttl: float, name: str = SCHEDULER) -> bool:
    """Take or renew the lease for ``ttl`` seconds; True when ``holder`` holds it now. Commits."""
    now = database_now()
    expires = now + dt.timedelta(seconds=ttl)
    table = SchedulerLease.__table__
    renewed = db.session.execute(
        update(table)
        .where(table.c.name == name, or_(table.c.holder == holder, table.c.expires_at < now))
        .values(
            holder=holder,
            renewed_at=now,
            expires_at=expires,
            acquired_at=_keep_if_same_holder(table, holder, now),
        )
    )
    if renewed.rowcount == 1:
        db.session.commit()
        return True
    exists = db.session.scalar(select(table.c.name).where(table.c.name == name))
    if exists is not None:
        db.session.commit()
        return False
    try:
        db.session.execute(
            insert(table).values(name=name, holder=holder, acquired_at=now, renewed_at=now, expires_at=expires)
        )
        db.session.commit()
        return True
    except IntegrityError:  # another process inserted it first
        db.session.rollback()
        return False


def _keep_if_same_holder(table, holder: str, now: dt.datetime):
    """A renewal keeps the time the lease was first taken; a takeover starts it anew."""
    return case((table.c.holder == holder, table.c.acquired_at), else_=now)


def release(holder: str, name: str = SCHEDULER) -> None:
    """Give the lease up at once (clean shutdown), so another process need not wait for it to lapse."""
    now = database_now()
    table = SchedulerLease.__table__
    db.session.execute(
        update(table).where(table.c.name == name, table.c.holder == holder).values(expires_at=now, renewed_at=now)
    )
    db.session.commit()


def holds(holder: str, name: str = SCHEDULER) -> bool:
    now = database_now()
    table = SchedulerLease.__table__
    row = db.session.execute(select(table.c.holder, table.c.expires_at).where(table.c.name == name)).first()
    return row is not None and row.holder == holder and row.expires_at > now


def current(name: str = SCHEDULER) -> SchedulerLease | None:
    return db.session.get(SchedulerLease, name, populate_existing=True)
