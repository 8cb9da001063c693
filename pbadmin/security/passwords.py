"""Password hashing: scrypt in production, a configurable method so tests need not pay for it.

``PBADMIN_PASSWORD_METHOD`` is any werkzeug method string; the test suite sets a one-round
PBKDF2, production keeps the default scrypt. Stored hashes name their own method, so a
hash made under one setting still verifies under another.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"


def _method() -> str:
    if has_app_context():
        return current_app.config.get("PBADMIN_PASSWORD_METHOD") or DEFAULT_METHOD
    return DEFAULT_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
