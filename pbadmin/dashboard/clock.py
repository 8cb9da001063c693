"""Today in China, and the runs of months the dashboard and the lists show.

Kept in one place so that every screen agrees on what "this month" is and tests can set the date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from pbadmin.reporting.periods import Period

DEFAULT_TIMEZONE = "Asia/Shanghai"


def today() -> dt.date:
    """The date in the app's time zone (China by default): a branch's month ends at its midnight.

    ``PBADMIN_TODAY`` (a date or ``YYYY-MM-DD``) pins it, so tests and demos see a fixed calendar."""
    if not has_app_context():
        return dt.datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()
    pinned = current_app.config.get("PBADMIN_TODAY")
    if pinned:
        return pinned if isinstance(pinned, dt.date) else dt.date.fromisoformat(str(pinned))
    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE)
    return dt.datetime.now(ZoneInfo(zone)).date()


def months_ending(last: Period, count: int) -> list[Period]:
    """``count`` consecutive months ending with ``last`` (a month), oldest first."""
    months = [last]
    while len(months) < count:
        months.append(months[-1].previous())
    return months[::-1]


def last_complete_month(day: dt.date) -> Period:
    """The latest month that has ended before ``day``: what a list defaults to."""
    return Period.containing(day, "month").previous()
