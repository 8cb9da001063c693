"""What plugins declare. Plain frozen dataclasses: easy to write, compare and test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pbadmin.models.choices import SHYK_KINDS
from pbadmin.reporting.periods import MONTHS_IN

if TYPE_CHECKING:
    from pbadmin.reporting.measures import Measure

PROFILES = ("zhejiang", "sichuan", "hubei", "shandong")


@dataclass(frozen=True)
class PluginInfo:
    name: str
    title: str
    version: str
    region_code: str
    description: str = ""


@dataclass(frozen=True)
class BrandSpec:
    name: str
    organisation_code: str
    description: str = ""
    launched_on: dt.date | None = None


@dataclass(frozen=True)
class FigureSpec:
    """An extra figure an activity type records, e.g. donations handed over."""

    key: str
    label: str
    data_element: str | None = None


@dataclass(frozen=True)
class ActivityTypeSpec:
    code: str
    name: str
    category: str = "service"
    shyk_kind: str | None = None
    #: the data element an activity of this type counts towards (one per activity)
    counts_towards: str | None = None
    extra_figures: tuple[FigureSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DataElementSpec:
    code: str
    name: str
    kind: str  # "stock" or "flow"
    description: str = ""
    #: how the value is computed (``pbadmin.toolkit.measures``); a flow without one counts the
    #: activities whose type counts towards this code, a stock without one cannot be reported
    measure: Measure | None = None


@dataclass(frozen=True)
class ShykRule:
    """A 三会一课 rule: at least ``minimum`` activities of ``shyk_kind`` in every ``per`` window.

    ``shyk_kind`` is an activity type's shyk_kind ("general", "committee", "group", "lecture");
    ``per`` is "month", "quarter" or "year" (see pbadmin.reporting.compliance for when it is due).
    """

    shyk_kind: str
    minimum: int
    per: str

    def __post_init__(self) -> None:
        if self.shyk_kind not in SHYK_KINDS.codes:
            raise ValueError(f"ShykRule: shyk_kind {self.shyk_kind!r} is not one of {', '.join(SHYK_KINDS.codes)}")
        if self.per not in MONTHS_IN:
            raise ValueError(f"ShykRule: per {self.per!r} is not one of {', '.join(MONTHS_IN)}")
        if isinstance(self.minimum, bool) or not isinstance(self.minimum, int) or self.minimum < 1:
            raise ValueError(f"ShykRule: minimum must be a whole number of at least 1, not {self.minimum!r}")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: str = "str"  # str, url, cron, int, bool
    default: object = None
    required: bool = False
    secret: bool = False
    description: str = ""


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    cron: str
    job: str
    description: str = ""
