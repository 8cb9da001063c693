"""The admin home page: a dashboard of the user's scope — key figures, charts and the compliance heat map.

Figures, chart series and the heat map are computed in SQL (``pbadmin.dashboard``); the charts are
drawn in the browser by the vendored Chart.js from a JSON block, so the page loads nothing from
another origin and runs no inline script.
"""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import gettext as _
from flask_login import current_user

from pbadmin.admin.links import may_open
from pbadmin.dashboard import clock
from pbadmin.dashboard.charts import chart_data, latest_activity_month
from pbadmin.dashboard.figures import FIGURES, MEMBER_PARTS, key_figures
from pbadmin.dashboard.heatmap import heat_map
from pbadmin.models.choices import SHYK_KINDS
from pbadmin.reporting.periods import Period, PeriodError
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope

#: months the charts and the heat map cover
MONTHS = 12

#: where each key figure's card leads: (endpoint, url arguments)
FIGURE_LINKS = {
    "organisations": ("org_tree.index", {}),
    "branches": ("organisations.index_view", {}),
    "members": ("members.index_view", {}),
    "activities_this_year": ("activities.index_view", {}),
    "served_this_year": ("activities.index_view", {}),
    "rectifications_open": ("rectifications.index_view", {}),
    "rectifications_overdue": ("compliance.index", {"_anchor": "pb-overdue"}),
    "reports_awaiting": ("sync.index", {}),
}


class HomeView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        scope = current_scope()
        today = clock.today()
        with_reports = current_user.can(roles.APPROVE_REPORTS)
        values = key_figures(scope, today, with_reports)
        figures = [(key, label, values[key], _link(key)) for key, label in FIGURES if key in values]
        until = _until(today)
        chart_months = clock.months_ending(until, MONTHS)
        heat_months = clock.months_ending(min(until, clock.last_complete_month(today), key=_start), MONTHS)
        latest = latest_activity_month(scope, dt.datetime.combine(today, dt.time.min))
        earlier = latest if latest is not None and latest.start < chart_months[0].start else None
        return self.render(
            "pbadmin/home.html",
            figures=figures,
            member_parts=[(key, label, values[key]) for key, label in MEMBER_PARTS],
            charts=chart_data(scope, chart_months),
            chart_span=(chart_months[0], chart_months[-1]),
            heat=heat_map(scope, heat_months),
            shyk_kinds=SHYK_KINDS,
            today=today,
            until=until,
            earlier_activity=earlier,
            compliance_link=may_open("compliance"),
        )


def _until(today: dt.date) -> Period:
    """The last month the charts and the heat map show: this month, or ``?until=YYYYMM`` (or YYYY-MM)."""
    current = Period.containing(today, "month")
    text = request.args.get("until", "").strip().replace("-", "")
    if not text:
        return current
    try:
        month = Period.parse(text)
    except PeriodError:
        month = None
    if month is None or month.frequency != "month" or month.start > today:
        flash(_("Choose a month that has begun, such as 202403."), "error")
        return current
    return month


def _start(period: Period) -> dt.date:
    return period.start


def _link(key: str) -> str | None:
    """The card's link, if the user may open that page."""
    endpoint, arguments = FIGURE_LINKS[key]
    if not may_open(endpoint.split(".", 1)[0]):
        return None
    return url_for(endpoint, **arguments)
