"""Words the ledger's page and workbook share: the headings no admin label covers, and code labels."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from pbadmin.models.choices import (
    ACTIVITY_CATEGORIES,
    GENDERS,
    MEMBER_STATUSES,
    PAIRING_STATUSES,
    RECTIFICATION_SOURCES,
    RECTIFICATION_STATUSES,
)

HEADINGS = {
    "present": _l("Present"),
    "leave": _l("On leave"),
    "absent": _l("Absent"),
    "present_names": _l("Present (names)"),
    "leave_names": _l("On leave (names)"),
    "absent_names": _l("Absent (names)"),
    "report_month": _l("Report month"),
    "report_content": _l("Report"),
}

_CHOICES = {
    "gender": GENDERS,
    "member": MEMBER_STATUSES,
    "pairing": PAIRING_STATUSES,
    "source": RECTIFICATION_SOURCES,
    "rectification": RECTIFICATION_STATUSES,
}


def status_label(kind: str, code: str | None) -> str:
    """The translated label of a stored code, e.g. ("member", "probationary") → 预备党员."""
    return _CHOICES[kind].label(code)


def category_label(code: str | None) -> str:
    return ACTIVITY_CATEGORIES.label(code)


def names(people: Iterable[str]) -> str:
    return "、".join(people)
