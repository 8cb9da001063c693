"""The dhis2 profile end to end: pbadmin's client against the sandbox playing DHIS2, over HTTP.

DHIS2 takes no Idempotency-Key, so exactly-once rests on reading back: after an attempt whose outcome
is unknown, the worker reads the report back and, when DHIS2 already holds every value, accepts it
without sending it again (docs/sync.md, "Exactly once without a key").
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from pbadmin.extensions import db
from pbadmin.plugins import enablement
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sync.gateways import Answer
from pbadmin.sync.outcomes import classify
from pbadmin.sync.profiles import DHIS2_WEB_MESSAGE
from tests.helpers import wait_until
from tests.sync.conftest import ORG_UNIT, SEED
from tests.sync.test_errors import build_queued, deliver

PUSH_PARAMS = {"dataElementIdScheme": ["code"], "orgUnitIdScheme": ["code"], "dataSetIdScheme": ["code"]}


def posts(gw) -> list[dict]:
    return [entry for entry in gw.pushes() if entry["path"].endswith("/api/dataValueSets")]


def reads(gw) -> list[dict]:
    log = gw.control.state()["requests"]["dhis2"]
    return [entry for entry in log if entry["method"] == "GET" and entry["path"].endswith("/api/dataValueSets")]


def stored(gw, period: str = "202403") -> dict[str, str]:
    return {
        cell["dataElement"]: cell["value"]
        for cell in gw.control.state()["cells"]
        if cell["orgUnit"] == ORG_UNIT and cell["period"] == period
    }


def payload_of(gw, report) -> dict:
    from pbadmin.models import Report

    with gw.app.app_context():
        return json.loads(db.session.get(Report, report.id).payload)


def test_sync_run_delivers_a_dhis2_data_value_set_by_code_without_an_idempotency_key(gateway):
    gw = gateway("dhis2")
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 0, result.output
    [report] = gw.reports()
    assert report.status == "accepted" and report.receipt is None  # DHIS2 issues no receipt id
    assert f"{ORG_UNIT}\taccepted\t-" in result.output
    assert stored(gw) == dict(report.report_values)
    [push] = posts(gw)
    assert push["idempotencyKey"] is None and push["status"] == 200
    assert parse_qs(push["query"]) == PUSH_PARAMS
    body = payload_of(gw, report)
    assert (body["dataSet"], body["period"], body["orgUnit"]) == ("PB_MONTHLY", "202403", ORG_UNIT)
    assert all(value["period"] == "202403" and value["orgUnit"] == ORG_UNIT for value in body["dataValues"])
    assert report.answer["responseType"] == "ImportSummary" and report.answer["status"] == "SUCCESS"
    assert reads(gw) == []  # nothing to read back after a clear answer


@pytest.mark.parametrize(("period", "data_set"), [("2024Q1", "PB_QUARTERLY"), ("2023", "PB_YEARLY")])
def test_quarters_and_years_go_as_dhis2_period_identifiers(gateway, period, data_set):
    gw = gateway("dhis2")
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", period).exit_code == 0
    [report] = gw.reports()
    body = payload_of(gw, report)
    assert (body["dataSet"], body["period"]) == (data_set, period)
    assert stored(gw, period) == dict(report.report_values)


def test_http_basic_is_used_without_an_api_token(gateway):
    gw = gateway("dhis2")
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"api_token": None})
        db.session.commit()
        assert "api_token" not in enablement.settings_of(gw.plugin)
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403").exit_code == 0
    assert gw.reports()[0].status == "accepted"


def test_without_token_or_password_the_report_fails_naming_both_ways_in(gateway):
    gw = gateway("dhis2")
    with gw.app.app_context():
        enablement.configure(gw.plugin, {"api_token": None, "password": None})
        db.session.commit()
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code != 0
    assert "api_token 或 / or username+password" in result.output
    assert posts(gw) == []


def test_an_answer_lost_after_dhis2_stored_the_report_is_read_back_and_not_sent_again(gateway):
    gw = gateway("dhis2")
    gw.control.inject_failures([{"status": 503, "method": "POST", "after": True}], profile="dhis2")
    report = deliver(gw, build_queued(gw), rounds=2)
    assert report.status == "accepted", report.message
    assert [(a.http_status, a.outcome) for a in report.attempts] == [(503, "retry"), (200, "accepted")]
    assert "not sent again" in report.message
    assert len(posts(gw)) == 1 and len(reads(gw)) == 1
    assert parse_qs(reads(gw)[0]["query"])["inputIdScheme"] == ["code"]
    assert gw.control.state()["pushes"][0]["count"] == 1


def test_a_push_that_never_reached_dhis2_is_read_back_then_sent(gateway):
    gw = gateway("dhis2")
    gw.control.inject_failures([{"status": 503, "method": "POST"}], profile="dhis2")
    report = deliver(gw, build_queued(gw), rounds=2)
    assert report.status == "accepted"
    assert [(a.http_status, a.outcome) for a in report.attempts] == [(503, "retry"), (200, "accepted")]
    assert len(posts(gw)) == 2 and len(reads(gw)) == 1
    assert stored(gw) == dict(report.report_values)


def test_a_time_out_is_an_unknown_outcome_too(gateway):
    gw = gateway("dhis2", PBADMIN_SYNC_READ_TIMEOUT=0.3, PBADMIN_CATALOGUE_MAX_AGE=3600)
    assert gw.cli("sync", "pull-catalogue", "--plugin", gw.plugin).exit_code == 0  # no catalogue pull below
    report_id = build_queued(gw)
    gw.control.set_latency(0.6, profile="dhis2")  # DHIS2 stores the push after pbadmin stopped waiting
    first = deliver(gw, report_id)
    assert [(a.http_status, a.outcome) for a in first.attempts] == [(None, "retry")]
    wait_until(lambda: stored(gw) != {}, 10, "the slow push to be stored")
    gw.control.set_latency(0, profile="dhis2")
    report = deliver(gw, report_id)
    assert report.status == "accepted" and "not sent again" in report.message
    assert len(posts(gw)) == 1 and len(reads(gw)) == 1


def test_a_failed_read_back_is_retried_without_sending(gateway):
    gw = gateway("dhis2")
    gw.control.inject_failures(
        [
            {"status": 502, "method": "POST", "after": True},
            {"status": 503, "method": "GET", "path": "/api/dataValueSets"},
        ],
        profile="dhis2",
    )
    report = deliver(gw, build_queued(gw), rounds=3)
    assert report.status == "accepted"
    assert [a.outcome for a in report.attempts] == ["retry", "retry", "accepted"]
    assert "读回核对" in report.attempts[1].error
    assert len(posts(gw)) == 1


def test_a_dhis2_409_with_conflicts_is_rejected_content_with_the_conflicts_shown(gateway):
    gw = gateway("dhis2")
    gw.control.lock_periods("dhis2", "202403")
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 1
    [report] = gw.reports()
    assert report.status == "rejected"
    assert "closed for data entry" in report.message and "Idempotency" not in report.message
    assert [(a.http_status, a.outcome) for a in report.attempts] == [(409, "rejected")]  # never retried
    assert report.answer["status"] == "ERROR" and report.answer["conflicts"]


def test_a_bare_import_summary_with_conflicts_is_rejected_too(gateway):
    gw = gateway("dhis2", extra_elements=())
    gw.server.app.extensions["pbadmin_sandbox"].config.dhis2_web_message = False
    gw.control.lock_periods("dhis2", "202403")
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403").exit_code == 1
    assert gw.reports()[0].status == "rejected"
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202402").exit_code == 0


def test_the_catalogue_is_pulled_with_fields_and_without_paging_parents_by_code(gateway):
    gw = gateway("dhis2")
    gw.control.add_org_unit("dhis2", "331004-R-1", "区中医院内科党支部", parent=ORG_UNIT)
    assert gw.cli("sync", "pull-catalogue", "--plugin", gw.plugin).exit_code == 0
    from pbadmin.models import GatewayCatalogue

    with gw.app.app_context():
        row = db.session.get(GatewayCatalogue, gw.plugin)
        assert {"code": "PB_MEMBERS", "name": "党员数 (正式 + 预备)"} in row.elements
        child = next(unit for unit in row.org_units if unit["code"] == "331004-R-1")
        assert child == {"code": "331004-R-1", "name": "区中医院内科党支部", "parent": ORG_UNIT}
    queries = [parse_qs(e["query"]) for e in gw.control.state()["requests"]["dhis2"] if e["method"] == "GET"]
    assert {"fields": ["code,name"], "paging": ["false"]} in queries
    assert {"fields": ["code,name,parent[code]"], "paging": ["false"]} in queries


def test_the_settings_page_connection_test_speaks_dhis2(gateway):
    from pbadmin.sync.connection import check_connection

    gw = gateway("dhis2")
    settings = {"base_url": gw.server.base_url("dhis2"), **sandbox_credentials(SEED)["dhis2"]}
    ok, message = check_connection("dhis2", settings)
    assert ok, message
    ok, message = check_connection("dhis2", {"base_url": settings["base_url"]})
    assert not ok and "api_token" in message


# --- reading DHIS2's answers -------------------------------------------------------------------


def dhis2_answer(status: int, body: dict) -> Answer:
    return Answer(status, json.dumps(body).encode(), dialect=DHIS2_WEB_MESSAGE)


SUMMARY = {"responseType": "ImportSummary", "status": "SUCCESS", "importCount": {"imported": 2}, "conflicts": []}
CONFLICT = {"object": "PB_X", "value": "Data element not found or not accessible: `PB_X`"}


@pytest.mark.parametrize(
    "answer",
    [
        dhis2_answer(200, SUMMARY),
        dhis2_answer(200, {"httpStatus": "OK", "httpStatusCode": 200, "status": "OK", "response": SUMMARY}),
    ],
)
def test_a_bare_or_wrapped_import_summary_without_conflicts_is_accepted(answer):
    outcome = classify(answer)
    assert outcome.kind == "accepted" and outcome.summary["importCount"] == {"imported": 2}


@pytest.mark.parametrize(
    "answer",
    [
        dhis2_answer(
            409,
            {
                "httpStatusCode": 409,
                "status": "WARNING",
                "response": {**SUMMARY, "status": "WARNING", "conflicts": [CONFLICT]},
            },
        ),
        dhis2_answer(200, {**SUMMARY, "status": "WARNING", "conflicts": [CONFLICT]}),
        dhis2_answer(200, {**SUMMARY, "status": "ERROR", "conflicts": [CONFLICT]}),
    ],
)
def test_an_import_with_conflicts_is_rejected_with_them_as_the_reason(answer):
    outcome = classify(answer)
    assert outcome.kind == "rejected"
    assert "PB_X: Data element not found" in outcome.message and "幂等" not in outcome.message


def test_a_409_without_an_import_summary_is_rejected_with_dhis2s_message():
    outcome = classify(dhis2_answer(409, {"httpStatusCode": 409, "status": "ERROR", "message": "Period is locked"}))
    assert outcome.kind == "rejected" and "Period is locked" in outcome.message


@pytest.mark.parametrize(
    ("status", "kind"), [(400, "failed"), (401, "failed"), (403, "failed"), (404, "failed"), (503, "retry")]
)
def test_other_dhis2_statuses_are_read_as_the_contract_reads_them(status, kind):
    assert classify(dhis2_answer(status, {"httpStatusCode": status, "status": "ERROR", "message": "x"})).kind == kind


def test_a_2xx_that_is_not_an_import_summary_is_retried_after_a_read_back():
    assert classify(dhis2_answer(200, {"hello": "world"})).kind == "retry"
