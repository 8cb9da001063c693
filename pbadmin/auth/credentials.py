"""Checking a user name and password so that the answer's cost tells nothing about who exists.

Every attempt checks exactly one password hash: the user's own, or, for a name nobody has, a dummy
made once per hashing method with the very method real hashes use (scrypt in production). An inactive
user takes the same path, and is refused only after the check.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import User
from pbadmin.security import passwords

_dummy_hashes: dict[str, str] = {}


def _configured_method() -> str:
    return current_app.config.get("PBADMIN_PASSWORD_METHOD") or passwords.DEFAULT_METHOD


def dummy_hash() -> str:
    """A hash of a random password nobody knows, made with the configured method, once per method."""
    method = _configured_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = passwords.hash_password(secrets.token_urlsafe(24))  # the same method, from config
    return _dummy_hashes[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user these credentials belong to, or None — after the same work either way."""
    user = db.session.scalar(select(User).where(User.username == username))
    stored = user.password_hash if user is not None and user.password_hash else dummy_hash()
    matches = passwords.verify_password(stored, password)
    if user is None or not matches or not user.is_active:
        return None
    return user
