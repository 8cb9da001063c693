"""The province's own reading of period codes, written from the contract's text, not pbadmin's.

The contract's data sets and their periods: PB_MONTHLY ``YYYYMM``, PB_QUARTERLY ``YYYYQn``,
PB_YEARLY ``YYYY``; in ADX, the first day of the period and its duration (``2022-01-01/P1M``,
``…/P3M``, ``…/P1Y``). DHIS2 writes its monthly, quarterly and yearly periods the same way.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHLY = re.compile(r"^(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])$")
QUARTERLY = re.compile(r"^(?P<year>\d{4})Q(?P<quarter>[1-4])$")
YEARLY = re.compile(r"^(?P<year>\d{4})$")
DATA_SETS = {"PB_MONTHLY": MONTHLY, "PB_QUARTERLY": QUARTERLY, "PB_YEARLY": YEARLY}
ADX_DURATIONS = {"P1M": "PB_MONTHLY", "P3M": "PB_QUARTERLY", "P1Y": "PB_YEARLY"}
FIRST_YEAR = 1900
PERIOD_FORMS = "应为 YYYYMM（月）、YYYYQn（季）或 YYYY（年）/ expected YYYYMM, YYYYQn or YYYY"


class BadPeriod(ValueError):
    """A period code the province cannot use (message in Chinese and English)."""


def data_set_of(code: str) -> str:
    """Which data set's form ``code`` has; ``BadPeriod`` when it has none of them."""
    text = code.strip() if isinstance(code, str) else ""
    for data_set, pattern in DATA_SETS.items():
        match = pattern.match(text)
        if match and int(match.group("year")) >= FIRST_YEAR:
            return data_set
    raise BadPeriod(f"报告期“{code}”格式不对：{PERIOD_FORMS} / period {code!r} is malformed")


def check_period(data_set: str, code: str) -> str:
    """``code`` when it is a period of ``data_set``; ``BadPeriod`` otherwise."""
    found = data_set_of(code)
    if found != data_set:
        raise BadPeriod(f"报告期 {code} 不属于数据集 {data_set} / period {code} does not belong to {data_set}")
    return code.strip()


def from_adx(text: str) -> tuple[str, str]:
    """``2022-01-01/P1M`` → (``PB_MONTHLY``, ``202201``); the start must be the first day of its period."""
    start_text, _, duration = text.strip().partition("/")
    try:
        start = dt.date.fromisoformat(start_text)
    except ValueError:
        raise BadPeriod(f"ADX 报告期“{text}”格式不对 / malformed ADX period {text!r}") from None
    data_set = ADX_DURATIONS.get(duration)
    if data_set is None:
        raise BadPeriod(f"ADX 报告期“{text}”的时长应为 P1M、P3M 或 P1Y / unsupported ADX duration {duration!r}")
    first_months = {"PB_MONTHLY": range(1, 13), "PB_QUARTERLY": (1, 4, 7, 10), "PB_YEARLY": (1,)}[data_set]
    if start.day != 1 or start.month not in first_months or start.year < FIRST_YEAR:
        raise BadPeriod(f"ADX 报告期“{text}”不是从期初开始 / ADX period {text!r} does not start its period")
    if data_set == "PB_MONTHLY":
        return data_set, f"{start.year}{start.month:02d}"
    if data_set == "PB_QUARTERLY":
        return data_set, f"{start.year}Q{(start.month + 2) // 3}"
    return data_set, str(start.year)
