"""Every error class of the contract, as the province really answers it, and what pbadmin does about it."""

from __future__ import annotations

import datetime as dt
import threading

import requests
from sqlalchemy.orm import selectinload

from pbadmin.extensions import db
from pbadmin.models import GatewayCatalogue, Report
from pbadmin.sync import province_catalogue
from pbadmin.sync.gateways import Answer
from pbadmin.sync.outbox import OutboxWorker
from pbadmin.sync.outcomes import RetryPolicy, classify, retry_after_seconds
from pbadmin.sync.target import target_for
from tests.helpers import wait_until
from tests.sync.conftest import ORG_UNIT


def build_queued(gw, period: str = "202403") -> int:
    """Build and queue the period's report without sending it; returns its id."""
    from pbadmin.audit import acting_as
    from pbadmin.reporting.periods import Period
    from pbadmin.sync.jobs import build_all

    with gw.app.app_context(), acting_as("test"):
        [result] = build_all(gw.plugin, Period.parse(period), "test", approve=True)
        return result.report.id


def deliver(gw, report_id: int, rounds: int = 1) -> Report:
    """Let one worker try the report ``rounds`` times, waiting for each retry to fall due."""
    with gw.app.app_context():
        worker = OutboxWorker("test-worker")
        for _ in range(rounds):
            _make_due(report_id)
            worker.run_once(only=[report_id])
        report = db.session.get(Report, report_id, options=[selectinload(Report.attempts)], populate_existing=True)
        db.session.expunge_all()
        return report


def _make_due(report_id: int) -> None:
    report = db.session.get(Report, report_id, populate_existing=True)
    if report.status == "queued":
        report.next_attempt_at = dt.datetime(2000, 1, 1)
        db.session.commit()


def test_server_errors_are_retried_until_the_province_accepts(gateway):
    gw = gateway()
    gw.control.inject_failures(
        [
            {"status": 500, "times": 1, "method": "POST"},
            {"status": 502, "times": 1, "method": "POST"},
            {"status": 504, "times": 1, "method": "POST"},
        ]
    )
    report = deliver(gw, build_queued(gw), rounds=4)
    assert report.status == "accepted"
    assert [(a.http_status, a.outcome) for a in report.attempts] == [
        (500, "retry"),
        (502, "retry"),
        (504, "retry"),
        (200, "accepted"),
    ]


def test_429_is_retried_after_the_retry_after_the_province_asks_for(gateway):
    gw = gateway()
    gw.control.inject_failures([{"status": 429, "times": 1, "retry_after": 7, "method": "POST"}])
    report_id = build_queued(gw)
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with gw.app.app_context():
        OutboxWorker("w").run_once(only=[report_id])
        report = db.session.get(Report, report_id)
        assert report.status == "queued"
        assert report.attempts[0].retry_after == 7
        waited = (report.next_attempt_at - before).total_seconds()
    assert 6.5 <= waited <= 9
    assert deliver(gw, report_id).status == "accepted"


def test_a_gateway_down_for_several_attempts_then_back_gets_the_report_once(gateway):
    gw = gateway()
    report_id = build_queued(gw)
    with gw.app.app_context():
        from pbadmin.sync import province_catalogue
        from pbadmin.sync.target import target_for

        province_catalogue.pull(target_for(gw.plugin))  # the catalogue was known before the outage
    gw.app.config["PBADMIN_CATALOGUE_MAX_AGE"] = 3600
    gw.server.stop()
    down = deliver(gw, report_id, rounds=3)
    assert down.status == "queued" and [a.outcome for a in down.attempts] == ["retry"] * 3
    assert all("无法连接" in a.error for a in down.attempts)
    gw.server.start()
    back = deliver(gw, report_id)
    assert back.status == "accepted"
    assert [p["count"] for p in gw.control.state()["pushes"]] == [1]
    assert len(gw.pushes()) == 1


def test_a_time_out_is_retried_and_the_replay_is_answered_from_the_first_receipt(gateway):
    gw = gateway(PBADMIN_SYNC_READ_TIMEOUT=0.5)
    report_id = build_queued(gw)
    with gw.app.app_context():
        from pbadmin.sync import province_catalogue
        from pbadmin.sync.target import target_for

        province_catalogue.pull(target_for(gw.plugin))
    gw.app.config["PBADMIN_CATALOGUE_MAX_AGE"] = 3600
    gw.control.set_latency(1.0)
    timed_out = deliver(gw, report_id)
    assert timed_out.status == "queued" and "超时" in timed_out.attempts[0].error
    gw.control.set_latency(0)
    stored_once = lambda: [p["count"] for p in gw.control.state()["pushes"]] == [1]  # noqa: E731
    wait_until(stored_once, 30, "the province to finish storing the first request after its latency")
    done = deliver(gw, report_id)
    assert done.status == "accepted"
    pushes = gw.pushes()
    assert len(pushes) == 2 and pushes[0]["idempotencyKey"] == pushes[1]["idempotencyKey"]
    assert [p["count"] for p in gw.control.state()["pushes"]] == [1]  # stored once
    [receipt] = gw.control.state()["receipts"]  # one receipt issued: the second answer replayed it
    assert done.receipt == receipt["reference"]


def test_retries_give_up_after_the_last_attempt_and_say_so(gateway):
    gw = gateway(PBADMIN_SYNC_MAX_ATTEMPTS=3)
    gw.control.inject_failures([{"status": 503, "times": 10, "method": "POST"}])
    report = deliver(gw, build_queued(gw), rounds=3)
    assert report.status == "failed" and "已尝试 3 次" in report.message
    assert [a.outcome for a in report.attempts] == ["retry", "retry", "retry"]


def test_rejected_content_is_not_retried_and_shows_the_conflicts(gateway):
    gw = gateway(extra_elements=("TS_ROOMS",))
    gw.control.add_data_element("zhejiang", "TS_ROOMS", "测试数据元")
    report_id = build_queued(gw)
    with gw.app.app_context():
        from pbadmin.sync import province_catalogue
        from pbadmin.sync.target import target_for

        province_catalogue.pull(target_for(gw.plugin))  # pbadmin believes the province knows TS_ROOMS …
    gw.app.config["PBADMIN_CATALOGUE_MAX_AGE"] = 3600
    gw.control.remove_data_element("zhejiang", "TS_ROOMS")  # … but it no longer does
    report = deliver(gw, report_id, rounds=2)
    assert report.status == "rejected" and "TS_ROOMS" in report.message
    assert [(a.http_status, a.outcome) for a in report.attempts] == [(422, "rejected")]
    assert report.answer["status"] == "ERROR"


def test_an_element_the_province_does_not_know_holds_the_report_back_unsent(gateway):
    gw = gateway(extra_elements=("TS_ROOMS",))
    report = deliver(gw, build_queued(gw))
    assert report.status == "held" and "TS_ROOMS" in report.message
    assert gw.pushes() == []  # nothing was sent to be refused
    gw.control.add_data_element("zhejiang", "TS_ROOMS", "测试数据元")
    with gw.app.app_context():
        from pbadmin.sync.lifecycle import requeue

        requeue(db.session.get(Report, report.id), "test")
        db.session.commit()
    assert deliver(gw, report.id).status == "accepted"


def test_an_org_unit_the_province_does_not_know_holds_the_report_back(gateway):
    gw = gateway("sichuan")
    gw.control.remove_org_unit("sichuan", ORG_UNIT)
    report = deliver(gw, build_queued(gw))
    assert report.status == "held" and ORG_UNIT in report.message
    assert gw.pushes() == []


def test_an_idempotency_conflict_fails_without_retrying(gateway):
    gw = gateway()
    report_id = build_queued(gw)
    with gw.app.app_context():
        key = db.session.get(Report, report_id).idempotency_key
    from pbadmin.sandbox.credentials import sandbox_credentials
    from tests.sync.conftest import SEED

    token = sandbox_credentials(SEED)["zhejiang"]["token"]
    other = {"dataSet": "PB_MONTHLY", "period": "202403", "orgUnit": ORG_UNIT, "dataValues": []}
    first = requests.post(
        f"{gw.server.base_url('zhejiang')}/api/dataValueSets",
        json=other,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=5,
    )
    assert first.status_code in (200, 422)  # someone used the key first, with another body
    report = deliver(gw, report_id, rounds=2)
    assert report.status == "failed" and "HTTP 409" in report.message
    assert [(a.http_status, a.outcome) for a in report.attempts] == [(409, "failed")]


def test_the_contract_error_list_maps_to_outcomes():
    def answer(status, body=b"{}", headers=None):
        return Answer(status, body, headers or {})

    assert classify(answer(400)).kind == "failed"
    assert classify(answer(401)).kind == "failed"
    assert classify(answer(403)).kind == "failed"
    assert classify(answer(409)).kind == "failed"
    assert classify(answer(422, b'{"status":"ERROR","conflicts":[{"object":"X","value":"unknown"}]}')).kind == (
        "rejected"
    )
    assert classify(answer(429, headers={"Retry-After": "12"})).retry_after == 12
    for status in (500, 502, 503, 504):
        assert classify(answer(status)).kind == "retry"
    assert classify(Answer(None, error="timed out")).kind == "retry"
    accepted = classify(answer(200, b'{"status":"SUCCESS","reference":"R-1","conflicts":[]}'))
    assert (accepted.kind, accepted.receipt) == ("accepted", "R-1")
    assert classify(answer(200, b'{"status":"WARNING","reference":"R-2","conflicts":[]}')).kind == "accepted"
    assert classify(answer(200, b'{"status":"ERROR","conflicts":[]}')).kind == "rejected"


def test_retry_after_may_be_an_http_date():
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    seconds = retry_after_seconds(later.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert 25 <= seconds <= 31


def test_backoff_grows_with_jitter_and_stops_at_the_cap():
    policy = RetryPolicy(base=2, cap=60, max_attempts=10)
    first = [policy.delay(1) for _ in range(50)]
    fifth = [policy.delay(5) for _ in range(50)]
    assert all(1 <= d <= 2 for d in first) and len(set(first)) > 1
    assert all(16 <= d <= 32 for d in fifth)
    assert all(30 <= policy.delay(20) <= 60 for _ in range(20))
    assert policy.delay(3, retry_after=7) == 7


def test_refusals_the_province_gives_before_reading_the_report_are_not_retried(gateway):
    gw = gateway()
    gw.control.inject_failures([{"status": 400, "times": 1, "method": "POST"}])
    refused = deliver(gw, build_queued(gw, "202401"), rounds=2)
    assert refused.status == "failed" and "HTTP 400" in refused.message
    gw.control.inject_failures([{"status": 403, "times": 1, "method": "POST"}])
    forbidden = deliver(gw, build_queued(gw, "202402"), rounds=2)
    assert forbidden.status == "failed" and "HTTP 403" in forbidden.message and "无权上报" in forbidden.message
    assert [len(refused.attempts), len(forbidden.attempts)] == [1, 1]


def test_two_first_catalogue_pulls_at_once_both_succeed(gateway):
    """Two workers pulling a plugin's first catalogue together must not both insert its row."""
    gw = gateway()
    gw.control.set_latency(0.3)  # both requests are at the province before either is stored
    together = threading.Barrier(2)
    errors: list[BaseException] = []

    def pull() -> None:
        with gw.app.app_context():
            together.wait()
            try:
                province_catalogue.pull(target_for(gw.plugin))
            except Exception as exc:  # noqa: BLE001 (collected for the assertion)
                errors.append(exc)

    threads = [threading.Thread(target=pull) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with gw.app.app_context():
        row = db.session.get(GatewayCatalogue, gw.plugin)
        assert row.pulled_at is not None and row.elements and row.error is None
