"""The one active scheduler: the lease, jobs in the database job store, pauses, coalesced misfires, takeover."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import ScheduleState, apscheduler_jobs
from pbadmin.plugins import enablement
from pbadmin.sync import jobs, lease
from pbadmin.sync.scheduler import SchedulerService
from pbadmin.sync.status import next_runs
from tests.helpers import wait_until
from tests.sync.conftest import start_pbadmin, stop_pbadmin, subprocess_env


def stored_jobs(app) -> dict[str, float | None]:
    with app.app_context():
        return dict(db.session.execute(select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time)).all())


@pytest.fixture
def service(gateway):
    """A scheduler service of the gateway's app, stopped after the test."""
    services = []

    def start(gw, holder: str = "test-scheduler") -> SchedulerService:
        svc = SchedulerService(gw.app, holder)
        services.append(svc)
        with gw.app.app_context():
            svc.tick()
        return svc

    yield start
    for svc in services:
        svc.stop()


def test_only_the_lease_holder_leads_and_a_lapsed_lease_is_taken_over(gateway):
    gw = gateway()
    with gw.app.app_context():
        assert lease.acquire("host-a", ttl=1)
        assert not lease.acquire("host-b", ttl=1)
        assert lease.acquire("host-a", ttl=1)  # renewal
        assert lease.holds("host-a") and not lease.holds("host-b")
        # host-a died: it stopped renewing, and its lease lapses by the database's clock
        wait_until(_lease_lapsed, 10, "host-a's lease to lapse")
        assert lease.acquire("host-b", ttl=1)
        assert not lease.acquire("host-a", ttl=1)
        lease.release("host-b")
        assert lease.acquire("host-a", ttl=1)  # a clean stop hands over at once


def test_enabled_plugins_schedules_become_jobs_in_the_application_database(gateway, service):
    gw = gateway()
    svc = service(gw)
    assert svc.is_leader
    stored = stored_jobs(gw.app)
    names = {f"{gw.plugin}:{suffix}" for suffix in ("monthly", "quarterly", "yearly", "catalogue")}
    assert names <= set(stored) and all(stored[name] for name in names)
    with gw.app.app_context():
        monthly = next_runs([f"{gw.plugin}:monthly"])[f"{gw.plugin}:monthly"]
    china = monthly.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (china.day, china.hour, china.minute) == (1, 2, 0)  # "0 2 1 * *" in Asia/Shanghai


def test_a_cron_setting_overrides_the_plugins_schedule(gateway, service):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"monthly_cron": "15 6 2 * *"})
        db.session.commit()
    service(gw)
    with gw.app.app_context():
        monthly = next_runs([f"{gw.plugin}:monthly"])[f"{gw.plugin}:monthly"]
    china = monthly.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (china.day, china.hour, china.minute) == (2, 6, 15)


def test_a_paused_schedule_is_paused_by_the_active_scheduler_and_resumed(gateway, service):
    gw = gateway()
    svc = service(gw)
    job_id = f"{gw.plugin}:monthly"
    with gw.app.app_context():
        jobs.schedule_state(job_id, gw.plugin).paused = True
        db.session.commit()
        svc.tick()
    assert stored_jobs(gw.app)[job_id] is None
    with gw.app.app_context():
        db.session.get(ScheduleState, job_id).paused = False
        db.session.commit()
        svc.tick()
    assert stored_jobs(gw.app)[job_id] is not None


def test_a_disabled_plugins_jobs_are_removed(gateway, service):
    gw = gateway()
    svc = service(gw)
    with gw.app.app_context():
        enablement.disable(gw.plugin)
        db.session.commit()
        svc.tick()
    assert not any(job_id.startswith(gw.plugin) for job_id in stored_jobs(gw.app))


def test_missed_runs_coalesce_into_one(gateway, service, monkeypatch):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"monthly_cron": "* * * * *"})
        db.session.commit()
    calls = []
    monkeypatch.setattr(jobs, "perform", lambda plugin, job, today=None: calls.append(job) or "ok")
    svc = service(gw)
    job_id = f"{gw.plugin}:monthly"
    ten_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    svc.scheduler.modify_job(job_id, next_run_time=ten_minutes_ago)  # ten runs were missed
    svc.scheduler.wakeup()
    wait_until(lambda: len(calls) >= 1, 10, "the missed job to run")
    # APScheduler submits every run it is going to make for the missed times before it stores the
    # job's next run time: once that lies ahead, no further missed run can come
    wait_until(lambda: stored_jobs(gw.app)[job_id] > time.time(), 10, "the job's next run to be in the future")
    assert calls == ["build_and_push:PB_MONTHLY"]  # once, not ten times


def test_a_job_does_nothing_in_a_process_that_does_not_hold_the_lease(gateway, monkeypatch):
    gw = gateway()
    calls = []
    monkeypatch.setattr(jobs, "perform", lambda plugin, job, today=None: calls.append(job) or "ok")
    with gw.app.app_context():
        assert lease.acquire("the-real-scheduler", ttl=60)
    jobs.bind(gw.app, "a-stray-scheduler")
    jobs.run_job(f"{gw.plugin}:monthly")
    assert calls == []
    jobs.bind(gw.app, "the-real-scheduler")
    jobs.run_job(f"{gw.plugin}:monthly")
    assert calls == ["build_and_push:PB_MONTHLY"]
    with gw.app.app_context():
        row = db.session.get(ScheduleState, f"{gw.plugin}:monthly")
        assert row.last_outcome == "ok" and row.last_finished_at is not None


def test_a_failing_job_is_recorded_and_the_scheduler_goes_on(gateway, monkeypatch):
    gw = gateway()

    def broken(plugin, job, today=None):
        raise RuntimeError("省平台目录接口不可用")

    monkeypatch.setattr(jobs, "perform", broken)
    with gw.app.app_context():
        [planned] = [job for job in jobs.planned_jobs() if job.job_id.endswith(":catalogue")]
        row = jobs.run_planned(planned)
        assert row.last_outcome == "error" and "目录接口不可用" in row.last_message


def test_two_scheduler_processes_one_leads_and_the_other_takes_over_when_it_is_killed(gateway, plugins_dir):
    gw = gateway()
    env = subprocess_env(gw.app, plugins_dir, PBADMIN_SCHEDULER_LEASE_SECONDS="2", PBADMIN_OUTBOX_WORKERS="1")
    processes = [start_pbadmin(env, "scheduler") for _ in range(2)]
    try:
        wait_until(lambda: _holder_pid(gw) in {p.pid for p in processes}, 60, "a scheduler to take the lease")
        leader = next(p for p in processes if p.pid == _holder_pid(gw))
        follower = next(p for p in processes if p is not leader)
        first_expiry = _lease_times(gw)[1]
        renewed_past_it = lambda: _lease_times(gw)[0] > first_expiry  # noqa: E731
        wait_until(renewed_past_it, 30, "the leader to renew its lease beyond the first expiry")
        assert _holder_pid(gw) == leader.pid  # it keeps the lease while it lives
        assert f"{gw.plugin}:monthly" in stored_jobs(gw.app)
        os.kill(leader.pid, signal.SIGKILL)
        wait_until(lambda: _holder_pid(gw) == follower.pid, 30, "the other scheduler to take over")
    finally:
        outputs = [stop_pbadmin(process) for process in processes]
    assert follower.returncode == 0, outputs  # it stopped cleanly on SIGTERM …
    assert _holder_pid(gw) is None  # … and handed the lease back at once


def test_a_background_starts_and_stops_its_scheduler_and_workers_cleanly(gateway):
    from pbadmin.sync.runtime import Background

    gw = gateway()
    background = Background(gw.app, scheduler=True, workers=2).start()
    wait_until(lambda: background.scheduler.is_leader, 10, "the scheduler to lead")
    assert all(worker.is_alive() for worker in background.workers)
    background.stop()
    assert not any(worker.is_alive() for worker in background.workers)
    assert not background.scheduler.is_leader
    with gw.app.app_context():
        assert not lease.holds(background.scheduler.holder)


def _lease_lapsed() -> bool:
    db.session.expire_all()
    return lease.current().expires_at < lease.database_now()


def _lease_times(gw) -> tuple[dt.datetime, dt.datetime]:
    """(renewed_at, expires_at) of the scheduler lease."""
    with gw.app.app_context():
        row = lease.current()
        return row.renewed_at, row.expires_at


def _holder_pid(gw) -> int | None:
    with gw.app.app_context():
        row = lease.current()
        if row is None or row.expires_at < lease.database_now():
            return None
        return int(row.holder.split(":")[1])


def test_a_stop_signal_ends_the_wait_of_a_scheduler_or_worker_process():
    """``pbadmin scheduler`` and ``sync worker`` wait on ``StopRequest``: its handler only flips a flag
    the main thread polls, so the signal is seen whichever thread the kernel gives it to."""
    from pbadmin.sync.cli import StopRequest

    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        stop = StopRequest()
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
        asked_for = 30.0
        started = time.monotonic()
        stop.sleep(asked_for)
        assert stop.requested
        assert time.monotonic() - started < asked_for  # it ended early, on the signal
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
