"""How each gateway profile authenticates a request (provincial-api.md, "The four profiles")."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

import requests

TIMEOUT = (5, 20)  # connect, read


def sichuan_headers(
    app_id: str,
    app_secret: str,
    method: str,
    url: str,
    body: bytes,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """X-PB-* signing: HMAC-SHA256 over METHOD, PATH, TIMESTAMP, NONCE and the body's SHA-256.

    A fresh nonce per attempt: the gateway refuses one it has seen before.
    """
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_hex(16)
    path = urlsplit(url).path
    message = "\n".join([method.upper(), path, str(timestamp), nonce, hashlib.sha256(body).hexdigest()])
    signature = hmac.new(app_secret.encode(), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return {"X-PB-AppId": app_id, "X-PB-Timestamp": str(timestamp), "X-PB-Nonce": nonce, "X-PB-Signature": signature}


def fetch_oauth_token(session: requests.Session, base_url: str, client_id: str, client_secret: str) -> dict:
    """shandong: client-credentials grant; returns the token answer (access_token, expires_in)."""
    answer = session.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return answer.json()


def authorise(
    session: requests.Session,
    profile: str,
    settings: dict,
    method: str,
    url: str,
    body: bytes = b"",
    token_cache: dict | None = None,
) -> dict[str, str]:
    """Headers (and session auth) that make one request acceptable to the profile's gateway."""
    if profile == "zhejiang":
        return {"Authorization": f"Bearer {settings['token']}"}
    if profile == "sichuan":
        return sichuan_headers(settings["app_id"], settings["app_secret"], method, url, body)
    if profile == "hubei":
        session.auth = (settings["username"], settings["password"])
        return {}
    if profile == "shandong":
        cache = token_cache if token_cache is not None else {}
        if not cache.get("access_token") or cache.get("expires_at", 0) <= time.time():
            token = fetch_oauth_token(session, settings["base_url"], settings["client_id"], settings["client_secret"])
            cache.update(
                access_token=token["access_token"], expires_at=time.time() + int(token.get("expires_in", 0)) - 30
            )
        return {"Authorization": f"Bearer {cache['access_token']}"}
    raise ValueError(f"unknown gateway profile {profile!r}")
