"""Each profile's authentication: the right credentials pass, every wrong one gets 401 saying why.

sichuan requests are signed by the tests' own signer (conftest.signed_headers), and the sandbox must
accept a signature computed by hand from the contract's text: a fixed vector, below."""

from __future__ import annotations

import time

import pytest
import requests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from pbadmin.sandbox.app import create_sandbox_app
from pbadmin.sandbox.server import SandboxControl
from tests.helpers import wait_until
from tests.sandbox.conftest import CONTRACT_PROFILES, CREDENTIALS, TIMEOUT, Province, make_config, report
from tests.sandbox.conftest import signed_headers as sichuan_headers

SICHUAN = CREDENTIALS["sichuan"]


def assert_refused(answer, *words: str, status: int = 401) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["status"] == "ERROR"
    for word in words:
        assert word in body["message"], body["message"]


def catalogue_url(gateway, profile: str) -> str:
    return f"{gateway.base_url(profile)}/api/dataElements"


def signed_get(url: str, secret: str = SICHUAN["app_secret"], **kwargs) -> requests.Response:
    headers = sichuan_headers(SICHUAN["app_id"], secret, "GET", url, b"", **kwargs)
    return requests.get(url, headers=headers, timeout=TIMEOUT)


# --- zhejiang: a static Bearer token ----------------------------------------------------------


def test_zhejiang_refuses_a_wrong_token(gateway):
    answer = requests.get(catalogue_url(gateway, "zhejiang"), headers={"Authorization": "Bearer nope"}, timeout=TIMEOUT)
    assert_refused(answer, "令牌无效", "not valid")


def test_zhejiang_refuses_a_request_without_a_token(gateway):
    assert_refused(requests.get(catalogue_url(gateway, "zhejiang"), timeout=TIMEOUT), "missing")


def test_zhejiang_refuses_another_profiles_secret(gateway):
    headers = {"Authorization": f"Bearer {CREDENTIALS['shandong']['client_secret']}"}
    assert_refused(requests.get(catalogue_url(gateway, "zhejiang"), headers=headers, timeout=TIMEOUT))


@pytest.mark.parametrize("profile", CONTRACT_PROFILES)
def test_a_refused_push_stores_nothing(gateway, control, profile):
    client = Province(gateway, profile)
    client.credentials = {key: "wrong" for key in client.credentials}
    answer = client.fetch_token() if profile == "shandong" else client.push(report(profile))
    assert answer.status_code == 401
    assert control.state()["cells"] == []


# --- sichuan: request signing ----------------------------------------------------------------


def test_sichuan_accepts_a_signed_request(gateway):
    assert signed_get(catalogue_url(gateway, "sichuan")).status_code == 200


# Computed by hand from docs/gateway-contract.md ("sichuan: request signing"), with Python's hashlib
# and hmac and again with ``openssl dgst -sha256 -hmac``; written here as literals, not recomputed.
VECTOR_APP = {"app_id": "pb-xindu-vector", "app_secret": "s3cr3t-of-xindu"}
VECTOR_TIMESTAMP = 1717200000
VECTOR_GET = {
    "X-PB-AppId": "pb-xindu-vector",
    "X-PB-Timestamp": "1717200000",
    "X-PB-Nonce": "nonce-0001",
    "X-PB-Signature": "13fc89d1271e0ffbb6b26ac27e45a7abf6823f2b3fcbc8d82ec6468c74796e0e",
}
VECTOR_BODY = (
    b'{"dataSet":"PB_YEARLY","period":"2021","orgUnit":"510114-WJ","completeDate":"2022-01-05",'
    b'"dataValues":[{"dataElement":"XD_COMPREHENSIVE_COMMITTEES","value":"3"}]}'
)
VECTOR_POST = {
    "X-PB-AppId": "pb-xindu-vector",
    "X-PB-Timestamp": "1717200000",
    "X-PB-Nonce": "nonce-0002",
    "X-PB-Signature": "1b0f09a51564883d08e79f9ab74b13c346a3ea96cb748f4faefa63fc8a515fab",
}


@pytest.fixture
def vector_gateway(start_gateway):
    """A sichuan province that knows the vector's app, its clock set to the vector's timestamp."""
    units = {"sichuan": [{"code": "510114-WJ", "name": "新都区卫健局党委", "parent": None}]}
    server = start_gateway(credentials={"sichuan": VECTOR_APP}, org_units=lambda profile: units.get(profile, []))
    SandboxControl(server.url).set_clock_offset(VECTOR_TIMESTAMP - time.time())
    return server


def test_sichuan_accepts_a_signature_computed_by_hand(vector_gateway):
    answer = requests.get(catalogue_url(vector_gateway, "sichuan"), headers=VECTOR_GET, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text


def test_sichuan_accepts_a_push_signed_by_hand_and_stores_it(vector_gateway):
    headers = {**VECTOR_POST, "Content-Type": "application/json", "Idempotency-Key": "vector"}
    url = f"{vector_gateway.base_url('sichuan')}/api/dataValueSets"
    answer = requests.post(url, data=VECTOR_BODY, headers=headers, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text
    cells = SandboxControl(vector_gateway.url).state()["cells"]
    assert [(c["period"], c["dataElement"], c["value"]) for c in cells] == [
        ("2021", "XD_COMPREHENSIVE_COMMITTEES", "3")
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"X-PB-Nonce": "nonce-0009"},  # signed over another nonce
        {"X-PB-Timestamp": "1717200001"},  # … another timestamp
        {"X-PB-Signature": "13FC89D1271E0FFBB6B26AC27E45A7ABF6823F2B3FCBC8D82EC6468C74796E0E"},  # not lowercase
    ],
)
def test_sichuan_refuses_the_hand_computed_vector_once_any_signed_part_changes(vector_gateway, change):
    headers = {**VECTOR_GET, **change}
    answer = requests.get(catalogue_url(vector_gateway, "sichuan"), headers=headers, timeout=TIMEOUT)
    assert_refused(answer, "signature")


def test_the_tests_own_signer_reproduces_the_vector():
    url = "http://127.0.0.1:9/sichuan/api/dataElements?ignored=query"
    headers = sichuan_headers("pb-xindu-vector", "s3cr3t-of-xindu", "GET", url, b"", VECTOR_TIMESTAMP, "nonce-0001")
    assert headers == VECTOR_GET


def test_sichuan_refuses_a_bad_signature(gateway):
    assert_refused(signed_get(catalogue_url(gateway, "sichuan"), secret="not-the-secret"), "签名不正确", "signature")


def test_sichuan_refuses_a_signature_over_another_body(gateway):
    url = f"{gateway.base_url('sichuan')}/api/dataValueSets"
    body = b'{"dataSet": "PB_MONTHLY"}'
    headers = sichuan_headers(SICHUAN["app_id"], SICHUAN["app_secret"], "POST", url, b"{}")
    headers.update({"Content-Type": "application/json", "Idempotency-Key": "k"})
    assert_refused(requests.post(url, data=body, headers=headers, timeout=TIMEOUT), "signature")


def test_sichuan_refuses_a_signature_over_another_path(gateway):
    url = catalogue_url(gateway, "sichuan")
    headers = sichuan_headers(SICHUAN["app_id"], SICHUAN["app_secret"], "GET", url.replace("dataElements", "x"), b"")
    assert_refused(requests.get(url, headers=headers, timeout=TIMEOUT), "signature")


def test_sichuan_refuses_an_unknown_app_id(gateway):
    url = catalogue_url(gateway, "sichuan")
    headers = sichuan_headers("someone-else", SICHUAN["app_secret"], "GET", url, b"")
    assert_refused(requests.get(url, headers=headers, timeout=TIMEOUT), "AppId")


def test_sichuan_refuses_missing_signing_headers(gateway):
    url = catalogue_url(gateway, "sichuan")
    headers = sichuan_headers(SICHUAN["app_id"], SICHUAN["app_secret"], "GET", url, b"")
    del headers["X-PB-Nonce"]
    assert_refused(requests.get(url, headers=headers, timeout=TIMEOUT), "X-PB-Nonce")


def test_replayed_nonce_is_refused(gateway):
    url = catalogue_url(gateway, "sichuan")
    assert signed_get(url, nonce="once-only").status_code == 200
    assert_refused(signed_get(url, nonce="once-only"), "nonce")


def test_a_nonce_is_not_spent_by_a_refused_request(gateway):
    url = catalogue_url(gateway, "sichuan")
    assert signed_get(url, secret="wrong", nonce="n-1").status_code == 401
    assert signed_get(url, nonce="n-1").status_code == 200


@pytest.mark.parametrize("offset", [-301, 301, -3600, 3600])
def test_a_skewed_timestamp_is_refused_in_either_direction(gateway, offset):
    answer = signed_get(catalogue_url(gateway, "sichuan"), timestamp=int(time.time()) + offset)
    assert_refused(answer, "时间戳", "gateway clock")


@pytest.mark.parametrize("offset", [-250, 250])
def test_a_timestamp_within_the_window_is_accepted(gateway, offset):
    assert signed_get(catalogue_url(gateway, "sichuan"), timestamp=int(time.time()) + offset).status_code == 200


def test_a_gateway_clock_offset_provokes_skew(gateway, control):
    url = catalogue_url(gateway, "sichuan")
    control.set_clock_offset(400)
    assert_refused(signed_get(url), "gateway clock")
    assert signed_get(url, timestamp=int(time.time()) + 400).status_code == 200


def test_the_skew_window_is_configurable(start_gateway):
    server = start_gateway(max_clock_skew=10)
    assert_refused(signed_get(catalogue_url(server, "sichuan"), timestamp=int(time.time()) - 30), "limit 10 s")


def test_sichuan_signs_the_full_path_under_a_mount_prefix():
    """Mounted under /sandbox (as in the demo), PATH includes the prefix the client sees."""

    def not_here(environ, start_response):
        start_response("404 Not Found", [])
        return [b""]

    client = Client(DispatcherMiddleware(not_here, {"/sandbox": create_sandbox_app(make_config())}))
    url = "http://localhost/sandbox/sichuan/api/dataElements"
    good = sichuan_headers(SICHUAN["app_id"], SICHUAN["app_secret"], "GET", url, b"")
    assert client.get("/sandbox/sichuan/api/dataElements", headers=good).status_code == 200
    unprefixed = url.replace("/sandbox", "")
    bad = sichuan_headers(SICHUAN["app_id"], SICHUAN["app_secret"], "GET", unprefixed, b"")
    assert client.get("/sandbox/sichuan/api/dataElements", headers=bad).status_code == 401


# --- hubei: HTTP Basic ------------------------------------------------------------------------


def test_hubei_refuses_bad_basic_credentials(gateway):
    answer = requests.get(
        catalogue_url(gateway, "hubei"), auth=(CREDENTIALS["hubei"]["username"], "x"), timeout=TIMEOUT
    )
    assert_refused(answer, "用户名或密码不正确", "wrong username or password")
    assert answer.headers["WWW-Authenticate"].startswith("Basic")


def test_hubei_refuses_a_request_without_credentials(gateway):
    assert_refused(requests.get(catalogue_url(gateway, "hubei"), timeout=TIMEOUT), "HTTP Basic")


# --- shandong: OAuth2 client credentials ------------------------------------------------------


def test_shandong_issues_a_bearer_token_that_opens_the_api(gateway):
    client = Province(gateway, "shandong")
    token = client.fetch_token().json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600 and token["access_token"]
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert requests.get(catalogue_url(gateway, "shandong"), headers=headers, timeout=TIMEOUT).status_code == 200


def test_shandong_refuses_a_bad_oauth_client(gateway):
    answer = Province(gateway, "shandong").fetch_token(client_secret="wrong")
    assert_refused(answer, "client_secret")
    assert answer.json()["error"] == "invalid_client"


def test_shandong_refuses_another_grant_type(gateway):
    answer = Province(gateway, "shandong").fetch_token(grant_type="password")
    assert_refused(answer, "grant_type", status=400)
    assert answer.json()["error"] == "unsupported_grant_type"


def test_shandong_refuses_an_unknown_token_as_invalid(gateway):
    headers = {"Authorization": "Bearer made-up"}
    answer = requests.get(catalogue_url(gateway, "shandong"), headers=headers, timeout=TIMEOUT)
    assert_refused(answer, "not valid")
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_shandong_without_a_token_gets_a_plain_bearer_challenge(gateway):
    answer = requests.get(catalogue_url(gateway, "shandong"), timeout=TIMEOUT)
    assert_refused(answer, "missing")
    assert "invalid_token" not in answer.headers["WWW-Authenticate"]


def test_an_expired_token_gets_401_with_invalid_token_then_a_fresh_token_works(gateway, control):
    client = Province(gateway, "shandong")
    assert client.push(report("shandong")).status_code == 200
    assert control.expire_tokens() == 1
    expired = client.push(report("shandong"))
    assert_refused(expired, "expired")
    assert expired.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    client._token = None
    assert client.push(report("shandong")).status_code == 200


def test_a_token_expires_after_its_ttl(gateway, control):
    control.set_token_ttl(1)
    client = Province(gateway, "shandong")
    token = client.fetch_token().json()
    assert token["expires_in"] == 1
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    answers = []

    def refused() -> bool:
        answers.append(requests.get(catalogue_url(gateway, "shandong"), headers=headers, timeout=TIMEOUT))
        return answers[-1].status_code != 200

    wait_until(refused, 30, "the one-second token to be refused", interval=0.2)
    assert_refused(answers[-1], "expired")


def test_the_token_ttl_comes_from_the_config(start_gateway):
    server = start_gateway(token_ttl=120)
    assert Province(server, "shandong").fetch_token().json()["expires_in"] == 120


def test_a_profile_without_configured_credentials_refuses_everyone(start_gateway):
    server = start_gateway(credentials={"sichuan": SICHUAN})
    assert_refused(requests.get(catalogue_url(server, "zhejiang"), timeout=TIMEOUT), "no credentials")
