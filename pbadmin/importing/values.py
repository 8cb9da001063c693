"""Cell values as people type them in Excel, turned into Python values or a plain reason.

Dates arrive as Excel dates, "2018-05-04", "2018/5/4", "2018.5.4", "2018年5月4日" or "20180504";
numbers as numbers or text; yes/no as 是/否. Codes, numbers and dates are read after NFKC, so
full-width digits and punctuation from a Chinese input method count; free text keeps its
Chinese punctuation.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pbadmin.importing.problems import N_, Invalid

_SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?)?$|^(\d{4})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*分?(?:\s*:\s*(\d{1,2})(?:\.\d+)?)?$")
_PEOPLE_SEPARATORS = re.compile(r"[、,;\s\u3000]+")

YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "有"}
NO = {"否", "n", "no", "false", "0", "×", "✗", "无"}

NOT_A_DATE = N_("not a date; write it like 2018-05-04")
NO_SUCH_DAY = N_("there is no such day")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def text(value: object) -> str | None:
    """Free text: trimmed, None when empty; whole numbers from Excel lose their ".0"."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    return str(value).strip(" \t\r\n\u3000\u00a0\ufeff")


def folded(value: object) -> str:
    """For codes, numbers and dates: NFKC (full-width to ASCII), no spaces at the ends."""
    return unicodedata.normalize("NFKC", text(value) or "").strip()


def compact(value: object) -> str:
    """For names and labels compared with known ones: NFKC without any whitespace."""
    return _SPACES.sub("", folded(value))


def limited(value: object, max_length: int) -> str:
    result = text(value) or ""
    if len(result) > max_length:
        raise Invalid(N_("too long: at most %(max)s characters"), max=max_length)
    return result


def _date_from_parts(year: str, month: str, day: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Invalid(NO_SUCH_DAY) from exc


def _split_date_and_time(value: str) -> tuple[str, str | None]:
    value = re.sub(r"\s*([年月日])\s*", r"\1", value.replace("T", " "))
    match = re.match(r"^(\S+?日|\S+)\s*(.*)$", value)
    if not match:
        return value, None
    date_part, rest = match.group(1), match.group(2).strip()
    return date_part, rest or None


def _parse_date_text(value: str) -> dt.date:
    match = _DATE_PARTS.match(value) or _DATE_COMPACT.match(value)
    if match:
        return _date_from_parts(*match.groups())
    if _YEAR_MONTH.match(value):
        raise Invalid(N_("the date is incomplete; write the year, month and day, e.g. 2018-05-04"))
    raise Invalid(NOT_A_DATE)


def parse_time(value: str) -> dt.time:
    match = _TIME.match(value.strip())
    if not match:
        raise Invalid(N_("not a time; write it like 09:30"))
    hour, minute, second = (int(part) if part else 0 for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise Invalid(N_("there is no such time of day"))
    return dt.time(hour, minute, second)


def parse_date(value: object) -> dt.date:
    """A calendar day; a time of day other than midnight is refused (it was meant for another column)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise Invalid(NOT_A_DATE)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    date_part, time_part = _split_date_and_time(folded(value))
    day = _parse_date_text(date_part)
    if time_part is not None and parse_time(time_part) != dt.time():
        raise Invalid(NOT_A_DATE)
    return day


def parse_datetime(value: object) -> dt.datetime:
    """A day with an optional time of day (midnight when none is given)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    date_part, time_part = _split_date_and_time(folded(value))
    try:
        day = _parse_date_text(date_part)
    except Invalid as exc:
        if exc.message == NOT_A_DATE:
            raise Invalid(N_("not a date and time; write it like 2024-03-05 09:30")) from exc
        raise
    return dt.datetime.combine(day, parse_time(time_part) if time_part else dt.time())


def parse_time_or_datetime(value: object, day: dt.date | None) -> dt.datetime:
    """An end time may be given as a time of day alone: it is on the start's day."""
    if isinstance(value, dt.time):
        if day is None:
            raise Invalid(N_("not a date and time; write it like 2024-03-05 09:30"))
        return dt.datetime.combine(day, value.replace(microsecond=0))
    candidate = folded(value)
    if day is not None and _TIME.match(candidate):
        return dt.datetime.combine(day, parse_time(candidate))
    return parse_datetime(value)


def parse_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = compact(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid(N_("write 是 or 否"))


def parse_count(value: object) -> int:
    """A whole number of zero or more (people served)."""
    number = _decimal(value)
    if number != number.to_integral_value():
        raise Invalid(N_("not a whole number"))
    if number < 0:
        raise Invalid(N_("cannot be negative"))
    return int(number)


def parse_hours(value: object) -> Decimal:
    """Hours of zero or more, kept to one decimal place like the database."""
    number = _decimal(value)
    if number < 0:
        raise Invalid(N_("cannot be negative"))
    if number >= Decimal("1000000000"):
        raise Invalid(N_("too large"))
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise Invalid(N_("not a number"))
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    raw = folded(value).replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise Invalid(N_("not a number")) from exc
    if not number.is_finite():
        raise Invalid(N_("not a number"))
    return number


def split_people(value: object) -> list[str]:
    """Names or ID numbers separated by 、，, ; or spaces; each once, in the order written."""
    raw = unicodedata.normalize("NFKC", text(value) or "")
    seen: dict[str, None] = {}
    for token in _PEOPLE_SEPARATORS.split(raw):
        if token:
            seen.setdefault(token.upper() if re.fullmatch(r"[0-9]{17}[0-9xX]", token) else token, None)
    return list(seen)
