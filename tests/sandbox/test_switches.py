"""The control API's switches: injected failures, latency, clock and reset; and the server going down and up."""

from __future__ import annotations

import time

import pytest
import requests

from pbadmin.sandbox.server import SandboxControl
from tests.sandbox.conftest import TIMEOUT, Province, report


def test_an_injected_429_carries_retry_after(province, control):
    control.inject_failures([{"status": 429, "retry_after": 7}], profile="zhejiang")
    answer = province("zhejiang").push(report("zhejiang"))
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "7"
    assert answer.json()["status"] == "ERROR"
    assert province("zhejiang").push(report("zhejiang")).status_code == 200


def test_injected_503s_are_answered_that_many_times_before_real_processing(province, control):
    control.inject_failures([{"status": 503, "times": 3}], profile="sichuan")
    client = province("sichuan")
    statuses = [client.push(report("sichuan"), key="same").status_code for _ in range(4)]
    assert statuses == [503, 503, 503, 200]
    assert len(control.state()["receipts"]) == 1  # the key was not used up by the failures


@pytest.mark.parametrize("status", [500, 502, 504])
def test_other_server_errors_can_be_injected(province, control, status):
    control.inject_failures([{"status": status}])
    assert province("hubei").push(report("hubei")).status_code == status
    assert control.state()["cells"] == []


def test_failures_are_answered_before_authentication(gateway, control):
    control.inject_failures([{"status": 503}], profile="zhejiang")
    answer = requests.get(f"{gateway.base_url('zhejiang')}/api/dataElements", timeout=TIMEOUT)
    assert answer.status_code == 503


def test_failures_queue_in_order(province, control):
    control.inject_failures([{"status": 502}, {"status": 429, "retry_after": 2}], profile="zhejiang")
    client = province("zhejiang")
    assert [client.push(report("zhejiang")).status_code for _ in range(3)] == [502, 429, 200]


def test_a_failure_for_one_profile_leaves_the_others_alone(province, control):
    control.inject_failures([{"status": 503}], profile="hubei")
    assert province("zhejiang").push(report("zhejiang")).status_code == 200
    assert province("hubei").push(report("hubei")).status_code == 503


def test_a_failure_can_target_one_path(gateway, control):
    control.inject_failures([{"status": 503, "path": "/api/dataValueSets", "method": "POST"}], profile="shandong")
    client = Province(gateway, "shandong")
    assert client.fetch_token().status_code == 200
    assert client.request("GET", "/api/dataElements").status_code == 200
    assert client.push(report("shandong")).status_code == 503


def test_the_latency_switch_delays_answers_of_that_profile(province, control):
    control.set_latency(0.4, profile="zhejiang")

    def seconds_to_answer(profile: str) -> float:
        started = time.monotonic()
        assert province(profile).request("GET", "/api/dataElements").status_code == 200
        return time.monotonic() - started

    assert seconds_to_answer("zhejiang") >= 0.4
    assert seconds_to_answer("hubei") < 0.4


def test_a_slow_gateway_times_out_a_client(province, control):
    control.set_latency(0.5)
    with pytest.raises(requests.Timeout):
        requests.get(f"{province('zhejiang').base_url}/api/dataElements", timeout=0.2)


def test_reset_forgets_data_and_switches(province, control):
    province("zhejiang").push(report("zhejiang"))
    control.set_latency(1)
    control.inject_failures([{"status": 503}])
    control.set_clock_offset(1000)
    control.lock_periods("zhejiang", "202401")
    control.reset()
    state = control.state()
    assert state["cells"] == [] and state["receipts"] == [] and state["pushes"] == []
    assert state["requests"]["zhejiang"] == []
    every = ["zhejiang", "sichuan", "hubei", "shandong", "dhis2"]
    assert state["switches"] == {
        "latency": dict.fromkeys(every, 0.0),
        "failures": {profile: [] for profile in every},
        "clockOffset": 0.0,
        "tokenTtl": 3600,
        "lockedPeriods": {profile: [] for profile in every},
    }


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("failures", {"failures": [{"status": 404}]}),
        ("failures", {"failures": [{"status": 503, "times": 0}]}),
        ("failures", {"failures": "503"}),
        ("latency", {"seconds": -1}),
        ("latency", {"seconds": 1, "profile": "beijing"}),
        ("token-ttl", {"seconds": 0}),
        ("data-elements", {"add": [{"code": "X", "name": "x"}]}),
        ("org-units", {"profile": "hubei", "add": [{"code": "X"}]}),
        ("failures", {"failures": [{"status": 503, "after": "yes"}]}),
        ("locked-periods", {"lock": ["202401"]}),
        ("locked-periods", {"profile": "zhejiang", "lock": "202401"}),
    ],
)
def test_the_control_api_refuses_what_it_cannot_do(gateway, path, payload):
    answer = requests.post(f"{gateway.url}/_control/{path}", json=payload, timeout=TIMEOUT)
    assert answer.status_code == 400 and answer.json()["status"] == "ERROR"


def test_the_control_api_can_be_left_out(start_gateway):
    server = start_gateway(control=False)
    assert requests.get(f"{server.url}/_control/state", timeout=TIMEOUT).status_code == 404


def test_the_gateway_stops_and_comes_back_on_the_same_port_with_its_data(start_gateway):
    server = start_gateway()
    port = server.port
    client = Province(server, "zhejiang")
    assert client.push(report("zhejiang", {"PB_MEMBERS": "5"})).status_code == 200
    server.stop()
    with pytest.raises(requests.ConnectionError):
        client.push(report("zhejiang"))
    server.start()
    assert server.port == port
    assert client.read_back("PB_MONTHLY", "202401", "331004-PBW")["dataValues"] == [
        {"dataElement": "PB_MEMBERS", "value": "5"}
    ]


def test_a_kept_alive_session_does_not_outlive_a_stop(start_gateway):
    server = start_gateway()
    with requests.Session() as session:
        headers = {"Authorization": f"Bearer {Province(server, 'zhejiang').credentials['token']}"}
        url = f"{server.base_url('zhejiang')}/api/dataElements"
        assert session.get(url, headers=headers, timeout=TIMEOUT).status_code == 200
        server.stop()
        with pytest.raises(requests.ConnectionError):
            session.get(url, headers=headers, timeout=TIMEOUT)


def test_the_server_works_as_a_context_manager(start_gateway):
    server = start_gateway()
    server.stop()
    with server as running:
        assert SandboxControl(running.url).state()["cells"] == []
    with pytest.raises(requests.ConnectionError):
        SandboxControl(server.url).state()


def test_a_failure_injected_after_the_work_stores_the_push_and_answers_the_failure(province, control):
    control.inject_failures([{"status": 503, "after": True, "method": "POST"}], profile="zhejiang")
    client = province("zhejiang")
    lost = client.push(report("zhejiang", {"PB_MEMBERS": "7"}), key="k")
    assert lost.status_code == 503 and lost.json()["status"] == "ERROR"
    assert [cell["value"] for cell in control.state()["cells"]] == ["7"]  # stored, though the answer was lost
    replay = client.push(report("zhejiang", {"PB_MEMBERS": "7"}), key="k")
    assert replay.status_code == 200 and replay.json()["importCount"]["imported"] == 1  # the first answer, replayed


def test_a_locked_period_is_refused_as_content_and_stores_nothing(province, control):
    control.lock_periods("zhejiang", "202401")
    client = province("zhejiang")
    refused = client.push(report("zhejiang"))
    assert refused.status_code == 422
    assert {c["object"] for c in refused.json()["conflicts"]} == {"period"}
    assert client.push(report("zhejiang", period="202402")).status_code == 200
    control.unlock_periods("zhejiang", "202401")
    assert client.push(report("zhejiang")).status_code == 200
    assert control.state()["switches"]["lockedPeriods"]["zhejiang"] == []
