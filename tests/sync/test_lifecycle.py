"""The report lifecycle kept in the database: approval, revisions, immutable payloads, re-runs, the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import Member, PartyOrganization, Report
from pbadmin.plugins import enablement
from pbadmin.reporting.periods import Period
from pbadmin.sync.jobs import build_all, perform
from tests.sync.conftest import ORG_UNIT


def add_member(gw, name: str = "新党员") -> None:
    with gw.app.app_context(), acting_as("test"):
        branch = db.session.scalar(select(PartyOrganization).filter_by(code="A"))
        db.session.add(
            Member(organisation=branch, name=name, gender="female", status="full", admitted_on=dt.date(2020, 1, 1))
        )
        db.session.commit()


def test_rerunning_a_period_already_accepted_sends_nothing_new(gateway):
    gw = gateway()
    first = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert first.exit_code == 0 and "unchanged" not in first.output, first.output
    again = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    assert len(gw.reports()) == 1 and len(gw.pushes()) == 1


def test_a_run_that_delivers_a_report_queued_earlier_does_not_call_it_unsent(gateway):
    gw = gateway()
    with gw.app.app_context():
        [queued] = build_all(gw.plugin, Period.parse("202403"), "scheduler", approve=True)
        assert queued.report.status == "queued"
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 0, result.output
    assert "accepted" in result.output and "unchanged" not in result.output
    assert len(gw.reports()) == 1 and len(gw.pushes()) == 1


def test_changed_figures_make_a_new_revision_that_updates_the_province(gateway):
    gw = gateway()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    add_member(gw)
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 0, result.output
    first, second = gw.reports()
    assert (first.revision, second.revision) == (1, 2)
    assert first.status == "accepted" and second.status == "accepted"
    assert first.idempotency_key != second.idempotency_key
    assert int(second.values_dict["PB_MEMBERS"]) == int(first.values_dict["PB_MEMBERS"]) + 1
    cells = {c["dataElement"]: c["value"] for c in gw.control.state()["cells"] if c["period"] == "202403"}
    assert cells["PB_MEMBERS"] == second.values_dict["PB_MEMBERS"]


def test_a_correction_supersedes_a_revision_still_waiting(gateway):
    gw = gateway()
    with gw.app.app_context(), acting_as("test"):
        enablement.configure(gw.plugin, {"require_approval": "true"})
        db.session.commit()
        [first] = build_all(gw.plugin, Period.parse("202403"), "scheduler", approve=False)
        assert first.report.status == "built"
    add_member(gw)
    with gw.app.app_context(), acting_as("test"):
        [second] = build_all(gw.plugin, Period.parse("202403"), "scheduler", approve=False)
        assert second.change == "revised" and second.report.revision == 2
        assert db.session.get(Report, first.report.id).status == "superseded"


def test_building_twice_with_the_same_figures_adds_nothing(gateway):
    gw = gateway()
    with gw.app.app_context(), acting_as("test"):
        build_all(gw.plugin, Period.parse("2024"), "test", approve=False)
        [again] = build_all(gw.plugin, Period.parse("2024"), "test", approve=False)
        assert again.change == "unchanged"
        assert db.session.scalar(select(db.func.count(Report.id))) == 1


def test_the_payload_cannot_change_once_queued(gateway):
    gw = gateway()
    with gw.app.app_context(), acting_as("test"):
        [result] = build_all(gw.plugin, Period.parse("202403"), "test", approve=True)
        report = db.session.get(Report, result.report.id)
        report.payload = b"{}"
        with pytest.raises(ValueError, match="cannot change once the report is queued"):
            db.session.flush()
        db.session.rollback()
        report = db.session.get(Report, result.report.id)
        report.report_values = [["PB_MEMBERS", "1"]]
        with pytest.raises(ValueError, match="report_values"):
            db.session.flush()


def test_the_idempotency_key_is_stable_across_retries(gateway):
    gw = gateway()
    gw.control.inject_failures([{"status": 503, "times": 2, "method": "POST"}])
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403").exit_code == 0
    [report] = gw.reports()
    keys = {push["idempotencyKey"] for push in gw.pushes()}
    assert keys == {report.idempotency_key} and len(gw.pushes()) == 3
    assert len(report.idempotency_key) <= 128


def test_with_approval_required_the_schedule_leaves_reports_for_the_region_admin(gateway):
    gw = gateway()
    with gw.app.app_context(), acting_as("scheduler"):
        enablement.configure(gw.plugin, {"require_approval": "true"})
        db.session.commit()
        summary = perform(gw.plugin, "build_and_push:PB_MONTHLY", today=dt.date(2024, 4, 2))
        assert "202403" in summary
        [report] = db.session.scalars(select(Report)).all()
        assert report.status == "built" and report.payload_sha256 is None and report.period == "202403"


def test_without_approval_the_schedule_queues_the_last_complete_period(gateway):
    gw = gateway()
    with gw.app.app_context(), acting_as("scheduler"):
        perform(gw.plugin, "build_and_push:PB_QUARTERLY", today=dt.date(2024, 4, 2))
        [report] = db.session.scalars(select(Report)).all()
        assert (report.data_set, report.period, report.status) == ("PB_QUARTERLY", "2024Q1", "queued")
        assert report.approved_by == "scheduler"


def test_sync_run_counts_as_the_approval(gateway):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"require_approval": "true"})
        db.session.commit()
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403").exit_code == 0
    [report] = gw.reports()
    assert report.status == "accepted" and report.approved_by.startswith("cli:")


def test_dry_run_prints_the_payloads_and_stores_and_sends_nothing(gateway):
    gw = gateway()
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403", "--dry-run")
    assert result.exit_code == 0, result.output
    body = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert body["orgUnit"] == ORG_UNIT and body["period"] == "202403"
    assert gw.reports() == [] and gw.pushes() == []


def test_sync_run_refuses_a_malformed_period_in_both_languages(gateway):
    gw = gateway()
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "2024-03")
    assert result.exit_code != 0
    assert "格式不对" in result.output and "is not YYYYMM" in result.output


def test_sync_run_exits_non_zero_and_says_why_when_a_report_fails(gateway):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"token": "wrong"})
        db.session.commit()
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 1
    assert f"{ORG_UNIT}\tfailed\t-" in result.output and "HTTP 401" in result.output


def test_sync_status_shows_schedules_queue_and_failures(gateway):
    gw = gateway()
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"token": "wrong"})
        db.session.commit()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    result = gw.cli("sync", "status")
    assert result.exit_code == 0, result.output
    assert f"job {gw.plugin}:monthly" in result.output and "cron '0 2 1 * *'" in result.output
    assert "failed=1" in result.output and "HTTP 401" in result.output


def test_a_report_is_scoped_to_its_organisation(gateway):
    from pbadmin.security.scoping import Scope

    gw = gateway()
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    with gw.app.app_context():
        r = db.session.scalar(select(PartyOrganization).filter_by(code="R"))
        x = db.session.scalar(select(PartyOrganization).filter_by(code="X"))
        seen_from_r = Scope(unrestricted=False, org_grants=(r.id,))
        seen_from_x = Scope(unrestricted=False, org_grants=(x.id,))
        assert db.session.scalar(select(db.func.count(Report.id)).where(seen_from_r.clause(Report))) == 1
        assert db.session.scalar(select(db.func.count(Report.id)).where(seen_from_x.clause(Report))) == 0
