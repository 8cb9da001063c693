"""What plugins declare. Plain frozen dataclasses: easy to write, compare and test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pbadmin.reporting.rules import ShykRule  # noqa: F401 (what the shyk_rules hook returns)
from pbadmin.sync.profiles import PROFILE_NAMES

if TYPE_CHECKING:
    from pbadmin.reporting.measures import Measure

#: the gateway profiles a plugin's ``gateway_profile()`` may name (pbadmin.sync.profiles describes each)
PROFILES = PROFILE_NAMES


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
