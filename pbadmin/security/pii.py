"""Personal data rules: the GB 11643 ID-number check and the masks shown to most users."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from flask_babel import lazy_gettext as _l

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE_SHAPE = re.compile(r"^(\+?86)?1\d{10}$|^0\d{2,3}-?\d{7,8}$")


class InvalidIdNumber(ValueError):
    """Carries a plain, translated reason for the form or the import report to show."""


def id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    """Full-width digits and letters typed by an input method become ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character number, or raise InvalidIdNumber with why."""
    number = normalise_id_number(value)
    if not _ID_SHAPE.match(number):
        raise InvalidIdNumber(_l("it must have 18 characters: 17 digits, then a digit or X"))
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(_l("the birth date inside it is impossible")) from exc
    if id_check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber(_l("the check digit is wrong"))
    return number


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate_phone(value: str) -> str:
    phone = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
    if not _PHONE_SHAPE.match(phone):
        raise ValueError("not a mobile or landline number")
    return phone


def mask_id_number(number: str | None) -> str:
    """Always masked, whatever its length: fewer than half of the characters show, never the whole.

    An 18-character number keeps its first four and last four ("1101**********0021"); shorter
    values show at most (length - 1) // 4 characters at each end (a 15-digit old number three
    and three), and anything under 8 characters is only stars.
    """
    if not number:
        return ""
    length = len(number)
    shown = 0 if length < 8 else min(4, (length - 1) // 4)
    if not shown:
        return "*" * length
    return number[:shown] + "*" * (length - 2 * shown) + number[-shown:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
