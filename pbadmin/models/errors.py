"""Turn database constraint violations into plain messages a user can act on."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

# CHECK constraint suffix (see NAMING_CONVENTION "ck_<table>_<name>") -> what the user did wrong
CHECK_MESSAGES = {
    "dates": _l("A later date is earlier than the date it follows."),
    "times": _l("The end time is earlier than the start time."),
    "deadline": _l("The deadline is earlier than the date the problem was found."),
    "closed_on": _l("The closing date is earlier than the date the problem was found."),
    "closed_has_date": _l("A closed item needs a closing date, and only a closed item has one."),
    "distinct_parties": _l("The two parties must be different."),
    "not_own_parent": _l("An organisation cannot be its own parent."),
    "amount": _l("The amount must be greater than zero."),
    "month": _l("The month must be written as YYYYMM, e.g. 202103."),
    "people_served": _l("People served cannot be negative."),
    "volunteer_hours": _l("Volunteer hours cannot be negative."),
    "headcount": _l("Headcount cannot be negative."),
    "code_length": _l("A region code has 6 digits."),
}

# SQLite: "CHECK constraint failed: ck_x_y"; PostgreSQL: 'violates check constraint "ck_x_y"'
_CONSTRAINT = re.compile(r'constraint failed: ([a-z0-9_]+)|constraint "([a-z0-9_]+)"', re.IGNORECASE)


def describe_integrity_error(exc: IntegrityError) -> str:
    text = str(exc.orig)
    lowered = text.lower()
    if "unique" in lowered or "duplicate key" in lowered:
        return _("A record with the same value already exists (%(detail)s).", detail=_unique_detail(text))
    if "foreign key" in lowered:
        return _("The record is still referred to by other records, or refers to one that does not exist.")
    if "check" in lowered:
        match = _CONSTRAINT.search(text)
        name = (match.group(1) or match.group(2) or "") if match else ""
        for suffix, message in CHECK_MESSAGES.items():
            if name.endswith(suffix):
                return str(message)
        return _("A value breaks the rule %(rule)s.", rule=name or "CHECK")
    if "not null" in lowered or "null value" in lowered:
        return _("A required field is empty.")
    return _("The database refused the change.")


def _field_labels(columns: list[str]) -> str:
    """Column names as the form calls them: organisation_id -> 党组织, id_number_index -> 公民身份号码."""
    from pbadmin.models.labels import LABELS

    names = []
    for column in columns:
        key = column.strip()
        key = {"id_number_index": "id_number"}.get(key, key)
        key = key[:-3] if key.endswith("_id") and key[:-3] in LABELS else key
        names.append(str(LABELS.get(key, key)))
    return "、".join(names)


def _unique_detail(text: str) -> str:
    # PostgreSQL: Key (organisation_id, name)=(3, 红色杏林) already exists.
    key = re.search(r"Key \(([^)]*)\)", text)
    if key:
        return _field_labels(key.group(1).split(","))
    # SQLite: UNIQUE constraint failed: brand.organisation_id, brand.name
    failed = re.search(r"failed: (.*)$", text.splitlines()[0])
    if failed:
        return _field_labels([part.split(".")[-1] for part in failed.group(1).split(",")])
    return ""
