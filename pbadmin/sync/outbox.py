"""Outbox workers: claim queued reports atomically, send them, record every attempt.

Several workers in several processes on several hosts may run at once. A claim moves a report
to ``sent`` with ``claimed_by`` and a lease (``claimed_until``) in one short transaction:
PostgreSQL picks candidates with ``SELECT … FOR UPDATE SKIP LOCKED``, so two workers never
claim the same report; SQLite serialises writers and each claim is a compare-and-set. A worker
that dies mid-push leaves the report ``sent`` with a lapsing lease; another worker reclaims it
and sends the same bytes under the same Idempotency-Key, so the province stores it once.

A profile without Idempotency-Key (dhis2, ``exactly_once = READ_BACK``) is read back instead before
any attempt that follows one whose outcome is unknown (no answer, a time-out, a 5xx, an interrupted
worker, an answer that was not an import summary): when the gateway already holds every value of
the report, the report is accepted without being sent again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable

from flask import Flask, current_app
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from pbadmin.extensions import db
from pbadmin.models import Report, ReportAttempt
from pbadmin.models.base import database_now, utcnow
from pbadmin.sync import province_catalogue
from pbadmin.sync.gateways import Answer
from pbadmin.sync.outcomes import Outcome, RetryPolicy, classify, read_back_outcome
from pbadmin.sync.profiles import READ_BACK
from pbadmin.sync.target import NotReady, target_for

log = logging.getLogger(__name__)
DEFAULT_CLAIM_SECONDS = 120
INTERRUPTED = "上一次发送未完成（工作进程中断），重新发送 / the previous attempt was interrupted; sending again"


def worker_name(role: str = "worker") -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{role}:{uuid.uuid4().hex[:6]}"


def _claimable(now: dt.datetime):
    earlier = aliased(Report)
    earlier_pending = exists().where(
        earlier.data_set == Report.data_set,
        earlier.org_unit == Report.org_unit,
        earlier.period == Report.period,
        earlier.revision < Report.revision,
        earlier.status.in_(("queued", "sent")),
    )
    due = and_(Report.status == "queued", Report.next_attempt_at <= now)
    lapsed = and_(Report.status == "sent", Report.claimed_until < now)
    # revisions go out in order: a correction waits until the revision before it is delivered
    return and_(or_(due, lapsed), ~earlier_pending)


class OutboxWorker:
    def __init__(self, name: str | None = None, policy: RetryPolicy | None = None) -> None:
        self.name = name or worker_name()
        self.policy = policy or RetryPolicy.from_config(current_app.config)
        self.claim_seconds = float(current_app.config.get("PBADMIN_SYNC_CLAIM_SECONDS", DEFAULT_CLAIM_SECONDS))

    # --- claiming ------------------------------------------------------------------------
    def claim(self, limit: int = 5, only: Iterable[int] | None = None) -> list[int]:
        """Take up to ``limit`` due reports (``only`` these ids, if given); commits."""
        now = database_now()
        query = select(Report.id, Report.status).where(_claimable(now)).order_by(Report.next_attempt_at, Report.id)
        if only is not None:
            query = query.where(Report.id.in_(list(only)))
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:
            query = query.with_for_update(skip_locked=True, of=Report)
        candidates = db.session.execute(query.limit(limit)).all()
        claimed, lapsed = [], []
        for report_id, status in candidates:
            guard = [Report.id == report_id] if postgres else [Report.id == report_id, _claimable(now)]
            result = db.session.execute(
                update(Report)
                .where(*guard)
                .values(
                    status="sent",
                    claimed_by=self.name,
                    claimed_until=now + dt.timedelta(seconds=self.claim_seconds),
                    attempt_count=Report.attempt_count + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append(report_id)
                if status == "sent":
                    lapsed.append(report_id)
        for report_id in lapsed:
            self._record(report_id, now, now, Outcome("retry", INTERRUPTED), None)
        db.session.commit()
        return claimed

    # --- sending -------------------------------------------------------------------------
    def run_once(self, limit: int = 5, only: Iterable[int] | None = None) -> int:
        """Claim and deliver what is due; returns how many reports were handled."""
        ids = self.claim(limit, only)
        for report_id in ids:
            try:
                self.deliver(report_id)
            except Exception:  # one report's bug must not stop the others; its lease lapses and it is retried
                db.session.rollback()
                log.exception("outbox: delivering report %s failed unexpectedly", report_id)
        return len(ids)

    def deliver(self, report_id: int) -> None:
        report = db.session.get(Report, report_id, populate_existing=True)
        if report is None or report.claimed_by != self.name or report.status != "sent":
            return
        started = utcnow()
        answer: Answer | None = None
        try:
            target = target_for(report.plugin)
            known = province_catalogue.ensure_fresh(target)
            reason = province_catalogue.unknown_to_province(report, known)
            if reason:
                outcome = Outcome("held", reason)
            else:
                outcome = None
                if target.client.spec.exactly_once == READ_BACK and _outcome_unknown(report.id):
                    answer = target.client.read_back(report.data_set, report.period, report.org_unit)
                    outcome = read_back_outcome(answer, [tuple(pair) for pair in report.report_values or []])
                if outcome is None:
                    answer = target.client.push(report.payload, report.content_type, report.idempotency_key)
                    outcome = classify(answer)
        except NotReady as exc:
            outcome = Outcome("failed", str(exc))
        except province_catalogue.CatalogueError as exc:
            outcome = exc.outcome if exc.outcome.kind in ("retry", "failed") else Outcome("retry", str(exc))
        self.finish(report, started, outcome, answer)

    def finish(self, report: Report, started: dt.datetime, outcome: Outcome, answer: Answer | None) -> None:
        """Record the attempt and move the report on, unless another worker has taken it over meanwhile."""
        now = database_now()
        kind = outcome.kind
        values: dict = {"claimed_by": None, "claimed_until": None, "message": outcome.message}
        if kind == "retry" and report.attempt_count >= self.policy.max_attempts:
            kind = "failed"
            values["message"] = (
                f"已尝试 {report.attempt_count} 次仍未成功，停止重试 / gave up after {report.attempt_count} attempts: "
                + outcome.message
            )
        if kind == "retry":
            delay = self.policy.delay(report.attempt_count, outcome.retry_after)
            values.update(status="queued", next_attempt_at=now + dt.timedelta(seconds=delay))
        else:
            values.update(status=kind, finished_at=now)
            if kind == "accepted":
                values["receipt"] = outcome.receipt
        if outcome.summary is not None:
            values["answer"] = outcome.summary
        self._record(report.id, started, now, outcome, answer)
        db.session.execute(
            update(Report)
            .where(Report.id == report.id, Report.claimed_by == self.name, Report.status == "sent")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        log.info("outbox: %s → %s (%s)", report, kind, values["message"])

    def _record(self, report_id: int, started, finished, outcome: Outcome, answer: Answer | None) -> None:
        number = (
            db.session.scalar(
                select(func.coalesce(func.max(ReportAttempt.number), 0)).where(ReportAttempt.report_id == report_id)
            )
            + 1
        )
        db.session.add(
            ReportAttempt(
                report_id=report_id,
                number=number,
                worker=self.name,
                started_at=started,
                finished_at=finished,
                http_status=answer.status if answer else None,
                outcome=outcome.kind,
                answer=answer.text() if answer is not None and answer.body else None,
                error=None if outcome.kind == "accepted" else outcome.message,
                retry_after=outcome.retry_after,
            )
        )
        db.session.flush()

    # --- loops ---------------------------------------------------------------------------
    def drain(
        self,
        ids: list[int],
        progress: Callable[[str], None] | None = None,
        poll: float = 1.0,
        deadline: float | None = None,
    ) -> None:
        """Deliver ``ids`` until each has finished (accepted, rejected, failed, held or superseded)."""
        announced: set[tuple[int, int]] = set()
        while True:
            handled = self.run_once(limit=len(ids) or 1, only=ids)
            waiting = db.session.execute(
                select(Report.id, Report.status, Report.next_attempt_at, Report.attempt_count, Report.org_unit).where(
                    Report.id.in_(ids), Report.status.in_(("queued", "sent"))
                )
            ).all()
            db.session.commit()
            if not waiting:
                return
            if deadline is not None and time.monotonic() > deadline:
                return
            if progress is not None:
                for report_id, status, next_at, attempts, org_unit in waiting:
                    if status == "queued" and attempts and (report_id, attempts) not in announced:
                        announced.add((report_id, attempts))
                        progress(f"{org_unit}: 第 {attempts} 次发送未成功，{_until(next_at)}后重试 / retrying")
            if not handled:
                time.sleep(poll)


def _outcome_unknown(report_id: int) -> bool:
    """Whether an earlier attempt may have reached the gateway without a clear answer (all but 429 retries)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ReportAttempt.report_id == report_id,
                    ReportAttempt.outcome == "retry",
                    or_(ReportAttempt.http_status.is_(None), ReportAttempt.http_status != 429),
                )
            )
        )
    )


def _until(when: dt.datetime | None) -> str:
    if when is None:
        return "稍"
    seconds = max(0, int((when - database_now()).total_seconds()))
    return f"{seconds} 秒"


class OutboxThread(threading.Thread):
    """A worker polling in the background of a web or scheduler process until ``stop()``."""

    def __init__(self, app: Flask, name: str | None = None) -> None:
        super().__init__(name=f"pbadmin-outbox-{name or 'worker'}", daemon=True)
        self.app = app
        self.worker_name = name
        self._halt = threading.Event()

    def run(self) -> None:
        poll = float(self.app.config.get("PBADMIN_OUTBOX_POLL", 2.0))
        with self.app.app_context():
            worker = OutboxWorker(self.worker_name)
            while not self._halt.is_set():
                try:
                    handled = worker.run_once()
                except Exception:  # the database went away for a moment: keep the thread alive
                    db.session.rollback()
                    log.exception("outbox: poll failed")
                    handled = 0
                finally:
                    db.session.remove()
                if not handled:
                    self._halt.wait(poll)

    def stop(self, timeout: float = 10.0) -> None:
        self._halt.set()
        self.join(timeout)
