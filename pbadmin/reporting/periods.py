"""Reporting periods: the ISO forms the gateways use (YYYYMM, YYYYQn, YYYY) and their data sets.

A period knows its first and last day, its ADX form (``2022-01-01/P1M``) and which data set
(PB_MONTHLY, PB_QUARTERLY, PB_YEARLY) reports it, so every other module asks it rather than
parsing period strings again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DATA_SETS = {"month": "PB_MONTHLY", "quarter": "PB_QUARTERLY", "year": "PB_YEARLY"}
FREQUENCY_OF_DATA_SET = {data_set: frequency for frequency, data_set in DATA_SETS.items()}
ADX_DURATIONS = {"month": "P1M", "quarter": "P3M", "year": "P1Y"}
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}

_PATTERNS = (
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
)


class PeriodError(ValueError):
    """A period string that is not YYYYMM, YYYYQn or YYYY (message in Chinese and English)."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    frequency: str  # "month", "quarter" or "year"

    # --- making periods --------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Period:
        value = (text or "").strip()
        for pattern, frequency in _PATTERNS:
            match = pattern.match(value)
            if match:
                year, part = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else 1
                if year < 1900:
                    break
                month = {"month": part, "quarter": 3 * part - 2, "year": 1}[frequency]
                return cls(dt.date(year, month, 1), frequency)
        raise PeriodError(
            f"报告期“{text}”格式不对：应为 YYYYMM（月）、YYYYQn（季）或 YYYY（年），如 201805、2018Q2、2018"
            f" / period {text!r} is not YYYYMM, YYYYQn or YYYY"
        )

    @classmethod
    def containing(cls, day: dt.date, frequency: str) -> Period:
        if frequency == "month":
            return cls(day.replace(day=1), "month")
        if frequency == "quarter":
            return cls(dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), "quarter")
        if frequency == "year":
            return cls(dt.date(day.year, 1, 1), "year")
        raise PeriodError(f"unknown frequency {frequency!r}")

    @classmethod
    def last_complete(cls, data_set: str, today: dt.date) -> Period:
        """The latest period of ``data_set`` that has ended before ``today`` (what a scheduled job reports)."""
        return cls.containing(today, FREQUENCY_OF_DATA_SET[data_set]).previous()

    @classmethod
    def for_data_set(cls, data_set: str, text: str) -> Period:
        period = cls.parse(text)
        if period.data_set != data_set:
            raise PeriodError(f"报告期 {text} 不属于数据集 {data_set} / period {text} does not belong to {data_set}")
        return period

    # --- what a period is --------------------------------------------------------------------
    @property
    def code(self) -> str:
        if self.frequency == "month":
            return f"{self.start.year}{self.start.month:02d}"
        if self.frequency == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def data_set(self) -> str:
        return DATA_SETS[self.frequency]

    @property
    def adx(self) -> str:
        return f"{self.start.isoformat()}/{ADX_DURATIONS[self.frequency]}"

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return self.next().start - dt.timedelta(days=1)

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min)

    @property
    def end_before(self) -> dt.datetime:
        """The first instant after the period: datetimes in the period are ``>= start_at`` and ``< end_before``."""
        return dt.datetime.combine(self.next().start, dt.time.min)

    @property
    def months(self) -> tuple[int, ...]:
        """The period's months as YYYYMM integers (how donations and pairing reports store months)."""
        first = self.start.year * 12 + self.start.month - 1
        return tuple((m // 12) * 100 + m % 12 + 1 for m in range(first, first + MONTHS_IN[self.frequency]))

    def windows(self, frequency: str) -> list[Period]:
        """The periods of ``frequency`` that end inside this period (a rule's due windows)."""
        result = []
        window = Period.containing(self.start, frequency)
        while window.start <= self.end:
            if self.start <= window.end <= self.end:
                result.append(window)
            window = window.next()
        return result

    def next(self) -> Period:
        months = self.start.year * 12 + self.start.month - 1 + MONTHS_IN[self.frequency]
        return Period(dt.date(months // 12, months % 12 + 1, 1), self.frequency)

    def previous(self) -> Period:
        months = self.start.year * 12 + self.start.month - 1 - MONTHS_IN[self.frequency]
        return Period(dt.date(months // 12, months % 12 + 1, 1), self.frequency)

    def __str__(self) -> str:
        return self.code


def period_from_adx(text: str) -> Period:
    """``2022-01-01/P1M`` → the month 202201; refuses a start that is not the first day of its period."""
    try:
        start_text, duration = text.strip().split("/", 1)
        start = dt.date.fromisoformat(start_text[:10])
    except ValueError as exc:
        raise PeriodError(f"ADX 报告期“{text}”格式不对 / malformed ADX period {text!r}") from exc
    frequency = next((f for f, d in ADX_DURATIONS.items() if d == duration), None)
    if frequency is None:
        raise PeriodError(f"ADX 报告期“{text}”的时长应为 P1M、P3M 或 P1Y / unsupported ADX duration {duration!r}")
    period = Period.containing(start, frequency)
    if period.start != start:
        raise PeriodError(f"ADX 报告期“{text}”不是从期初开始 / ADX period {text!r} does not start its period")
    return period
