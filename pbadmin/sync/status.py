"""What the sync page and ``sync status`` show: per plugin, its schedules, queue, failures and last answer.

Everything is read from the database, so any process (any web worker, any host) shows the same
picture whichever process runs the scheduler.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import GatewayCatalogue, Report, ScheduleState, apscheduler_jobs
from pbadmin.models.reports import REPORT_STATUSES
from pbadmin.sync import lease
from pbadmin.sync.jobs import PlannedJob, planned_jobs

RECENT = 20


@dataclass
class ScheduleRow:
    plan: PlannedJob
    next_run: dt.datetime | None
    state: ScheduleState | None

    @property
    def paused(self) -> bool:
        return bool(self.state and self.state.paused)


@dataclass
class PluginSync:
    plugin: str
    schedules: list[ScheduleRow]
    counts: dict[str, int]
    failures: list[Report]
    recent: list[Report]
    last_answered: Report | None
    catalogue: GatewayCatalogue | None
    statuses: list[tuple[str, str]] = field(default_factory=lambda: list(REPORT_STATUSES.pairs))

    @property
    def waiting(self) -> int:
        return sum(self.counts.get(status, 0) for status in ("built", "queued", "sent"))


def next_runs(job_ids: list[str]) -> dict[str, dt.datetime | None]:
    """APScheduler keeps each job's next run in its table (UTC seconds); read it from any process."""
    if not job_ids:
        return {}
    table = apscheduler_jobs
    rows = db.session.execute(select(table.c.id, table.c.next_run_time).where(table.c.id.in_(job_ids))).all()
    return {
        job_id: dt.datetime.fromtimestamp(when, dt.UTC).replace(tzinfo=None) if when is not None else None
        for job_id, when in rows
    }


def plugin_sync(plugin: str, report_scope=None) -> PluginSync:
    """The picture for one plugin; ``report_scope`` (a SQL clause) limits the reports to the user's scope."""
    plans = [plan for plan in planned_jobs() if plan.plugin == plugin]
    runs = next_runs([plan.job_id for plan in plans])
    states = {
        row.job_id: row for row in db.session.scalars(select(ScheduleState).where(ScheduleState.plugin == plugin))
    }
    schedules = [ScheduleRow(plan, runs.get(plan.job_id), states.get(plan.job_id)) for plan in plans]
    where = [Report.plugin == plugin] + ([report_scope] if report_scope is not None else [])
    counts = dict(db.session.execute(select(Report.status, func.count()).where(*where).group_by(Report.status)).all())
    failures = list(
        db.session.scalars(
            select(Report)
            .where(*where, Report.status.in_(("failed", "rejected", "held")))
            .order_by(Report.updated_at.desc())
            .limit(RECENT)
        )
    )
    recent = list(db.session.scalars(select(Report).where(*where).order_by(Report.id.desc()).limit(RECENT)))
    last_answered = db.session.scalar(
        select(Report).where(*where, Report.answer.is_not(None)).order_by(Report.updated_at.desc()).limit(1)
    )
    return PluginSync(
        plugin, schedules, counts, failures, recent, last_answered, db.session.get(GatewayCatalogue, plugin)
    )


def scheduler_holder() -> tuple[str | None, dt.datetime | None]:
    row = lease.current()
    return (row.holder, row.expires_at) if row is not None else (None, None)
