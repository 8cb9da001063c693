"""Column types shared by the models."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from pbadmin.security import crypto


class EncryptedText(TypeDecorator):
    """Text encrypted at rest with PBADMIN_DATA_KEY; Python code sees plaintext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or value == "":
            return None
        return crypto.encrypt(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return crypto.decrypt(value)
