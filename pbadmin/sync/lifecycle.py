"""The report lifecycle: built → (approval) → queued → sent → accepted or rejected, kept in the database.

Building computes the figures and compares them with the latest revision of the same
(dataSet, orgUnit, period): equal figures add nothing; changed figures make a new revision
(an unsent older one is superseded). Queuing renders the payload once and fixes it, with its
SHA-256 and Idempotency-Key, for every retry to come.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, update

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, Report, region_tree
from pbadmin.models.base import utcnow
from pbadmin.plugins import enablement
from pbadmin.reporting.metrics import MissingMeasureError, compute
from pbadmin.reporting.periods import Period
from pbadmin.sync import payloads
from pbadmin.sync.target import profile_of

#: a report still on its way may be replaced by a corrected revision before it is sent
REPLACEABLE = ("built", "queued", "held", "failed", "rejected")
#: an operator's new approval sends these again, same revision, same payload
REQUEUEABLE = ("failed", "held", "rejected")


class ReportError(RuntimeError):
    """A report cannot be built or moved on; the message says why (Chinese / English)."""


@dataclass(frozen=True)
class BuildResult:
    organisation: PartyOrganization
    report: Report | None
    #: "new", "revised", "unchanged", "requeued", "approved" or "error"
    change: str
    message: str = ""


def reporting_organisations(plugin: str, period: Period) -> list[PartyOrganization]:
    """Organisations with a province report code in the plugin's region, existing during the period."""
    record = enablement.registry().get(plugin)
    region_ids = region_tree.subtree_ids(select(Region.id).where(Region.code == record.info.region_code))
    query = (
        select(PartyOrganization)
        .where(
            PartyOrganization.report_code.is_not(None),
            PartyOrganization.region_id.in_(region_ids),
            (PartyOrganization.founded_on.is_(None)) | (PartyOrganization.founded_on <= period.end),
            (PartyOrganization.dissolved_on.is_(None)) | (PartyOrganization.dissolved_on > period.start),
        )
        .order_by(PartyOrganization.report_code)
    )
    return list(db.session.scalars(query))


def latest_revision(data_set: str, org_unit: str, period: str) -> Report | None:
    query = (
        select(Report)
        .where(Report.data_set == data_set, Report.org_unit == org_unit, Report.period == period)
        .order_by(Report.revision.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def value_pairs(plugin: str, organisation_id: int, period: Period) -> list[list[str]]:
    return [[code, payloads.format_value(value)] for code, value in compute(plugin, organisation_id, period).items()]


def build_report(
    plugin: str, organisation: PartyOrganization, period: Period, actor: str, approve: bool
) -> BuildResult:
    """Build (or find unchanged) the organisation's report; ``approve`` queues it at once. Does not commit."""
    try:
        values = value_pairs(plugin, organisation.id, period)
    except MissingMeasureError as exc:
        return BuildResult(organisation, None, "error", str(exc))
    digest = _values_digest(values)
    latest = latest_revision(period.data_set, organisation.report_code, period.code)
    if latest is not None and latest.values_sha256 == digest:
        if approve and latest.status == "built":
            queue(latest, actor)
            return BuildResult(organisation, latest, "approved")
        if approve and latest.status in REQUEUEABLE:
            requeue(latest, actor)
            return BuildResult(organisation, latest, "requeued")
        return BuildResult(organisation, latest, "unchanged")
    if latest is not None:
        _supersede(latest)
    report = Report(
        plugin=plugin,
        organisation_id=organisation.id,
        data_set=period.data_set,
        period=period.code,
        org_unit=organisation.report_code,
        revision=(latest.revision + 1) if latest else 1,
        status="built",
        report_values=values,
        values_sha256=digest,
        built_at=utcnow(),
        built_by=actor,
    )
    db.session.add(report)
    db.session.flush()
    if approve:
        queue(report, actor)
    return BuildResult(organisation, report, "revised" if latest else "new")


def _supersede(report: Report) -> None:
    """An older revision still waiting is replaced; one already in flight or delivered is left as it is."""
    if report.status in REPLACEABLE:
        db.session.execute(
            update(Report)
            .where(Report.id == report.id, Report.status.in_(REPLACEABLE))
            .values(status="superseded", message="已由新版本取代 / superseded by a newer revision")
            .execution_options(synchronize_session="fetch")
        )


def queue(report: Report, actor: str) -> None:
    """Approve a built report: render its payload once and put it in the outbox."""
    if report.status != "built":
        raise ReportError(f"报告 {report} 当前状态为 {report.status}，不能审核 / only a built report can be approved")
    now = utcnow()
    try:
        payload = payloads.render(
            profile_of(report.plugin),
            report.data_set,
            report.org_unit,
            report.period,
            [tuple(pair) for pair in report.report_values],
            complete_date=now.date(),
            exported=now.replace(microsecond=0, tzinfo=dt.UTC),
        )
    except payloads.PayloadError as exc:
        report.status, report.message = "held", str(exc)
        return
    report.payload, report.content_type, report.payload_sha256 = payload.body, payload.content_type, payload.sha256
    report.idempotency_key = payloads.idempotency_key(report.org_unit, report.period, report.revision, payload.sha256)
    report.approved_at, report.approved_by = now, actor
    report.status, report.queued_at, report.next_attempt_at, report.message = "queued", now, now, None


def requeue(report: Report, actor: str) -> None:
    """Send a held, failed or rejected revision again: same payload, same Idempotency-Key, fresh attempts."""
    if report.status not in REQUEUEABLE:
        raise ReportError(f"报告 {report} 当前状态为 {report.status}，不能重发 / cannot retry a {report.status} report")
    if report.payload_sha256 is None:
        report.status = "built"
        queue(report, actor)
        return
    now = utcnow()
    report.status, report.next_attempt_at, report.message = "queued", now, None
    report.attempt_count, report.claimed_by, report.claimed_until, report.finished_at = 0, None, None, None
    report.approved_at, report.approved_by = now, actor


def send_now(report: Report) -> None:
    """A queued report waiting for its next retry goes out at the next poll."""
    if report.status != "queued":
        raise ReportError(f"报告 {report} 不在队列中 / report is not queued")
    report.next_attempt_at = utcnow()


def _values_digest(values: list[list[str]]) -> str:
    return hashlib.sha256(json.dumps(values, separators=(",", ":")).encode()).hexdigest()
