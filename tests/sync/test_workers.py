"""Outbox workers in separate processes: racing ones deliver each report once; a killed one loses nothing."""

from __future__ import annotations

import signal

from sqlalchemy import func, select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Report, ReportAttempt
from pbadmin.models.base import database_now
from pbadmin.reporting.periods import Period
from pbadmin.sync import province_catalogue
from pbadmin.sync.jobs import build_all
from pbadmin.sync.outbox import INTERRUPTED, OutboxWorker
from pbadmin.sync.target import target_for
from tests.helpers import wait_until
from tests.sync.conftest import start_pbadmin, stop_pbadmin, subprocess_env


def queue_many(gw, periods: list[str], branches: tuple[str, ...] = ("A", "B")) -> list[int]:
    """Queue the reports of R and of ``branches`` (each given a report code) for every period."""
    with gw.app.app_context(), acting_as("test"):
        for code in branches:
            db.session.scalar(select(PartyOrganization).filter_by(code=code)).report_code = f"331004-{code}"
        db.session.commit()
        ids = []
        for period in periods:
            ids += [r.report.id for r in build_all(gw.plugin, Period.parse(period), "test", approve=True)]
        province_catalogue.pull(target_for(gw.plugin))
        return ids


def statuses(gw) -> dict[str, int]:
    with gw.app.app_context():
        return dict(db.session.execute(select(Report.status, func.count()).group_by(Report.status)).all())


def test_two_workers_racing_deliver_each_report_exactly_once(gateway, plugins_dir):
    gw = gateway(PBADMIN_CATALOGUE_MAX_AGE=3600)
    ids = queue_many(gw, [f"2023{month:02d}" for month in range(1, 13)])
    assert len(ids) == 36
    gw.control.set_latency(0.05)  # each push takes a moment, so both workers get work
    env = subprocess_env(gw.app, plugins_dir, PBADMIN_CATALOGUE_MAX_AGE="3600")
    workers = [start_pbadmin(env, "sync", "worker") for _ in range(2)]
    try:
        wait_until(lambda: statuses(gw).get("accepted") == 36, 90, "every report accepted")
    finally:
        outputs = [stop_pbadmin(process) for process in workers]
    assert all(process.returncode == 0 for process in workers), outputs
    with gw.app.app_context():
        attempts = db.session.execute(
            select(ReportAttempt.report_id, ReportAttempt.outcome, ReportAttempt.worker)
        ).all()
    assert sorted(report_id for report_id, _, _ in attempts) == sorted(ids)  # one attempt per report
    assert {outcome for _, outcome, _ in attempts} == {"accepted"}
    assert len({worker for _, _, worker in attempts}) == 2  # both workers delivered some
    pushes = gw.pushes()
    assert len(pushes) == 36 and len({push["idempotencyKey"] for push in pushes}) == 36
    assert all(entry["count"] == 1 for entry in gw.control.state()["pushes"])


def test_a_worker_killed_mid_push_leaves_the_report_to_be_delivered_once(gateway, plugins_dir):
    gw = gateway(PBADMIN_CATALOGUE_MAX_AGE=3600, PBADMIN_SYNC_CLAIM_SECONDS=2)
    [report_id] = queue_many(gw, ["202403"], branches=())
    gw.control.set_latency(1.5)  # the push is in flight for a while
    env = subprocess_env(gw.app, plugins_dir, PBADMIN_CATALOGUE_MAX_AGE="3600", PBADMIN_SYNC_CLAIM_SECONDS="2")
    victim = start_pbadmin(env, "sync", "worker")
    try:
        wait_until(lambda: _in_flight(gw, report_id), 30, "the report to be claimed")
        wait_until(lambda: _posts_arrived(gw) >= 1, 30, "the push to reach the province")
    finally:
        stop_pbadmin(victim, signal.SIGKILL)  # no clean-up, no attempt recorded
    with gw.app.app_context():
        report = db.session.get(Report, report_id)
        assert report.status == "sent" and report.claimed_by is not None  # in flight when it died
    gw.control.set_latency(0)
    wait_until(lambda: _claim_lapsed(gw, report_id), 30, "the claim's lease to lapse")
    with gw.app.app_context():
        OutboxWorker("rescuer").run_once()
        report = db.session.get(Report, report_id, populate_existing=True)
        outcomes = [(a.worker, a.outcome, a.error) for a in report.attempts]
        assert report.status == "accepted"
    assert outcomes[0][1:] == ("retry", INTERRUPTED) and outcomes[-1][:2] == ("rescuer", "accepted")
    [stored] = [entry for entry in gw.control.state()["pushes"] if entry["period"] == "202403"]
    assert stored["count"] == 1  # delivered once, whichever request got through


def _posts_arrived(gw) -> int:
    arrivals = gw.control.state()["arrivals"]
    return sum(a["count"] for a in arrivals if a["profile"] == gw.profile and a["method"] == "POST")


def _claim_lapsed(gw, report_id: int) -> bool:
    with gw.app.app_context():
        claimed_until = db.session.scalar(select(Report.claimed_until).where(Report.id == report_id))
        return claimed_until is not None and claimed_until < database_now()


def _in_flight(gw, report_id: int) -> bool:
    with gw.app.app_context():
        return db.session.scalar(select(Report.status).where(Report.id == report_id)) == "sent"
