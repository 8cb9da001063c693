"""The sandbox provincial gateway: a small Flask app playing all four profiles of provincial-api.md.

Not the pbadmin app (no login, no CSRF): it is the province. Each profile lives under its own
prefix, so the base_url of a profile is ``f"{server}/{profile}"``. Every request to a profile goes
through the same gate, in the order a real gateway would: latency, injected failures (a load
balancer answers before the application), authentication, then the work.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from pbadmin.sandbox.answers import Refusal
from pbadmin.sandbox.catalogue import VALUE_TYPE
from pbadmin.sandbox.gatekeeper import authenticate, issue_token
from pbadmin.sandbox.imports import judge, reports_from_adx, reports_from_json
from pbadmin.sandbox.state import GatewayState

PROFILE = "<any(zhejiang, sichuan, hubei, shandong):profile>"
JSON_PUSH = "<any(zhejiang, sichuan, shandong):profile>"
MAX_KEY_LENGTH = 128
ADX_TYPE = "application/adx+xml"


@dataclass
class SandboxConfig:
    """What the province knows: each profile's credentials and (through ``org_units``) its org units."""

    credentials: dict[str, dict[str, str]]
    org_units: Callable[[str], Iterable[dict]] | None = None
    token_ttl: int = 3600
    max_clock_skew: int = 300
    #: serve /_control/ (tests and demos); turn off where the sandbox is reachable by others
    control: bool = True


@dataclass
class Sandbox:
    config: SandboxConfig
    state: GatewayState

    def org_units(self, profile: str) -> dict[str, dict]:
        known = self.config.org_units(profile) if self.config.org_units else []
        return self.state.org_units(profile, known)


def create_sandbox_app(config: SandboxConfig) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["pbadmin_sandbox"] = Sandbox(config, GatewayState(config.token_ttl, config.max_clock_skew))
    app.register_blueprint(gateway)
    if config.control:
        from pbadmin.sandbox.control import control

        app.register_blueprint(control)
    app.register_error_handler(Refusal, lambda refusal: refusal.response())
    app.register_error_handler(HTTPException, _http_error)
    return app


def sandbox() -> Sandbox:
    return current_app.extensions["pbadmin_sandbox"]


def _http_error(exc: HTTPException):
    answer = jsonify({"status": "ERROR", "message": f"{exc.code} {exc.name}: {exc.description}"})
    answer.status_code = exc.code or 500
    return answer


gateway = Blueprint("sandbox_gateway", __name__)


# --- the gate every profile request passes ------------------------------------------------------


@gateway.before_request
def gate():
    profile = (request.view_args or {}).get("profile")
    if profile is None:
        return None
    g.profile = profile
    state = sandbox().state
    delay = state.latency_for(profile)
    if delay > 0:
        time.sleep(delay)
    base = request.path.removeprefix(f"/{profile}")
    failure = state.take_failure(profile, request.method, base)
    if failure is not None:
        return _injected(failure).response()
    if request.endpoint != "sandbox_gateway.oauth_token":
        authenticate(profile, request, sandbox().config.credentials.get(profile), state)
    return None


@gateway.after_request
def log(response):
    profile = g.get("profile")
    if profile is not None:
        key = request.headers.get("Idempotency-Key")
        sandbox().state.log_request(
            profile, request.method, request.script_root + request.path, key, response.status_code
        )
    return response


def _injected(failure: dict) -> Refusal:
    status = int(failure["status"])
    if status == 429:
        seconds = str(failure.get("retry_after", 1))
        return Refusal(429, f"请求过于频繁，请 {seconds} 秒后重试 / too many requests", {"Retry-After": seconds})
    if status == 400:
        return Refusal(400, "网关拒收了请求（注入的故障 400）/ the gateway refused the request (injected 400)")
    if status == 403:
        return Refusal(403, "该账号无权上报（注入的故障 403）/ this account may not report (injected 403)")
    return Refusal(status, f"网关暂时不可用（注入的故障 {status}）/ gateway unavailable (injected {status})")


# --- pushes -------------------------------------------------------------------------------------


@gateway.post(f"/{JSON_PUSH}/api/dataValueSets")
def push_json(profile: str):
    if request.mimetype != "application/json":
        raise Refusal(400, f"Content-Type 应为 application/json / expected application/json, got {request.mimetype}")
    return _push(profile, reports_from_json)


@gateway.post("/<any(hubei):profile>/api/adx")
def push_adx(profile: str):
    if request.mimetype != ADX_TYPE:
        raise Refusal(400, f"Content-Type 应为 {ADX_TYPE} / expected {ADX_TYPE}, got {request.mimetype}")
    return _push(profile, reports_from_adx)


def _push(profile: str, read):
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Refusal(
            400, "需要 Idempotency-Key 请求头（不超过 128 个字符）/ an Idempotency-Key of ≤ 128 characters is required"
        )
    body = request.get_data(cache=True)
    box = sandbox()
    verdict = judge(read, body, box.state.elements(profile), box.org_units(profile))
    status, answer = box.state.settle_push(profile, key, hashlib.sha256(body).hexdigest(), verdict)
    response = jsonify(answer)
    response.status_code = status
    return response


# --- reading ------------------------------------------------------------------------------------


@gateway.get(f"/{PROFILE}/api/dataValueSets")
def read_back(profile: str):
    wanted = {name: request.args.get(name, "").strip() for name in ("dataSet", "period", "orgUnit")}
    missing = [name for name, value in wanted.items() if not value]
    if missing:
        raise Refusal(400, f"缺少查询参数 / missing query parameters: {', '.join(missing)}")
    return jsonify(sandbox().state.read_back(profile, wanted["dataSet"], wanted["period"], wanted["orgUnit"]))


@gateway.get(f"/{PROFILE}/api/dataElements")
def data_elements(profile: str):
    elements = sandbox().state.elements(profile)
    return jsonify(
        {"dataElements": [{"code": code, "name": name, "valueType": VALUE_TYPE} for code, name in elements.items()]}
    )


@gateway.get(f"/{PROFILE}/api/organisationUnits")
def organisation_units(profile: str):
    units = sandbox().org_units(profile)
    return jsonify({"organisationUnits": [units[code] for code in sorted(units)]})


@gateway.post("/<any(shandong):profile>/oauth/token")
def oauth_token(profile: str):
    answer = issue_token(request.form.to_dict(), sandbox().config.credentials.get(profile), sandbox().state)
    return jsonify(answer)
