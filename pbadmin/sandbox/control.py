"""The control API under /_control/: what tests and demos use to look inside the gateway and bend it.

JSON in, JSON out, no authentication: the sandbox serves on loopback only.

    POST /_control/reset                              forget everything, switches included
    GET  /_control/state                              cells, receipts, request log, push counts, arrivals
                                                      (requests counted as they come in, before any latency), switches
    POST /_control/latency        {"seconds", "profile"?}
    POST /_control/failures       {"failures": [{"status", "times", "retry_after"?, "method"?, "path"?, "after"?}],
                                   "profile"?}   "after": true answers the failure once the work is done
    POST /_control/clock          {"offset"}           sichuan's clock = real clock + offset seconds
    POST /_control/token-ttl      {"seconds"}          lifetime of shandong tokens issued from now on
    POST /_control/expire-tokens                      every shandong token issued so far is expired
    POST /_control/data-elements  {"profile", "add"?: [{"code", "name"}], "remove"?: ["CODE"]}
    POST /_control/org-units      {"profile", "add"?: [{"code", "name", "parent"?}], "remove"?: ["CODE"]}
    POST /_control/locked-periods {"profile", "lock"?: ["202403"], "unlock"?: [...]}   closed for data entry

A switch without "profile" applies to every profile.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from pbadmin.sandbox.answers import Refusal
from pbadmin.sandbox.gateway_memory import GatewayState
from pbadmin.sync.profiles import PROFILE_NAMES as PROFILES

# what a load balancer or a gateway answers before looking at the report: faults, limits, refusals
FAILURE_STATUSES = {400, 403, 429, 500, 502, 503, 504}

control = Blueprint("sandbox_control", __name__, url_prefix="/_control")


def _state() -> GatewayState:
    return current_app.extensions["pbadmin_sandbox"].state


def _body() -> dict:
    data = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        raise Refusal(400, "控制请求应为 JSON 对象 / a control request is a JSON object")
    return data


def _profile(data: dict, required: bool = False) -> str | None:
    profile = data.get("profile")
    if profile is None and not required:
        return None
    if profile not in PROFILES:
        raise Refusal(400, f"profile 应为 {', '.join(PROFILES)} 之一 / unknown profile {profile!r}")
    return profile


def _number(data: dict, name: str, minimum: float | None = 0) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or (minimum is not None and value < minimum):
        raise Refusal(400, f"{name} 应为不小于 {minimum} 的数 / {name} must be a number ≥ {minimum}")
    return value


def _ok(**extra):
    return jsonify({"status": "OK", **extra})


@control.post("/reset")
def reset():
    _state().reset()
    return _ok()


@control.get("/state")
def state():
    return jsonify(_state().snapshot())


@control.post("/latency")
def latency():
    data = _body()
    _state().set_latency(_number(data, "seconds"), _profile(data))
    return _ok()


@control.post("/failures")
def failures():
    data = _body()
    queue = data.get("failures")
    if not isinstance(queue, list) or not all(_is_failure(item) for item in queue):
        raise Refusal(
            400,
            f"failures 应为 [{{status: {sorted(FAILURE_STATUSES)} 之一, times: ≥ 1}}] / "
            "failures must be a list of {status, times, retry_after?, method?, path?}",
        )
    _state().add_failures([{"times": 1, **item} for item in queue], _profile(data))
    return _ok()


def _is_failure(item: object) -> bool:
    return (
        isinstance(item, dict)
        and item.get("status") in FAILURE_STATUSES
        and isinstance(item.get("times", 1), int)
        and item.get("times", 1) >= 1
        and isinstance(item.get("retry_after", 1), int)
        and isinstance(item.get("after", False), bool)
    )


@control.post("/clock")
def clock():
    _state().set_clock_offset(_number(_body(), "offset", minimum=None))
    return _ok()


@control.post("/token-ttl")
def token_ttl():
    _state().set_token_ttl(int(_number(_body(), "seconds", minimum=1)))
    return _ok()


@control.post("/expire-tokens")
def expire_tokens():
    return _ok(expired=_state().expire_tokens())


@control.post("/data-elements")
def data_elements():
    data = _body()
    profile = _profile(data, required=True)
    add = _entries(data.get("add", []), ("code", "name"))
    _state().change_elements(profile, {item["code"]: item["name"] for item in add}, _codes(data.get("remove", [])))
    return _ok()


@control.post("/org-units")
def org_units():
    data = _body()
    profile = _profile(data, required=True)
    add = [
        {"code": item["code"], "name": item["name"], "parent": item.get("parent")}
        for item in _entries(data.get("add", []), ("code", "name"))
    ]
    _state().change_org_units(profile, add, _codes(data.get("remove", [])))
    return _ok()


@control.post("/locked-periods")
def locked_periods():
    data = _body()
    profile = _profile(data, required=True)
    _state().lock_periods(profile, _codes(data.get("lock", [])))
    _state().lock_periods(profile, _codes(data.get("unlock", [])), locked=False)
    return _ok()


def _entries(items: object, needed: tuple[str, ...]) -> list[dict]:
    if not isinstance(items, list) or not all(
        isinstance(item, dict) and all(isinstance(item.get(name), str) and item[name] for name in needed)
        for item in items
    ):
        raise Refusal(400, f"add 应为含 {', '.join(needed)} 的对象列表 / add must list objects with {needed}")
    return items


def _codes(items: object) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise Refusal(400, "remove 应为代码列表 / remove must be a list of codes")
    return items
