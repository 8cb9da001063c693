"""Gateway adapters: one client per gateway profile, speaking its authentication and format.

A client is built from its ``ProfileSpec`` (pbadmin.sync.profiles: paths, query parameters, how the
gateway answers). Each owns one ``requests.Session`` (connection reuse; hubei's Basic credentials;
shandong's token cache) and never raises for what the network or the gateway does: every call
returns an ``Answer``, which ``pbadmin.sync.outcomes`` turns into accepted, rejected, retry or failed.
The dhis2 client lives in ``pbadmin.sync.dhis2``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests

from pbadmin.sync.auth import sichuan_headers
from pbadmin.sync.profiles import IDEMPOTENCY_KEY, IMPORT_SUMMARY, ProfileSpec, profile_spec

TIMEOUT = (5.0, 20.0)  # connect, read
ANSWER_LIMIT = 4000


@dataclass
class Answer:
    """What came back: an HTTP status and body, or (status None) why nothing came back."""

    status: int | None
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    error: str | None = None
    #: which request this answers ("push", "token", "catalogue", "read-back")
    stage: str = "push"
    #: how to read it: the profile's ``answers`` (``profiles.IMPORT_SUMMARY`` or ``profiles.DHIS2_WEB_MESSAGE``)
    dialect: str = IMPORT_SUMMARY

    def json(self) -> dict | None:
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None

    def text(self, limit: int = ANSWER_LIMIT) -> str:
        return self.body.decode("utf-8", errors="replace")[:limit]


class GatewayClient:
    """The zhejiang profile (static Bearer token) and the behaviour every profile shares."""

    def __init__(self, spec: ProfileSpec, settings: dict, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.spec = spec
        self.base_url = str(settings["base_url"]).rstrip("/")
        self.settings = settings
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "pbadmin-sync/1"

    # --- per-profile hooks ----------------------------------------------------------------
    def auth_headers(self, method: str, url: str, body: bytes) -> dict[str, str] | Answer:
        """Headers that make one request acceptable; an Answer when getting them failed."""
        return {"Authorization": f"Bearer {self.settings['token']}"}

    # --- requests -----------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None, params=None) -> Answer:
        url = f"{self.base_url}{path}"
        auth = self.auth_headers(method, url, body)
        if isinstance(auth, Answer):
            return auth
        return self._send(method, url, body, {**auth, **(headers or {})}, params)

    def _send(self, method: str, url: str, body: bytes, headers: dict, params=None, stage: str = "push") -> Answer:
        dialect = self.spec.answers
        try:
            response = self.session.request(
                method, url, data=body or None, headers=headers, params=params, timeout=self.timeout
            )
        except requests.Timeout:
            return Answer(None, error="网关响应超时 / the gateway did not answer in time", stage=stage, dialect=dialect)
        except requests.ConnectionError as exc:
            error = f"无法连接到网关 / cannot connect to the gateway ({_short(exc)})"
            return Answer(None, error=error, stage=stage, dialect=dialect)
        except requests.RequestException as exc:
            return Answer(None, error=f"请求失败 / request failed ({_short(exc)})", stage=stage, dialect=dialect)
        return Answer(response.status_code, response.content, dict(response.headers), stage=stage, dialect=dialect)

    def push(self, body: bytes, content_type: str, idempotency_key: str) -> Answer:
        """POST one stored payload; the Idempotency-Key goes with it where the profile takes one."""
        headers = {"Content-Type": content_type}
        if self.spec.exactly_once == IDEMPOTENCY_KEY:
            headers["Idempotency-Key"] = idempotency_key
        return self.request("POST", self.spec.push_path, body, headers, params=list(self.spec.push_params) or None)

    def get_json(self, path: str, params=None, stage: str = "catalogue") -> Answer:
        answer = self.request("GET", path, params=params, headers={"Accept": "application/json"})
        answer.stage = stage
        return answer

    def data_elements(self) -> Answer:
        return self.get_json("/api/dataElements", list(self.spec.data_elements_params) or None)

    def org_units(self) -> Answer:
        return self.get_json("/api/organisationUnits", list(self.spec.org_units_params) or None)

    def read_back(self, data_set: str, period: str, org_unit: str) -> Answer:
        """What the gateway holds for one report (the contract's read-back, in the shape of a push)."""
        params = [("dataSet", data_set), ("period", period), ("orgUnit", org_unit), *self.spec.read_back_params]
        return self.get_json("/api/dataValueSets", params, stage="read-back")

    def close(self) -> None:
        self.session.close()


class SichuanClient(GatewayClient):
    """Request signing: a fresh nonce and timestamp per attempt (the gateway refuses a nonce it has seen)."""

    def auth_headers(self, method, url, body):
        return sichuan_headers(self.settings["app_id"], self.settings["app_secret"], method, url, body)


class HubeiClient(GatewayClient):
    """HTTP Basic, and reports as ADX XML at /api/adx."""

    def __init__(self, spec: ProfileSpec, settings: dict, timeout=TIMEOUT) -> None:
        super().__init__(spec, settings, timeout)
        self.session.auth = (settings["username"], settings["password"])

    def auth_headers(self, method, url, body):
        return {}


class ShandongClient(GatewayClient):
    """OAuth2 client credentials: the token is cached until it expires and fetched again once on invalid_token."""

    #: fetch a new token this many seconds before the gateway would call it expired
    EXPIRY_MARGIN = 30

    def __init__(self, spec: ProfileSpec, settings: dict, timeout=TIMEOUT) -> None:
        super().__init__(spec, settings, timeout)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def auth_headers(self, method, url, body):
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                failure = self._fetch_token()
                if failure is not None:
                    return failure
            return {"Authorization": f"Bearer {self._token}"}

    def _fetch_token(self) -> Answer | None:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.settings["client_id"],
            "client_secret": self.settings["client_secret"],
        }
        answer = self._send(
            "POST",
            f"{self.base_url}{self.spec.token_path}",
            urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded"},
            stage="token",
        )
        token = answer.json() if answer.status == 200 else None
        if not token or not token.get("access_token"):
            return answer
        self._token = token["access_token"]
        lifetime = float(token.get("expires_in") or 0)
        self._expires_at = time.monotonic() + max(0.0, lifetime - self.EXPIRY_MARGIN)
        return None

    def request(self, method, path, body=b"", headers=None, params=None):
        answer = super().request(method, path, body, headers, params)
        if answer.status == 401 and "invalid_token" in answer.headers.get("WWW-Authenticate", ""):
            with self._lock:
                self._token = None  # expired or revoked: one fresh token, one more try
            answer = super().request(method, path, body, headers, params)
        return answer


_clients: dict[tuple[str, str], GatewayClient] = {}
_clients_lock = threading.Lock()


def make_client(profile: str, settings: dict, timeout=TIMEOUT) -> GatewayClient:
    """A client of its own (the caller closes it), e.g. for the settings page's connection test."""
    spec = profile_spec(profile)
    return spec.client_class()(spec, settings, timeout)


def client_for(plugin: str, profile: str, settings: dict, timeout=TIMEOUT) -> GatewayClient:
    """The process's one client for this plugin's gateway; a new one when its settings change."""
    spec = profile_spec(profile)
    fingerprint = hashlib.sha256(
        json.dumps([profile, settings, list(timeout)], sort_keys=True, default=str).encode()
    ).hexdigest()
    with _clients_lock:
        key = (plugin, fingerprint)
        client = _clients.get(key)
        if client is None:
            for stale in [k for k in _clients if k[0] == plugin]:
                _clients.pop(stale).close()
            client = _clients[key] = spec.client_class()(spec, settings, timeout)
        return client


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"
