"""What scheduled jobs do, as module-level functions APScheduler stores by reference.

A plugin's ``ScheduleSpec.job`` names the work: ``build_and_push:PB_MONTHLY`` (and the quarterly
and yearly data sets) builds the last complete period's reports for every reporting organisation
and queues them (or leaves them for approval); ``pull_catalogue`` refreshes the province's
catalogue. The outbox workers do the sending.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import ScheduleState
from pbadmin.models.base import utcnow
from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.plugins.specs import ScheduleSpec
from pbadmin.reporting.periods import DATA_SETS, Period
from pbadmin.sync import lease, province_catalogue
from pbadmin.sync.lifecycle import BuildResult, build_report, reporting_organisations
from pbadmin.sync.target import approval_required, target_for

log = logging.getLogger(__name__)
BUILD = "build_and_push:"
PULL = "pull_catalogue"

_bound: dict = {"app": None, "holder": None}


def bind(app: Flask, holder: str | None) -> None:
    """The app (and lease holder) the scheduler of this process runs jobs for."""
    _bound.update(app=app, holder=holder)


# --- the schedule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedJob:
    job_id: str
    plugin: str
    cron: str
    job: str
    description: str


def planned_jobs() -> list[PlannedJob]:
    """Every enabled plugin's schedules; a setting ``<suffix>_cron`` overrides job ``<plugin>:<suffix>``."""
    registry = enablement.registry()
    planned = []
    for plugin in sorted(enablement.enabled_names()):
        record = registry.records.get(plugin)
        if record is None or not record.healthy:
            continue
        try:
            specs: list[ScheduleSpec] = registry.hooks(plugin).register_schedules()
        except PluginError:
            continue
        settings = enablement.settings_of(plugin)
        for spec in specs:
            suffix = spec.name.split(":", 1)[-1]
            cron = settings.get(f"{suffix}_cron") or spec.cron
            planned.append(PlannedJob(spec.name, plugin, cron, spec.job, spec.description))
    return planned


def today_in_china() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))).date()


# --- doing the work ----------------------------------------------------------------------------


def build_all(plugin: str, period: Period, actor: str, approve: bool) -> list[BuildResult]:
    """Build the period's report of every reporting organisation of the plugin; commits."""
    results = [build_report(plugin, org, period, actor, approve) for org in reporting_organisations(plugin, period)]
    db.session.commit()
    return results


def perform(plugin: str, job: str, today: dt.date | None = None) -> str:
    """Do one job now; returns a one-line summary for the sync page."""
    if job == PULL:
        row = province_catalogue.pull(target_for(plugin))
        return (
            f"目录已更新：{len(row.elements or [])} 个数据元，{len(row.org_units or [])} 个组织机构 / catalogue pulled"
        )
    if job.startswith(BUILD) and job[len(BUILD) :] in DATA_SETS.values():
        period = Period.last_complete(job[len(BUILD) :], today or today_in_china())
        approve = not approval_required(plugin)
        results = build_all(plugin, period, "scheduler", approve)
        return summarise(period, results)
    raise ValueError(f"unknown job {job!r}: expected {PULL} or {BUILD}<data set>")


def summarise(period: Period, results: list[BuildResult]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.change] = counts.get(result.change, 0) + 1
    detail = "，".join(f"{CHANGE_LABELS.get(k, k)} {v}" for k, v in sorted(counts.items())) or "没有报送单位"
    errors = [r.message for r in results if r.change == "error"]
    return f"{period.code}：{detail}" + (f"；{errors[0]}" if errors else "")


CHANGE_LABELS = {
    "new": "新生成",
    "revised": "新版本",
    "unchanged": "无变化",
    "requeued": "重新排队",
    "approved": "已审核",
    "error": "无法生成",
}


def run_job(job_id: str) -> None:
    """The scheduler's entry point for every job: guarded by the lease, its outcome kept for the sync page."""
    app = _bound["app"]
    if app is None:
        log.error("scheduled job %s ran before a scheduler bound an app", job_id)
        return
    with app.app_context(), acting_as("scheduler", source="scheduler"):
        try:
            holder = _bound["holder"]
            if holder is not None and not lease.holds(holder):
                log.warning("job %s skipped: this process does not hold the scheduler lease", job_id)
                return
            planned = {job.job_id: job for job in planned_jobs()}.get(job_id)
            if planned is None:
                log.warning("job %s is no longer planned (plugin disabled?)", job_id)
                return
            run_planned(planned)
        finally:
            db.session.remove()


def run_planned(planned: PlannedJob, today: dt.date | None = None) -> ScheduleState:
    """Run one planned job and remember when it ran and how it went."""
    row = schedule_state(planned.job_id, planned.plugin)
    row.last_started_at = utcnow()
    db.session.commit()
    try:
        message, outcome = perform(planned.plugin, planned.job, today), "ok"
    except Exception as exc:  # the job's failure is shown on the sync page; the scheduler keeps going
        db.session.rollback()
        log.exception("job %s failed", planned.job_id)
        message, outcome = str(exc) or exc.__class__.__name__, "error"
    row = schedule_state(planned.job_id, planned.plugin)
    row.last_finished_at, row.last_outcome, row.last_message = utcnow(), outcome, message[:2000]
    db.session.commit()
    return row


def schedule_state(job_id: str, plugin: str) -> ScheduleState:
    row = db.session.get(ScheduleState, job_id)
    if row is None:
        row = ScheduleState(job_id=job_id, plugin=plugin, paused=False)
        db.session.add(row)
    return row


def paused_job_ids() -> set[str]:
    return set(db.session.scalars(select(ScheduleState.job_id).where(ScheduleState.paused.is_(True))))
