"""Stable demo credentials for every profile, derived from one secret seed.

The demo's plugin settings and a standalone ``sandbox-gateway`` agree on them because both derive
them from the instance's ``sandbox_seed``; nothing more has to be stored or kept secret. Which
credentials a profile has comes from its ``ProfileSpec`` (every one of them, ways in included).
"""

from __future__ import annotations

import hashlib
import hmac

from pbadmin.sync.profiles import PROFILES


def _derive(seed: str, label: str, length: int = 40) -> str:
    return hmac.new(seed.encode("utf-8"), label.encode("utf-8"), hashlib.sha256).hexdigest()[:length]


def sandbox_credentials(seed: str) -> dict[str, dict[str, str]]:
    """profile → its credentials: readable identities, secrets that only someone with ``seed`` can know."""
    if not seed:
        raise ValueError("沙箱凭据需要非空的种子 / sandbox credentials need a non-empty seed")
    credentials: dict[str, dict[str, str]] = {}
    for name, spec in PROFILES.items():
        entry = {}
        for credential in spec.credentials:
            if credential.secret:
                entry[credential.key] = _derive(seed, f"pbadmin-sandbox:{name}:{credential.key}")
            else:
                entry[credential.key] = f"pbadmin-{name}-{_derive(seed, f'pbadmin-sandbox:{name}:id', 8)}"
        credentials[name] = entry
    return credentials
