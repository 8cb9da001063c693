"""When a dated thing counts for a day or a period: the same boundaries everywhere, written once.

- stocks: a thing counts when it began on or before the day (an unknown start counts as begun) and
  had not ended by then (its end date, if any, is after that day); organisations that pass this test
  on founded_on/dissolved_on are "standing";
- flows: datetimes from the period's first instant up to, not including, the first instant after it;
  dates from its first to its last day.

Reports (``measures``), 三会一课 compliance, the dashboard and the ledger all use these clauses.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_

from pbadmin.reporting.periods import Period


def began_by(column, day) -> ColumnElement[bool]:
    """Began on or before ``day`` (a date, or a date column); an unknown start counts as begun."""
    return or_(column.is_(None), column <= day)


def not_ended_by(column, day: dt.date) -> ColumnElement[bool]:
    """Still going at the end of ``day``: no end date, or one after it."""
    return or_(column.is_(None), column > day)


def standing(organisation, day: dt.date) -> ColumnElement[bool]:
    """An organisation (the model or an alias of it) that exists at the end of ``day``."""
    return and_(began_by(organisation.founded_on, day), not_ended_by(organisation.dissolved_on, day))


def started_within(column, start, end_before) -> ColumnElement[bool]:
    """A datetime in ``[start, end_before)``: the first instant counts, the instant after does not.
    The bounds may be datetimes or datetime columns (compliance windows)."""
    return and_(column >= start, column < end_before)


def dated_within(column, period: Period) -> ColumnElement[bool]:
    """A date from the period's first to its last day."""
    return column.between(period.start, period.end)
