"""Field encryption at rest with PBADMIN_DATA_KEY (Fernet: AES-128-CBC + HMAC).

Encrypted values are randomised, so equality look-ups (uniqueness of ID numbers,
re-import by ID number) go through a keyed blind index instead: HMAC-SHA256 of the
normalised value under a key derived from the data key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class DataKeyError(RuntimeError):
    """The configured data key cannot decrypt what the database holds."""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode() if isinstance(key, str) else key)


def _data_key() -> str:
    return current_app.config["PBADMIN_DATA_KEY"]


def encrypt(plaintext: str) -> str:
    return _fernet(_data_key()).encrypt(plaintext.encode("utf-8")).decode("ascii")


def encrypt_bytes(plaintext: bytes) -> bytes:
    """For files kept in the database for a while (uploaded rosters carry ID numbers)."""
    return _fernet(_data_key()).encrypt(plaintext)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet(_data_key()).decrypt(token)
    except InvalidToken as exc:
        raise DataKeyError("PBADMIN_DATA_KEY cannot decrypt a stored file") from exc


def decrypt(token: str) -> str:
    try:
        return _fernet(_data_key()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # never include the token itself in the message
        raise DataKeyError("PBADMIN_DATA_KEY cannot decrypt a stored value") from exc


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    return hashlib.sha256(b"pbadmin-blind-index:" + base64.urlsafe_b64decode(key)).digest()


def blind_index(value: str) -> str:
    """Deterministic keyed digest of ``value`` for unique constraints and look-ups."""
    normalised = value.strip().upper()
    return hmac.new(_index_key(_data_key()), normalised.encode("utf-8"), hashlib.sha256).hexdigest()
