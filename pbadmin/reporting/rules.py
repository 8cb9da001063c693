"""The 三会一课 rule a report and the compliance lists check, and that a plugin may override.

A reporting notion (``pbadmin.reporting.compliance`` decides when each rule is due); plugins reach it
through ``pbadmin.toolkit`` and return it from their ``shyk_rules`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass

from pbadmin.models.choices import SHYK_KINDS
from pbadmin.reporting.periods import MONTHS_IN


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
