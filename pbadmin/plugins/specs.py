"""What plugins declare. Plain frozen dataclasses: easy to write, compare and test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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
