"""Each profile's authentication: the right credentials pass, every wrong one gets 401 saying why."""

from __future__ import annotations

import time

import pytest
import requests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from pbadmin.sandbox.app import create_sandbox_app
from pbadmin.sync.auth import sichuan_headers
from tests.sandbox.conftest import CREDENTIALS, TIMEOUT, Province, make_config, report

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


@pytest.mark.parametrize("profile", ["zhejiang", "sichuan", "hubei", "shandong"])
def test_a_refused_push_stores_nothing(gateway, control, profile):
    client = Province(gateway, profile)
    client.credentials = {key: "wrong" for key in client.credentials}
    answer = client.fetch_token() if profile == "shandong" else client.push(report(profile))
    assert answer.status_code == 401
    assert control.state()["cells"] == []


# --- sichuan: request signing ----------------------------------------------------------------


def test_sichuan_accepts_a_signed_request(gateway):
    assert signed_get(catalogue_url(gateway, "sichuan")).status_code == 200


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
    time.sleep(1.1)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    answer = requests.get(catalogue_url(gateway, "shandong"), headers=headers, timeout=TIMEOUT)
    assert_refused(answer, "expired")


def test_the_token_ttl_comes_from_the_config(start_gateway):
    server = start_gateway(token_ttl=120)
    assert Province(server, "shandong").fetch_token().json()["expires_in"] == 120


def test_a_profile_without_configured_credentials_refuses_everyone(start_gateway):
    server = start_gateway(credentials={"sichuan": SICHUAN})
    assert_refused(requests.get(catalogue_url(server, "zhejiang"), timeout=TIMEOUT), "no credentials")
