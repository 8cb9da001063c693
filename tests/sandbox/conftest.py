"""Fixtures: the sandbox gateway served on 127.0.0.1, its control API, and a small client per profile.

One gateway serves the whole session and is reset before every test; a test that needs another
configuration, or takes the gateway down, starts its own with ``start_gateway``.

The client here is the tests' own, written from docs/gateway-contract.md: it signs sichuan requests
and writes ADX documents without pbadmin's client code (pbadmin.sync), so these tests check the
sandbox against the contract, not against pbadmin's reading of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import pytest
import requests

from pbadmin.sandbox.app import SandboxConfig
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.server import SandboxControl, SandboxServer

DATA = Path(__file__).resolve().parent / "data"
CREDENTIALS = sandbox_credentials("sandbox-test-seed")
TIMEOUT = 10
ADX_TYPE = "application/adx+xml"
# the provinces of the contract; dhis2 answers as DHIS2 does (tests/sandbox/test_dhis2.py)
CONTRACT_PROFILES = ("zhejiang", "sichuan", "hubei", "shandong")
# The org units each province knows in these tests, as SandboxConfig.org_units gives them.
ORG_UNITS = {
    "zhejiang": [
        {"code": "331004-PBW", "name": "路桥区卫健局党委", "parent": None},
        {"code": "331004-A", "name": "内科党支部", "parent": "331004-PBW"},
    ],
    "sichuan": [{"code": "510114-PBW", "name": "新都区卫健局党委", "parent": None}],
    "hubei": [{"code": "421000-PBW", "name": "荆州市卫健委党委", "parent": None}],
    "shandong": [{"code": "371581-PBW", "name": "临清市卫健局党委", "parent": None}],
    "dhis2": [
        {"code": "420000-DHIS", "name": "省卫健委党组", "parent": None},
        {"code": "420100-A", "name": "武汉市卫健委党委", "parent": "420000-DHIS"},
    ],
}
ORG_UNIT = {profile: units[0]["code"] for profile, units in ORG_UNITS.items()}


def known_org_units(profile: str) -> list[dict]:
    return ORG_UNITS[profile]


def make_config(**overrides) -> SandboxConfig:
    return SandboxConfig(**{"credentials": CREDENTIALS, "org_units": known_org_units, **overrides})


@pytest.fixture(scope="session")
def session_gateway():
    with SandboxServer(make_config()) as server:
        yield server


@pytest.fixture
def gateway(session_gateway) -> SandboxServer:
    """The session's gateway, as fresh as a new one: stored data and switches reset."""
    SandboxControl(session_gateway.url).reset()
    return session_gateway


@pytest.fixture
def control(gateway) -> SandboxControl:
    return SandboxControl(gateway.url)


@pytest.fixture
def start_gateway():
    """Start a gateway of one's own (``start_gateway(token_ttl=1)``); every one is stopped afterwards."""
    servers: list[SandboxServer] = []

    def start(**overrides) -> SandboxServer:
        server = SandboxServer(make_config(**overrides)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


class Province:
    """Talks to one profile of a gateway with the right credentials, as pbadmin's client would."""

    def __init__(self, server: SandboxServer, profile: str) -> None:
        self.server = server
        self.profile = profile
        self.base_url = server.base_url(profile)
        self.credentials = CREDENTIALS[profile]
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            self._token = self.fetch_token().json()["access_token"]
        return self._token

    def fetch_token(self, **form) -> requests.Response:
        fields = {"grant_type": "client_credentials", **self.credentials, **form}
        return requests.post(f"{self.base_url}/oauth/token", data=fields, timeout=TIMEOUT)

    def auth(self, method: str, url: str, body: bytes) -> dict:
        if self.profile == "zhejiang":
            return {"headers": {"Authorization": f"Bearer {self.credentials['token']}"}}
        if self.profile == "sichuan":
            return {
                "headers": signed_headers(self.credentials["app_id"], self.credentials["app_secret"], method, url, body)
            }
        if self.profile == "hubei":
            return {"auth": (self.credentials["username"], self.credentials["password"])}
        if self.profile == "dhis2":
            return {"headers": {"Authorization": f"ApiToken {self.credentials['api_token']}"}}
        return {"headers": {"Authorization": f"Bearer {self.token()}"}}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None, **kwargs):
        url = f"{self.base_url}{path}"
        auth = self.auth(method, url, body)
        merged = {**auth.pop("headers", {}), **(headers or {})}
        return requests.request(method, url, data=body or None, headers=merged, timeout=TIMEOUT, **auth, **kwargs)

    def push(self, report: dict | bytes, key: str | None = None, content_type: str | None = None, keyed: bool = True):
        """POST a report (a dict becomes the profile's format: JSON, or ADX for hubei) under ``key`` (a fresh one
        unless given; none at all when not ``keyed``)."""
        body = report if isinstance(report, bytes) else self.encode(report)
        headers = {"Content-Type": content_type or (ADX_TYPE if self.profile == "hubei" else "application/json")}
        if keyed:
            headers["Idempotency-Key"] = key or str(uuid.uuid4())
        path = "/api/adx" if self.profile == "hubei" else "/api/dataValueSets"
        return self.request("POST", path, body, headers)

    def encode(self, report: dict) -> bytes:
        if self.profile == "hubei":
            return adx_document([report])
        return json.dumps(report).encode("utf-8")

    def read_back(self, data_set: str, period: str, org_unit: str) -> dict:
        answer = self.request(
            "GET", "/api/dataValueSets", params={"dataSet": data_set, "period": period, "orgUnit": org_unit}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """sichuan's X-PB-Signature as docs/gateway-contract.md words it, with hashlib and hmac only."""
    text = "\n".join([method, path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_headers(
    app_id: str, secret: str, method: str, url: str, body: bytes, timestamp: int | None = None, nonce: str | None = None
) -> dict[str, str]:
    """The four X-PB-* headers for one request to ``url`` (signed over its path, without the query)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(12)
    return {
        "X-PB-AppId": app_id,
        "X-PB-Timestamp": stamp,
        "X-PB-Nonce": nonce,
        "X-PB-Signature": signature(secret, method, urlsplit(url).path, stamp, nonce, body),
    }


ADX_DURATIONS = {"PB_MONTHLY": "P1M", "PB_QUARTERLY": "P3M", "PB_YEARLY": "P1Y"}


def adx_period(data_set: str, period: str) -> str:
    """``202401`` → ``2024-01-01/P1M``, ``2024Q2`` → ``2024-04-01/P3M``, ``2023`` → ``2023-01-01/P1Y``."""
    if "Q" in period:
        year, quarter = period.split("Q")
        start = f"{year}-{3 * int(quarter) - 2:02d}-01"
    elif len(period) == 6:
        start = f"{period[:4]}-{period[4:]}-01"
    else:
        start = f"{period}-01-01"
    return f"{start}/{ADX_DURATIONS.get(data_set, 'P1M')}"


def adx_document(reports: list[dict]) -> bytes:
    """JSON-shaped reports as one ADX document, written out by hand as the contract describes it."""
    groups = []
    for r in reports:
        values = "".join(
            f"<dataValue dataElement={quoteattr(v['dataElement'])} value={quoteattr(str(v['value']))}/>"
            for v in r["dataValues"]
        )
        period = adx_period(r["dataSet"], r["period"])
        attributes = f"dataSet={quoteattr(r['dataSet'])} orgUnit={quoteattr(r['orgUnit'])} period={quoteattr(period)}"
        groups.append(f"<group {attributes}>{values}</group>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-02-01T09:00:00+00:00">{"".join(groups)}</adx>'
    ).encode()


def report(
    profile: str, values: dict[str, str] | None = None, period: str = "202401", data_set: str = "PB_MONTHLY", **fields
):
    """A push body for ``profile``'s first org unit (dataSet, period, orgUnit, completeDate, dataValues)."""
    values = values if values is not None else {"PB_MEMBERS": "1024", "PB_BRANCHES": "7"}
    body = {
        "dataSet": data_set,
        "period": period,
        "orgUnit": ORG_UNIT[profile],
        "completeDate": "2024-02-01",
        "dataValues": [{"dataElement": code, "value": value} for code, value in values.items()],
    }
    body.update(fields)
    return body


@pytest.fixture
def province(gateway):
    """``province("sichuan")``: a client of that profile on the session gateway."""
    return lambda profile: Province(gateway, profile)
