"""Reports to the provinces and how they travel: revisions, attempts, catalogues, schedules, the scheduler lease.

A ``Report`` row is one revision of one (dataSet, orgUnit, period). Its payload, SHA-256 and
Idempotency-Key are fixed when it is queued and never change afterwards; every delivery
attempt is a ``ReportAttempt``. A corrected report is a new revision, never an edit.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Scoped, Timestamped
from pbadmin.models.choices import Choices

REPORT_STATUSES = Choices(
    ("built", _l("Awaiting approval")),
    ("queued", _l("Queued")),
    ("sent", _l("Sent, awaiting the answer")),
    ("accepted", _l("Accepted")),
    ("rejected", _l("Rejected")),
    ("failed", _l("Failed")),
    ("held", _l("Held back")),
    ("superseded", _l("Superseded")),
)
#: a report in one of these states will not move again by itself
FINISHED_STATUSES = ("accepted", "rejected", "failed", "held", "superseded")
#: states a worker may still deliver from
PENDING_STATUSES = ("queued", "sent")

ATTEMPT_OUTCOMES = Choices(
    ("accepted", _l("Accepted")),
    ("rejected", _l("Rejected")),
    ("retry", _l("Will retry")),
    ("failed", _l("Failed")),
    ("held", _l("Held back")),
)

#: the fields of a report that the payload is made of: frozen once the payload exists
FROZEN_ONCE_QUEUED = ("payload", "payload_sha256", "idempotency_key", "content_type", "report_values", "revision")


class Report(OrgScoped, Timestamped, db.Model):
    """One revision of a periodic report of one reporting organisation, and where it stands."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("data_set", "org_unit", "period", "revision"),
        REPORT_STATUSES.check("status", "status"),
        Index("ix_report_status_due", "status", "next_attempt_at"),
        Index("ix_report_plugin_period", "plugin", "period"),
    )
    __label__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(String(40))
    data_set: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(8))
    org_unit: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="built")
    #: [[data element code, value text], ...] in catalogue order
    report_values: Mapped[list] = mapped_column(JSON)
    values_sha256: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[dt.datetime] = mapped_column(DateTime)
    built_by: Mapped[str] = mapped_column(String(80))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(80))
    # the payload: fixed when queued, never changed afterwards
    payload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    content_type: Mapped[str | None] = mapped_column(String(40))
    payload_sha256: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    queued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # delivery
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    receipt: Mapped[str | None] = mapped_column(String(128))
    #: the province's last import summary (or error answer), as JSON
    answer: Mapped[dict | None] = mapped_column(JSON)
    #: why the report is held, rejected or failed, for the admin (Chinese / English)
    message: Mapped[str | None] = mapped_column(Text)

    attempts = relationship(
        "ReportAttempt", back_populates="report", cascade="all, delete-orphan", order_by="ReportAttempt.number"
    )

    def __str__(self) -> str:
        return f"{self.data_set} {self.org_unit} {self.period} r{self.revision}"

    @property
    def values_dict(self) -> dict[str, str]:
        return {code: value for code, value in self.report_values or []}


@event.listens_for(Report, "before_update", propagate=True)
def _payload_is_immutable(mapper, connection, target: Report) -> None:
    """Once queued, what was (or will be) sent cannot change: a correction is a new revision."""
    state = db.inspect(target)
    sha = state.attrs["payload_sha256"].history
    queued_before = (sha.deleted or sha.unchanged or [None])[0]
    if queued_before is None:
        return
    changed = [name for name in FROZEN_ONCE_QUEUED if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(
            f"report {target.id}: {', '.join(changed)} cannot change once the report is queued; build a new revision"
        )


class ReportAttempt(Scoped, db.Model):
    """One delivery attempt: when, by which worker, what the province answered or what went wrong."""

    __tablename__ = "report_attempt"
    __table_args__ = (UniqueConstraint("report_id", "number"), ATTEMPT_OUTCOMES.check("outcome", "outcome"))
    __audited__ = False  # it is itself the log of delivery

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime)
    http_status: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    #: the answer's body, cut to a readable length
    answer: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    retry_after: Mapped[float | None] = mapped_column(Float)
    report = relationship("Report", back_populates="attempts")

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    @classmethod
    def scope_clause(cls, scope):
        return cls.report_id.in_(select(Report.id).where(Report.organisation_id.in_(scope.org_ids)))


class GatewayCatalogue(Scoped, db.Model):
    """What the province's gateway last said it knows: its data elements and org units."""

    __tablename__ = "gateway_catalogue"
    __audited__ = False

    plugin: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: [{"code", "name", "valueType"}]
    elements: Mapped[list | None] = mapped_column(JSON)
    #: [{"code", "name", "parent"}]
    org_units: Mapped[list | None] = mapped_column(JSON)
    pulled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)
    error_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    def __str__(self) -> str:
        return self.plugin


class ScheduleState(Scoped, db.Model):
    """Per scheduled job: paused or not (any process may ask; the active scheduler obeys) and its last run."""

    __tablename__ = "schedule_state"
    __audited__ = False

    job_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(40), index=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str | None] = mapped_column(String(80))
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_outcome: Mapped[str | None] = mapped_column(String(16))
    last_message: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.job_id


class SchedulerLease(db.Model):
    """Who runs the scheduler: the holder renews ``expires_at``; anyone may take an expired lease."""

    __tablename__ = "scheduler_lease"
    __audited__ = False

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[dt.datetime] = mapped_column(DateTime)
    renewed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


#: APScheduler's own job store table (SQLAlchemyJobStore), declared here so the migrations create it
#: and the autogenerate check sees it; APScheduler reads and writes it with its own table object.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
