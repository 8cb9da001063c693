"""The sandbox provincial gateway: a small Flask app playing every profile of pbadmin.sync.profiles.

Not the pbadmin app (no login, no CSRF): it is the province. Each profile lives under its own
prefix, so the base_url of a profile is ``f"{server}/{profile}"``. The routes come from the profile
specs: where each profile takes pushes (``push_path``, in its ``payload_format``), its token endpoint
(``token_path``), and whether it answers as the contract does (this module) or as DHIS2 does
(``pbadmin.sandbox.dhis2``). Every request to a profile goes through the same gate, in the order a
real gateway would: latency, injected failures (a load balancer answers before the application),
authentication, then the work; a failure injected with ``"after": true`` answers instead of the
work once the work is done (the push was stored, the answer lost on the way).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from pbadmin.sandbox.answers import Refusal, conflict, import_summary
from pbadmin.sandbox.dhis2 import dhis2_gateway, refusal_as_web_message
from pbadmin.sandbox.gatekeeper import authenticate, issue_token
from pbadmin.sandbox.gateway_memory import GatewayState
from pbadmin.sandbox.imports import Verdict, judge, reports_from_adx, reports_from_json
from pbadmin.sandbox.published_elements import VALUE_TYPE
from pbadmin.sync.profiles import DHIS2_WEB_MESSAGE, IMPORT_SUMMARY, PROFILES, ProfileSpec

MAX_KEY_LENGTH = 128
READERS = {"json": reports_from_json, "adx": reports_from_adx}


def any_of(specs: Iterable[ProfileSpec]) -> str:
    """The URL converter matching these profiles' names."""
    return f"<any({', '.join(spec.name for spec in specs)}):profile>"


@dataclass
class SandboxConfig:
    """What the province knows: each profile's credentials and (through ``org_units``) its org units."""

    credentials: dict[str, dict[str, str]]
    org_units: Callable[[str], Iterable[dict]] | None = None
    token_ttl: int = 3600
    max_clock_skew: int = 300
    #: serve /_control/ (tests and demos); turn off where the sandbox is reachable by others
    control: bool = True
    #: dhis2 answers pushes with a WebMessage (DHIS2 2.38 and later); False: a bare import summary
    #: with HTTP 200 even when the import had conflicts, as earlier DHIS2 versions answer
    dhis2_web_message: bool = True


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
    app.before_request(gate)
    app.after_request(log)
    app.register_blueprint(gateway)
    app.register_blueprint(dhis2_gateway)
    if config.control:
        from pbadmin.sandbox.control import control

        app.register_blueprint(control)
    app.register_error_handler(Refusal, answer_refusal)
    app.register_error_handler(HTTPException, _http_error)
    return app


def sandbox() -> Sandbox:
    return current_app.extensions["pbadmin_sandbox"]


def _http_error(exc: HTTPException):
    answer = jsonify({"status": "ERROR", "message": f"{exc.code} {exc.name}: {exc.description}"})
    answer.status_code = exc.code or 500
    return answer


# --- the gate every profile request passes ------------------------------------------------------

TOKEN_ENDPOINT = "sandbox_gateway.oauth_token"  # noqa: S105 (an endpoint name)


def gate():
    profile = (request.view_args or {}).get("profile")
    if profile is None:
        return None
    g.profile = profile
    state = sandbox().state
    state.note_arrival(profile, request.method)
    delay = state.latency_for(profile)
    if delay > 0:
        time.sleep(delay)
    base = request.path.removeprefix(f"/{profile}")
    failure = state.take_failure(profile, request.method, base)
    if failure is not None:
        if failure.get("after"):
            g.answer_instead = failure
        else:
            return answer_refusal(injected(failure))
    if request.endpoint != TOKEN_ENDPOINT:
        authenticate(profile, request, sandbox().config.credentials.get(profile), state)
    return None


def log(response):
    profile = g.get("profile")
    if profile is None:
        return response
    failure = g.pop("answer_instead", None)
    if failure is not None:
        response = answer_refusal(injected(failure))
    key = request.headers.get("Idempotency-Key")
    query = request.query_string.decode("utf-8", errors="replace")
    sandbox().state.log_request(
        profile, request.method, request.script_root + request.path, query, key, response.status_code
    )
    return response


def answer_refusal(refusal: Refusal):
    """A refusal as the profile answers one: the contract's {"status": "ERROR", "message"}, or a DHIS2 WebMessage."""
    profile = g.get("profile")
    if profile in PROFILES and PROFILES[profile].answers == DHIS2_WEB_MESSAGE:
        return refusal_as_web_message(refusal)
    return refusal.response()


def injected(failure: dict) -> Refusal:
    status = int(failure["status"])
    if status == 429:
        seconds = str(failure.get("retry_after", 1))
        return Refusal(429, f"请求过于频繁，请 {seconds} 秒后重试 / too many requests", {"Retry-After": seconds})
    if status == 400:
        return Refusal(400, "网关拒收了请求（注入的故障 400）/ the gateway refused the request (injected 400)")
    if status == 403:
        return Refusal(403, "该账号无权上报（注入的故障 403）/ this account may not report (injected 403)")
    return Refusal(status, f"网关暂时不可用（注入的故障 {status}）/ gateway unavailable (injected {status})")


# --- the contract's profiles --------------------------------------------------------------------

gateway = Blueprint("sandbox_gateway", __name__)
CONTRACT = [spec for spec in PROFILES.values() if spec.answers == IMPORT_SUMMARY]


def push(profile: str):
    spec = PROFILES[profile]
    if request.mimetype != spec.content_type:
        raise Refusal(
            400, f"Content-Type 应为 {spec.content_type} / expected {spec.content_type}, got {request.mimetype}"
        )
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Refusal(
            400, "需要 Idempotency-Key 请求头（不超过 128 个字符）/ an Idempotency-Key of ≤ 128 characters is required"
        )
    body = request.get_data(cache=True)
    box = sandbox()
    verdict = judge(READERS[spec.payload_format], body, box.state.elements(profile), box.org_units(profile))
    verdict = _refuse_locked(profile, verdict)
    status, answer = box.state.settle_push(profile, key, hashlib.sha256(body).hexdigest(), verdict)
    response = jsonify(answer)
    response.status_code = status
    return response


def _refuse_locked(profile: str, verdict: Verdict) -> Verdict:
    """Values for a period the province has closed are content it refuses (422), like any other conflict."""
    locked = sorted({period for (_, _, period, _) in verdict.cells if sandbox().state.is_locked(profile, period)})
    if verdict.status != 200 or not locked:
        return verdict
    problems = [
        conflict("period", f"报告期 {period} 已关闭，不再接收数据 / period {period} is closed") for period in locked
    ]
    return Verdict(422, import_summary("ERROR", None, conflicts=problems))


def read_back(profile: str):
    wanted = {name: request.args.get(name, "").strip() for name in ("dataSet", "period", "orgUnit")}
    missing = [name for name, value in wanted.items() if not value]
    if missing:
        raise Refusal(400, f"缺少查询参数 / missing query parameters: {', '.join(missing)}")
    return jsonify(sandbox().state.read_back(profile, wanted["dataSet"], wanted["period"], wanted["orgUnit"]))


def data_elements(profile: str):
    elements = sandbox().state.elements(profile)
    return jsonify(
        {"dataElements": [{"code": code, "name": name, "valueType": VALUE_TYPE} for code, name in elements.items()]}
    )


def organisation_units(profile: str):
    units = sandbox().org_units(profile)
    return jsonify({"organisationUnits": [units[code] for code in sorted(units)]})


def oauth_token(profile: str):
    answer = issue_token(request.form.to_dict(), sandbox().config.credentials.get(profile), sandbox().state)
    return jsonify(answer)


def _routes() -> None:
    pushed: dict[str, list[ProfileSpec]] = {}
    for spec in CONTRACT:
        pushed.setdefault(spec.push_path, []).append(spec)
    for path, specs in pushed.items():
        gateway.add_url_rule(f"/{any_of(specs)}{path}", "push", push, methods=["POST"])
    every = any_of(CONTRACT)
    gateway.add_url_rule(f"/{every}/api/dataValueSets", "read_back", read_back, methods=["GET"])
    gateway.add_url_rule(f"/{every}/api/dataElements", "data_elements", data_elements, methods=["GET"])
    gateway.add_url_rule(f"/{every}/api/organisationUnits", "organisation_units", organisation_units, methods=["GET"])
    for spec in CONTRACT:
        if spec.token_path:
            gateway.add_url_rule(
                f"/<any({spec.name}):profile>{spec.token_path}", "oauth_token", oauth_token, methods=["POST"]
            )


_routes()
