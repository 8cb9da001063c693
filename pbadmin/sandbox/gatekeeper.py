"""Each profile's authentication, as the contract describes it; a ``Refusal`` (401) saying why otherwise.

Which check a profile gets comes from its ``ProfileSpec.auth``. sichuan's signature is computed here
from the contract's text with hashlib and hmac, independently of pbadmin's client (pbadmin.sync.auth):
were the client to sign differently, the province would refuse it and the tests would say so.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import Request

from pbadmin.sandbox.answers import Refusal
from pbadmin.sandbox.gateway_memory import GatewayState
from pbadmin.sync.profiles import profile_spec

SICHUAN_HEADERS = ("X-PB-AppId", "X-PB-Timestamp", "X-PB-Nonce", "X-PB-Signature")


def authenticate(profile: str, request: Request, credentials: dict[str, str] | None, state: GatewayState) -> None:
    """Return quietly when ``request`` carries ``profile``'s credentials; raise ``Refusal`` otherwise."""
    if not credentials:
        raise _unauthorised(f"沙箱未配置 {profile} 的凭据 / the sandbox has no credentials for {profile}")
    CHECKS[profile_spec(profile).auth](request, credentials, state)


def expected_signature(app_secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """X-PB-Signature as the contract defines it: lowercase hex of HMAC-SHA256(app secret, the UTF-8 of
    METHOD "\\n" PATH "\\n" TIMESTAMP "\\n" NONCE "\\n" hex(SHA-256(body))), PATH without the query string."""
    body_digest = hashlib.sha256(body).hexdigest()
    signed = f"{method}\n{path}\n{timestamp}\n{nonce}\n{body_digest}"
    return hmac.new(app_secret.encode("utf-8"), signed.encode("utf-8"), "sha256").hexdigest()


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _unauthorised(message: str, headers: dict[str, str] | None = None) -> Refusal:
    return Refusal(401, message, headers)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def check_bearer(request: Request, credentials: dict[str, str], state: GatewayState) -> None:
    token = _bearer(request)
    if token is None:
        raise _unauthorised("缺少 Authorization: Bearer 令牌 / missing Authorization: Bearer token")
    if not _same(token, credentials["token"]):
        raise _unauthorised("令牌无效 / the token is not valid")


def check_signed(request: Request, credentials: dict[str, str], state: GatewayState) -> None:
    app_id, timestamp, nonce, signature = (request.headers.get(name) for name in SICHUAN_HEADERS)
    if not (app_id and timestamp and nonce and signature):
        raise _unauthorised(f"缺少签名请求头 / missing signing headers ({', '.join(SICHUAN_HEADERS)})")
    if not _same(app_id, credentials["app_id"]):
        raise _unauthorised(f"未知的 AppId {app_id} / unknown AppId")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise _unauthorised(f"X-PB-Timestamp 应为 Unix 秒 / X-PB-Timestamp {timestamp!r} is not Unix seconds")
    expected = expected_signature(
        credentials["app_secret"],
        request.method,
        request.script_root + request.path,
        timestamp,
        nonce,
        request.get_data(cache=True),
    )
    if not _same(signature, expected):
        raise _unauthorised("签名不正确 / the signature does not match the request")
    drift = sent_at - state.clock()
    if abs(drift) > state.max_clock_skew:
        raise _unauthorised(
            f"时间戳与网关时钟相差 {drift:+.0f} 秒，超过 {state.max_clock_skew} 秒 / "
            f"the timestamp is {drift:+.0f} s off the gateway clock (limit {state.max_clock_skew} s)"
        )
    if not state.first_use_of_nonce(nonce):
        raise _unauthorised("该 nonce 已使用过（疑似重放）/ this nonce was used before (replay?)")


def check_basic(request: Request, credentials: dict[str, str], state: GatewayState) -> None:
    auth = request.authorization
    challenge = {"WWW-Authenticate": f'Basic realm="pbadmin-sandbox-{request.view_args["profile"]}"'}
    if auth is None or auth.type != "basic":
        raise _unauthorised("缺少 HTTP Basic 凭据 / missing HTTP Basic credentials", challenge)
    if not (_same(auth.username, credentials["username"]) & _same(auth.password, credentials["password"])):
        raise _unauthorised("用户名或密码不正确 / wrong username or password", challenge)


def check_oauth2(request: Request, credentials: dict[str, str], state: GatewayState) -> None:
    token = _bearer(request)
    if token is None:
        raise _unauthorised(
            "缺少 Authorization: Bearer 令牌 / missing Authorization: Bearer token",
            {"WWW-Authenticate": f'Bearer realm="pbadmin-sandbox-{request.view_args["profile"]}"'},
        )
    expires_at = state.token_expiry(token)
    invalid = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if expires_at is None:
        raise _unauthorised("令牌无效 / the access token is not valid", invalid)
    if expires_at <= time.time():
        raise _unauthorised("令牌已过期，请重新获取 / the access token has expired; fetch a new one", invalid)


def check_api_token_or_basic(request: Request, credentials: dict[str, str], state: GatewayState) -> None:
    """DHIS2: ``Authorization: ApiToken <personal access token>``, or HTTP Basic with a user's password."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "apitoken":
        if not _same(token.strip(), credentials["api_token"]):
            raise _unauthorised("访问令牌无效 / the API token is not valid")
        return
    if request.authorization is None or request.authorization.type != "basic":
        raise _unauthorised(
            "缺少 Authorization: ApiToken 或 HTTP Basic 凭据 / missing ApiToken or HTTP Basic credentials",
            {"WWW-Authenticate": 'Basic realm="DHIS2"'},
        )
    check_basic(request, credentials, state)


CHECKS = {
    "bearer": check_bearer,
    "signed": check_signed,
    "basic": check_basic,
    "oauth2": check_oauth2,
    "api-token-or-basic": check_api_token_or_basic,
}


def issue_token(form: dict[str, str], credentials: dict[str, str] | None, state: GatewayState) -> dict:
    """shandong's client-credentials grant: the token answer, or a ``Refusal`` in OAuth2's error shape."""
    known = bool(credentials) and _same(form.get("client_id"), credentials["client_id"])
    if not (known and _same(form.get("client_secret"), credentials["client_secret"])):
        raise Refusal(
            401, "client_id 或 client_secret 不正确 / wrong client_id or client_secret", error="invalid_client"
        )
    if form.get("grant_type") != "client_credentials":
        raise Refusal(
            400,
            f"只支持 grant_type=client_credentials / unsupported grant_type {form.get('grant_type')!r}",
            error="unsupported_grant_type",
        )
    token, ttl = state.issue_token()
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}
