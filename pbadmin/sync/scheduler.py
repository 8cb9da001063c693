"""The one active scheduler: APScheduler 3.x on a persistent job store, run by whoever holds the lease.

Every process that may schedule (the web process under ``make run``, ``flask pbadmin scheduler``
in production, on any number of hosts) runs a ``SchedulerService``. Each tries the lease every
few seconds; only the holder runs APScheduler, whose jobs live in the application database
(``apscheduler_jobs``), so a takeover continues where the old holder stopped and missed runs
coalesce into one. The holder also keeps the jobs in line with the enabled plugins' schedules
and with the pause switches any process may flip.
"""

from __future__ import annotations

import logging
import threading

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from pbadmin.extensions import db
from pbadmin.sync import jobs, lease
from pbadmin.sync.outbox import worker_name

log = logging.getLogger(__name__)
JOB_FUNCTION = "pbadmin.sync.jobs:run_job"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600}


class SchedulerService:
    def __init__(self, app: Flask, holder: str | None = None) -> None:
        self.app = app
        self.holder = holder or worker_name("scheduler")
        self.ttl = float(app.config.get("PBADMIN_SCHEDULER_LEASE_SECONDS", 30))
        self.interval = float(app.config.get("PBADMIN_SCHEDULER_RENEW_SECONDS", max(1.0, self.ttl / 3)))
        self.timezone = app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_leader(self) -> bool:
        return self.scheduler is not None and self.scheduler.running

    # --- life ------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="pbadmin-scheduler-lease", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        with self.app.app_context():
            self._step_down()
            try:
                lease.release(self.holder)
            finally:
                db.session.remove()

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self.app.app_context():
                try:
                    self.tick()
                except Exception:  # the database may be away for a moment: keep trying, never die
                    db.session.rollback()
                    log.exception("scheduler: lease check failed")
                finally:
                    db.session.remove()
            self._stop.wait(self.interval)

    def tick(self) -> None:
        """Take or renew the lease; lead (start APScheduler, align its jobs) or follow (stop it)."""
        if lease.acquire(self.holder, self.ttl):
            if not self.is_leader:
                self._lead()
            self.align()
        elif self.is_leader:
            log.warning("scheduler: lease lost to another process; standing down")
            self._step_down()

    def _lead(self) -> None:
        jobs.bind(self.app, self.holder)
        store = SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_jobs")
        self.scheduler = BackgroundScheduler(
            jobstores={"default": store}, job_defaults=JOB_DEFAULTS, timezone=self.timezone
        )
        self.scheduler.start()
        log.info("scheduler: %s holds the lease and runs the schedule", self.holder)

    def _step_down(self) -> None:
        if self.scheduler is not None:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)
            self.scheduler = None

    # --- keeping jobs in line with the plugins --------------------------------------------
    def align(self) -> None:
        """Add, replace, remove, pause and resume jobs so they match the plugins and the pause switches."""
        scheduler = self.scheduler
        if scheduler is None:
            return
        planned = {job.job_id: job for job in jobs.planned_jobs()}
        paused = jobs.paused_job_ids()
        existing = {job.id: job for job in scheduler.get_jobs()}
        for job_id in set(existing) - set(planned):
            scheduler.remove_job(job_id)
        for job_id, plan in planned.items():
            trigger = CronTrigger.from_crontab(plan.cron, timezone=self.timezone)
            job = existing.get(job_id)
            if job is None or str(job.trigger) != str(trigger):
                job = scheduler.add_job(
                    JOB_FUNCTION,
                    trigger=trigger,
                    args=[job_id],
                    id=job_id,
                    name=plan.description or job_id,
                    replace_existing=True,
                )
            if job_id in paused and job.next_run_time is not None:
                scheduler.pause_job(job_id)
            elif job_id not in paused and job.next_run_time is None:
                scheduler.resume_job(job_id)
