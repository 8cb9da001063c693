"""Untrusted text from URLs and forms, turned into values the database can take.

SQLite refuses to bind an integer beyond 64 bits (``OverflowError``) and PostgreSQL one beyond its
column's type (``integer out of range``: SQLAlchemy casts each parameter to the column's type), so a
number read from a request is checked against the range of the column it meets before any query
sees it. Every primary key is an INTEGER (tests/security/test_hostile_parameters.py checks), so a
record id is 1 to ``MAX_ID``; anything else cannot name a record.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Float, Integer, Numeric, SmallInteger
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, ValidationError
from wtforms.validators import StopValidation

INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
MAX_ID = INT32[1]
#: at most 20 digits: nothing longer fits 64 bits, and int() never sees a 4,000-digit string
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")


class BadParameter(BadRequest):
    """A query-string or form value the app cannot use: a 400 with its own message, not the CSRF one."""

    description = _l("A value in the address or the form is not valid. Go back, correct it and try again.")


def parse_int(value, minimum: int = INT64[0], maximum: int = INT64[1]) -> int | None:
    """The integer ``value`` spells (ASCII digits, an optional sign, spaces around), or None when it is
    anything else or lies outside ``minimum``..``maximum``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def record_id(value) -> int | None:
    """A record's id from untrusted text: 1 to ``MAX_ID``, else None (no record has it)."""
    return parse_int(value, 1, MAX_ID)


def record_ids(values) -> list[int]:
    """The record ids among untrusted texts (a bulk action's selected rows); the rest are dropped."""
    return [key for key in map(record_id, values or ()) if key is not None]


def column_range(column) -> tuple[int, int]:
    """The integers an integer column (or attribute) can hold; 64 bits when its type says no more."""
    kind = getattr(column, "type", None)
    if isinstance(kind, SmallInteger):
        return INT16
    if isinstance(kind, BigInteger):
        return INT64
    if isinstance(kind, Integer):
        return INT32
    return INT64


def fits_column(value, column) -> bool:
    """Whether a value already parsed from a request (by a filter, a form) can be bound against ``column``:
    an integer within the column's range, a finite float, text without NUL; lists item by item."""
    if isinstance(value, (list, tuple, set)):
        return all(fits_column(item, column) for item in value)
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        low, high = column_range(column)
        return low <= value <= high
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, str):
        return "\x00" not in value
    return True


class FitsColumn:
    """A form validator: the number entered fits the column it is stored in, or the field says so
    (rather than the database refusing the whole record). ``column`` None: an INTEGER, or any finite number."""

    def __init__(self, column=None) -> None:
        kind = getattr(column, "type", None)
        self.low, self.high = column_range(column) if column is not None else INT32
        self.digits = None
        if isinstance(kind, Numeric) and not isinstance(kind, Float) and kind.precision:
            self.digits = kind.precision - (kind.scale or 0)  # digits before the decimal point

    def __call__(self, form, field) -> None:
        number = field.data
        if number is None or isinstance(number, bool):
            return
        if isinstance(number, int):
            if not self.low <= number <= self.high:
                raise StopValidation(_("Enter a number from %(low)s to %(high)s.", low=self.low, high=self.high))
            return
        finite = number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)
        if not finite:
            raise StopValidation(_("Enter a number."))
        if self.digits is not None and abs(number) >= 10**self.digits:
            raise StopValidation(
                _("Enter a number with at most %(digits)s digits before the point.", digits=self.digits)
            )


class RecordIdConverter(BaseConverter):
    """``<int:...>`` in pbadmin's routes: a record id, 1 to ``MAX_ID``. Anything else matches no route (404)."""

    regex = r"\d+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = record_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def contains_nul(*texts) -> bool:
    """Whether any of the texts holds a NUL character, which PostgreSQL text cannot store."""
    return any("\x00" in text for text in texts if isinstance(text, str))
