"""Stable demo credentials for every profile, derived from one secret seed.

The demo's plugin settings and a standalone ``sandbox-gateway`` agree on them because both derive
them from the instance's ``sandbox_seed``; nothing more has to be stored or kept secret.
"""

from __future__ import annotations

import hashlib
import hmac

IDENTITIES = {"sichuan": "app_id", "hubei": "username", "shandong": "client_id"}
SECRETS = {"zhejiang": "token", "sichuan": "app_secret", "hubei": "password", "shandong": "client_secret"}


def _derive(seed: str, label: str, length: int = 40) -> str:
    return hmac.new(seed.encode("utf-8"), label.encode("utf-8"), hashlib.sha256).hexdigest()[:length]


def sandbox_credentials(seed: str) -> dict[str, dict[str, str]]:
    """profile → its credentials: readable identities, secrets that only someone with ``seed`` can know."""
    if not seed:
        raise ValueError("沙箱凭据需要非空的种子 / sandbox credentials need a non-empty seed")
    credentials: dict[str, dict[str, str]] = {}
    for profile, secret_name in SECRETS.items():
        entry = {secret_name: _derive(seed, f"pbadmin-sandbox:{profile}:{secret_name}")}
        if profile in IDENTITIES:
            entry[IDENTITIES[profile]] = f"pbadmin-{profile}-{_derive(seed, f'pbadmin-sandbox:{profile}:id', 8)}"
        credentials[profile] = entry
    return credentials
