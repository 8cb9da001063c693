"""sichuan request signing (docs/gateway-contract.md, "sichuan"): how pbadmin's client signs.

The sandbox gateway checks signatures with code of its own (pbadmin/sandbox/gatekeeper.py) and
tests/sync/test_signing.py holds a signature computed by hand, so a change here that breaks the
contract fails a test instead of being agreed to by both sides."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit


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
    signature = sichuan_signature(app_secret, method, urlsplit(url).path, str(timestamp), nonce, body)
    return {"X-PB-AppId": app_id, "X-PB-Timestamp": str(timestamp), "X-PB-Nonce": nonce, "X-PB-Signature": signature}


def sichuan_signature(app_secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of METHOD, PATH, TIMESTAMP, NONCE and hex(SHA-256(body)), newline-joined."""
    message = "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(app_secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
