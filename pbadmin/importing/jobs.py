"""Import jobs in the background: the check and the commit run in a thread of the web process.

The upload request stores the file (encrypted: rosters carry ID numbers) in an ``ImportJob``
row and returns at once; a thread with its own app context (so its own session) checks the
file chunk by chunk, writing ``rows_processed`` and a heartbeat after each chunk so the page
can show progress. A job's row says which worker owns it; every write of the worker is
guarded by that name, so when a process dies, whoever sees the stale heartbeat takes the
job over (``resume_if_stale``) and the old worker, should it wake up, stops at its next
heartbeat. The commit checks the file again (the database may have changed since the
preview) and writes everything and marks the job done in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid

from flask import Flask, current_app
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.importing.pipeline import Check, check_file, write
from pbadmin.importing.problems import N_, Problem, problems_to_json
from pbadmin.models import ImportJob, PartyOrganization, User
from pbadmin.models.base import database_now
from pbadmin.models.importing import RUNNING_STATUSES
from pbadmin.security import roles
from pbadmin.security.crypto import decrypt_bytes, encrypt_bytes
from pbadmin.security.scoping import scope_for

log = logging.getLogger(__name__)
DEFAULT_STALE_SECONDS = 120
DEFAULT_KEEP_DAYS = 7
CHECK, COMMIT = "check", "commit"
#: the phase each running status belongs to
PHASES = {"validating": CHECK, "committing": COMMIT}

_threads: dict[int, threading.Thread] = {}
_threads_lock = threading.Lock()


class TakenOver(Exception):
    """Another worker owns the job now (this one was thought dead); stop without writing."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:import:{uuid.uuid4().hex[:6]}"


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(current_app.config.get("PBADMIN_IMPORT_STALE_SECONDS", DEFAULT_STALE_SECONDS)))


def file_data(job: ImportJob) -> bytes | None:
    return decrypt_bytes(job.data) if job.data is not None else None


def forget_old_uploads() -> int:
    """Clear the files of jobs that ended without importing (errors, never committed, failed) once
    they are ``PBADMIN_IMPORT_KEEP_DAYS`` old: they hold ID numbers, and a user coming back that
    late uploads the file again. Returns how many were cleared."""
    keep = dt.timedelta(days=float(current_app.config.get("PBADMIN_IMPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)))
    cleared = db.session.execute(
        update(ImportJob)
        .where(
            ImportJob.data.is_not(None),
            ImportJob.status.not_in(RUNNING_STATUSES),
            ImportJob.updated_at < database_now() - keep,
        )
        .values(data=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return cleared


# --- starting ----------------------------------------------------------------------------------
def create(kind: str, target: PartyOrganization, user: User, filename: str, data: bytes) -> ImportJob:
    """Store the upload as a job owned by a new worker of this process, and start checking it."""
    worker = worker_name()
    job = ImportJob(
        kind=kind,
        organisation_id=target.id,
        user_id=user.id,
        filename=(filename or "upload")[-200:],
        data=encrypt_bytes(data),
        status="validating",
        worker=worker,
        heartbeat_at=database_now(),
    )
    db.session.add(job)
    db.session.commit()
    _start(job.id, CHECK, worker)
    return job


def start_commit(job: ImportJob) -> bool:
    """Move a checked, clean job to ``committing`` and start writing it; False if it is not ready."""
    worker = worker_name()
    claimed = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == "valid", ImportJob.data.is_not(None))
        .values(status="committing", worker=worker, heartbeat_at=database_now(), rows_processed=0, message=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed:
        _start(job.id, COMMIT, worker)
    return bool(claimed)


def resume_if_stale(job: ImportJob) -> bool:
    """Take over a running job whose worker has not been heard of for a while; True if taken."""
    if job.status not in RUNNING_STATUSES:
        return False
    now = database_now()
    worker = worker_name()
    claimed = db.session.execute(
        update(ImportJob)
        .where(
            ImportJob.id == job.id,
            ImportJob.status == job.status,
            or_(ImportJob.heartbeat_at.is_(None), ImportJob.heartbeat_at < now - stale_after()),
        )
        .values(worker=worker, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed:
        log.warning("import job %s: the worker stopped answering; %s takes it over", job.id, worker)
        _start(job.id, PHASES[job.status], worker)
    return bool(claimed)


def _start(job_id: int, phase: str, worker: str) -> None:
    app = current_app._get_current_object()
    if app.config.get("PBADMIN_IMPORT_SYNC"):
        # tests only: the same work, in a fresh app context (its own session), before returning
        with app.app_context():
            run(job_id, phase, worker)
        return
    thread = threading.Thread(target=_run_in_app, args=(app, job_id, phase, worker), name=f"pbadmin-import-{job_id}")
    thread.daemon = True  # an import interrupted by shutdown is taken over after a restart
    with _threads_lock:
        _threads[job_id] = thread
    thread.start()


def _run_in_app(app: Flask, job_id: int, phase: str, worker: str) -> None:
    try:
        with app.app_context():
            run(job_id, phase, worker)
    finally:
        with _threads_lock:
            if _threads.get(job_id) is threading.current_thread():
                del _threads[job_id]


def wait(job_id: int, timeout: float | None = None) -> bool:
    """Wait for this process's thread of the job, if any; True once none is running (tests, CLI)."""
    with _threads_lock:
        thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


# --- running -----------------------------------------------------------------------------------
class Worker:
    """One run of one phase of one job, writing only while it still owns the job."""

    def __init__(self, job_id: int, worker: str) -> None:
        self.job_id = job_id
        self.name = worker

    def _owned(self):
        return update(ImportJob).where(ImportJob.id == self.job_id, ImportJob.worker == self.name)

    def beat(self, done: int, total: int) -> None:
        """Progress after a chunk: committed at once so the page sees it (the check writes nothing else)."""
        result = db.session.execute(
            self._owned()
            .values(rows_processed=done, total_rows=total, heartbeat_at=database_now())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            db.session.rollback()
            raise TakenOver
        db.session.commit()

    def finish(self, **values) -> None:
        """Record the outcome in the current transaction (with what it wrote) and commit."""
        values.update(worker=None, heartbeat_at=database_now())
        result = db.session.execute(self._owned().values(**values).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            raise TakenOver
        db.session.commit()


def run(job_id: int, phase: str, worker_id: str) -> None:
    """Run one phase of a job; never raises (the failure is recorded on the job)."""
    worker = Worker(job_id, worker_id)
    try:
        job = db.session.get(ImportJob, job_id)
        if job is None or job.worker != worker_id:
            return
        user = db.session.get(User, job.user_id) if job.user_id else None
        with acting_as(user.username if user else "import", "web", job.user_id):
            _run_phase(job, user, phase, worker)
    except TakenOver:
        log.warning("import job %s was taken over by another worker; %s stops", job_id, worker_id)
    except Exception as exc:  # any bug or database error: nothing is kept, the job says why
        db.session.rollback()
        log.exception("import job %s failed", job_id)
        _record_failure(worker, exc)


def _run_phase(job: ImportJob, user: User | None, phase: str, worker: Worker) -> None:
    target = db.session.get(PartyOrganization, job.organisation_id)
    allowed = user is not None and user.active and user.can(roles.EDIT)
    scope = scope_for(user) if allowed else None
    if target is None or scope is None or not scope.contains_org(target.id):
        # the user lost the grant (or the account) after uploading
        message = Problem(None, "", "", N_("you may no longer import into this organisation"))
        worker.finish(status="failed", message=message.to_json(), finished_at=database_now(), data=None)
        return
    check = check_file(job.kind, file_data(job), target, scope, progress=worker.beat)
    if check.ok and phase == COMMIT:
        write(check)
        _finish(worker, check, status="done", finished_at=database_now(), data=None)
    elif check.ok:
        _finish(worker, check, status="valid", validated_at=database_now())
    else:
        note = None
        if check.unreadable:
            reason = check.problems[0]
            note = Problem(
                None,
                "",
                "",
                N_("the file could not be read, so nothing was imported: %(reason)s"),
                {**reason.params, "reason": reason.message},
            )
        elif phase == COMMIT:
            note = Problem(None, "", "", N_("the data changed since the check; nothing was imported"))
        _finish(worker, check, status="invalid", validated_at=database_now(), message=note and note.to_json())


def _finish(worker: Worker, check: Check, **values) -> None:
    created, updated, unchanged = check.counts
    worker.finish(
        total_rows=check.total_rows,
        rows_processed=check.total_rows,
        bad_rows=check.bad_rows,
        errors=problems_to_json(check.problems),
        created_count=created,
        updated_count=updated,
        unchanged_count=unchanged,
        **values,
    )


def _record_failure(worker: Worker, exc: Exception) -> None:
    if isinstance(exc, IntegrityError):
        from pbadmin.models.errors import describe_integrity_error

        detail = describe_integrity_error(exc)
        message = Problem(None, "", "", N_("the import failed and nothing was saved (%(error)s)"), {"error": detail})
    else:
        # never the exception's class or text: they say nothing to a user and may say too much (the log has them)
        message = Problem(
            None,
            "",
            "",
            N_("the import failed and nothing was saved (an unexpected error; the server log has the details)"),
        )
    try:
        worker.finish(status="failed", message=message.to_json(), finished_at=database_now())
    except TakenOver:
        pass
    except Exception:
        db.session.rollback()
        log.exception("import job %s: the failure could not be recorded", worker.job_id)
