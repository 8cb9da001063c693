"""The compliance page: missed 三会一课 windows, overdue rectifications and missing pairing reports.

For a month or quarter (the last complete month by default) it lists every branch in the user's
scope and every rule window due, missed first, with a link to record the meeting; then the
rectifications past their deadline and the pairings whose monthly report is missing, each with a
link to act on it. Read-only: every link leads to the ordinary, scoped admin views.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pbadmin.admin.base import PbView
from pbadmin.admin.filters import DatabaseOptionsFilter, OrgSubtreeFilter
from pbadmin.admin.links import may_create, may_open, view_for
from pbadmin.dashboard import clock
from pbadmin.dashboard.compliance_lists import (
    WindowRow,
    branch_codes,
    missing_pairing_reports,
    overdue_rectifications,
    shyk_type_ids,
    shyk_windows,
)
from pbadmin.models.choices import RECTIFICATION_STATUSES, SHYK_KINDS
from pbadmin.reporting.periods import Period, PeriodError
from pbadmin.security import roles
from pbadmin.security.scoping import current_scope

#: how far back the period picker offers
PICKER_MONTHS = 24
PICKER_QUARTERS = 8
PER_WORDS = {"month": _l("month"), "quarter": _l("quarter"), "year": _l("year")}


def rule_text(rule) -> str:
    """A rule in the user's language, e.g. 支委会：每月至少 1 次."""
    return _(
        "%(kind)s: at least %(minimum)s a %(per)s",
        kind=SHYK_KINDS.label(rule.shyk_kind),
        minimum=rule.minimum,
        per=PER_WORDS.get(rule.per, rule.per),
    )


def activity_list_url(org_code: str, type_id: int | None, window: Period) -> str | None:
    """The activity list filtered to the branch's subtree, the rule's activity type and the window,
    with whichever of those filters the activity view offers."""
    view = view_for("activities")
    if view is None or not view.is_accessible():
        return None
    wanted = {
        "organisation": org_code,
        "type": None if type_id is None else str(type_id),
        "window": f"{window.start_at:%Y-%m-%d %H:%M:%S} to {window.end:%Y-%m-%d} 23:59:59",
    }
    args: dict[str, str] = {}
    for key, (_index, flt) in (view._filter_args or {}).items():
        what = _filter_kind(flt)
        if what is not None and wanted.get(what) is not None:
            args[f"flt{len(args)}_{key}"] = wanted.pop(what)
    return url_for("activities.index_view", **args)


def _filter_kind(flt) -> str | None:
    """Which of the activity list's filters this is: the subtree, the type, the start-time range."""
    column = getattr(getattr(flt, "column", None), "key", None)
    if isinstance(flt, OrgSubtreeFilter) and column == "organisation_id":
        return "organisation"
    if isinstance(flt, DatabaseOptionsFilter) and column == "activity_type_id":
        return "type"
    is_between = isinstance(flt, sqla_filters.DateTimeBetweenFilter)
    if is_between and not isinstance(flt, sqla_filters.DateTimeNotBetweenFilter) and column == "starts_at":
        return "window"
    return None


def ended_months(period: Period, today) -> list[Period]:
    """The period's months that are over: a monthly report is not missing before its month ends."""
    return [month for month in period.windows("month") if month.end < today]


def _picker(today, chosen: Period) -> tuple[list[Period], list[Period]]:
    """Recent months and quarters, the running ones included, newest first; the chosen one is always there."""
    months = clock.months_ending(Period.containing(today, "month"), PICKER_MONTHS)[::-1]
    quarters = [Period.containing(today, "quarter")]
    while len(quarters) < PICKER_QUARTERS:
        quarters.append(quarters[-1].previous())
    listed = months if chosen.frequency == "month" else quarters
    if chosen not in listed:
        listed.append(chosen)
    return months, quarters


class ComplianceView(PbView):
    view_permission = roles.VIEW

    def _period(self, today) -> Period:
        default = clock.last_complete_month(today)
        text = request.args.get("period", "").strip()
        if not text:
            return default
        try:
            period = Period.parse(text)
        except PeriodError:
            flash(_("Choose a month (such as 202403) or a quarter (such as 2024Q1)."), "error")
            return default
        if period.frequency not in ("month", "quarter"):
            flash(_("Choose a month (such as 202403) or a quarter (such as 2024Q1)."), "error")
            return default
        if period.start > today:  # nothing can be due yet (and year 9999 has no next month)
            flash(_("That period has not begun yet."), "error")
            return default
        return period

    @expose("/")
    def index(self):
        scope = current_scope()
        today = clock.today()
        period = self._period(today)
        only_missed = request.args.get("missed") == "1"
        windows = shyk_windows(scope, period)
        branches = {row.result.branch_id for row in windows}
        short = {row.result.branch_id for row in windows if not row.met}
        shown = [row for row in windows if not row.met] if only_missed else windows
        here = request.full_path
        return self.render(
            "pbadmin/compliance.html",
            period=period,
            ongoing=period.end >= today,
            months=_picker(today, period),
            only_missed=only_missed,
            windows=shown,
            branch_count=len(branches),
            short_count=len(short),
            links=_window_links(shown, here),
            overdue=overdue_rectifications(scope, today),
            missing=missing_pairing_reports(scope, ended_months(period, today)),
            today=today,
            here=here,
            rule_text=rule_text,
            statuses=RECTIFICATION_STATUSES,
            can_edit_rectifications=current_user.can(roles.EDIT) and may_open("rectifications"),
            can_create_reports=may_create("pairing_reports"),
            can_open_pairings=may_open("pairings"),
        )


def _window_links(rows: list[WindowRow], here: str) -> dict[tuple[int, str, str], dict[str, str | None]]:
    """Per (branch, rule kind, window): where to record the missing meeting and where to see those held."""
    codes = branch_codes([row.result.branch_id for row in rows if not row.met])
    type_ids = shyk_type_ids() if codes else {}
    can_create = may_create("activities")
    links = {}
    for row in rows:
        if row.met:
            continue
        result = row.result
        code = codes.get(result.branch_id)
        type_id = type_ids.get(result.rule.shyk_kind)
        listing = activity_list_url(code, type_id, result.window) if code else None
        create = (
            url_for("activities.create_view", url=here, organisation=result.branch_id, activity_type=type_id)
            if can_create
            else None
        )
        links[(result.branch_id, result.rule.shyk_kind, result.window.code)] = {"create": create, "list": listing}
    return links
