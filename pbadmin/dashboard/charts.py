"""The dashboard's chart data: one GROUP BY per chart over the user's scope, shaped for Chart.js.

Each function returns ``{"labels": [...], "datasets": [{"label": ..., "data": [...]}]}``, which the
page embeds as JSON and ``static/dashboard.js`` draws. Months are grouped by EXTRACT(year/month),
which both SQLite and PostgreSQL compile without bound parameters, so GROUP BY matches SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, extract, func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, Brand, Member
from pbadmin.models.choices import MEMBER_STATUSES
from pbadmin.reporting.boundaries import started_within
from pbadmin.reporting.periods import Period
from pbadmin.security.scoping import Scope

#: the brand chart shows the most active brands only
TOP_BRANDS = 15


def month_label(month: Period) -> str:
    return f"{month.start.year}-{month.start.month:02d}"


def _in_months(months: Sequence[Period]) -> ColumnElement[bool]:
    return started_within(Activity.starts_at, months[0].start_at, months[-1].end_before)


def _month_index(months: Sequence[Period]) -> dict[tuple[int, int], int]:
    return {(month.start.year, month.start.month): index for index, month in enumerate(months)}


def _year_month():
    return extract("year", Activity.starts_at), extract("month", Activity.starts_at)


def activities_by_type(scope: Scope, months: Sequence[Period]) -> dict:
    """Activities started in each month, one stacked dataset per activity type (busiest type first)."""
    year, month = _year_month()
    query = (
        select(year, month, ActivityType.id, ActivityType.name, func.count(Activity.id))
        .join(ActivityType, ActivityType.id == Activity.activity_type_id)
        .where(scope.clause(Activity), _in_months(months))
        .group_by(year, month, ActivityType.id, ActivityType.name)
    )
    index = _month_index(months)
    series: dict[int, dict] = {}
    for y, m, type_id, name, count in db.session.execute(query):
        dataset = series.setdefault(type_id, {"label": name, "data": [0] * len(months)})
        dataset["data"][index[int(y), int(m)]] += count
    datasets = sorted(series.values(), key=lambda d: (-sum(d["data"]), d["label"]))
    return {"labels": [month_label(m) for m in months], "datasets": datasets}


def people_served(scope: Scope, months: Sequence[Period]) -> dict:
    """People served (服务群众人次) by the activities started in each month."""
    year, month = _year_month()
    query = (
        select(year, month, func.coalesce(func.sum(Activity.people_served), 0))
        .where(scope.clause(Activity), _in_months(months))
        .group_by(year, month)
    )
    index = _month_index(months)
    data = [0] * len(months)
    for y, m, total in db.session.execute(query):
        data[index[int(y), int(m)]] = int(total)
    return {"labels": [month_label(m) for m in months], "datasets": [{"label": _("People served"), "data": data}]}


def members_by_status(scope: Scope) -> dict:
    """Members in scope by status, in the statuses' own order; statuses nobody has are left out."""
    query = select(Member.status, func.count(Member.id)).where(scope.clause(Member)).group_by(Member.status)
    counts = dict(db.session.execute(query).all())
    codes = [code for code in MEMBER_STATUSES.codes if counts.get(code)]
    return {
        "labels": [MEMBER_STATUSES.label(code) for code in codes],
        "codes": codes,
        "datasets": [{"label": _("Members"), "data": [counts[code] for code in codes]}],
    }


def brand_activity(scope: Scope, months: Sequence[Period]) -> dict:
    """Activities under each brand in the months, the TOP_BRANDS busiest brands first."""
    count = func.count(Activity.id)
    query = (
        select(Brand.name, count)
        .join(Brand, Brand.id == Activity.brand_id)
        .where(scope.clause(Activity), _in_months(months))
        .group_by(Brand.id, Brand.name)
        .order_by(count.desc(), Brand.name)
        .limit(TOP_BRANDS)
    )
    rows = db.session.execute(query).all()
    return {
        "labels": [name for name, _count in rows],
        "datasets": [{"label": _("Activities"), "data": [n for _name, n in rows]}],
    }


def chart_data(scope: Scope, months: Sequence[Period]) -> dict:
    """Everything the dashboard's charts draw, keyed by chart."""
    return {
        "activities": activities_by_type(scope, months),
        "served": people_served(scope, months),
        "members": members_by_status(scope),
        "brands": brand_activity(scope, months),
    }


def latest_activity_month(scope: Scope, today) -> Period | None:
    """The month of the latest activity in scope that has begun: where a dashboard with an empty
    window (a region whose records are all older, such as the demo's) can point the user."""
    latest = db.session.scalar(
        select(func.max(Activity.starts_at)).where(scope.clause(Activity), Activity.starts_at < today)
    )
    return Period.containing(latest.date(), "month") if latest is not None else None
