"""Login throttling kept in the database, so it holds across processes and hosts."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, or_, select

from pbadmin.extensions import db
from pbadmin.models import LoginAttempt
from pbadmin.models.base import utcnow


def _window_start() -> dt.datetime:
    return utcnow() - dt.timedelta(seconds=current_app.config["PBADMIN_LOGIN_WINDOW_SECONDS"])


def is_throttled(username: str, ip: str) -> bool:
    """Too many failures for this username or from this address within the window."""
    limit = current_app.config["PBADMIN_LOGIN_MAX_FAILURES"]
    since = _window_start()
    failures = db.session.execute(
        select(
            func.count().filter(LoginAttempt.username == username),
            func.count().filter(LoginAttempt.ip == ip),
        ).where(
            LoginAttempt.at >= since,
            LoginAttempt.success.is_(False),
            or_(LoginAttempt.username == username, LoginAttempt.ip == ip),
        )
    ).one()
    # one address may try several accounts, but not endlessly
    return failures[0] >= limit or failures[1] >= limit * 4


def record_attempt(username: str, ip: str, success: bool) -> None:
    db.session.add(LoginAttempt(username=username[:64], ip=ip[:45], success=success))
    if success:
        # a good login clears that account's failures
        db.session.execute(
            db.delete(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.success.is_(False))
        )
    db.session.commit()
