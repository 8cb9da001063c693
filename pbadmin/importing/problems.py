"""Why a row or a file cannot be imported, kept as a msgid with its parameters.

A job is checked in a background thread but read later, by a user whose language may be
English, and in a spreadsheet the user downloads; so a problem stores the English msgid and
its values, and is translated when it is shown. Values are masked when stored: an ID number
never reaches a message, a file, the job's row or a log in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from pbadmin.security.pii import mask_id_number, mask_phone

#: parameters that are msgids themselves (e.g. the ID-number rule that failed), translated too
TRANSLATED_PARAMS = ("reason",)
# 18-character ID numbers (and old 15-digit ones) anywhere in a value
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")
_LONGEST_VALUE = 120


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; it is translated when the problem is shown."""
    return msgid


def msgid_of(text) -> str:
    """The msgid behind a lazy string: pbadmin's msgids are their English texts."""
    with force_locale("en"):
        return str(text)


def mask_value(value: object, kind: str | None = None) -> str:
    """The value as a user may see it: ID numbers and phones masked, long text cut."""
    text = "" if value is None else str(value).strip()
    if kind == "phone":
        return mask_phone(text)
    if kind == "id":
        return mask_id_number(text)
    text = _ID_LIKE.sub(lambda match: mask_id_number(match.group(1)), text)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One reason a row (or, with ``row`` None, the whole file) cannot be imported."""

    row: int | None
    column: str
    value: str
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The reason in the current language; a translated parameter gets the other parameters too."""
        plain = {key: value for key, value in self.params.items() if key not in TRANSLATED_PARAMS}
        params = {
            key: (_(value, **plain) if key in TRANSLATED_PARAMS and value else value)
            for key, value in self.params.items()
        }
        return _(self.message, **params)

    def where(self) -> str:
        if self.row is None:
            return _("File")
        return _("Row %(row)s", row=self.row)

    def line(self) -> str:
        """One line for the CLI and logs: row, column, value, reason."""
        parts = [self.where()]
        if self.column:
            parts.append(self.column)
        if self.value:
            parts.append(f"“{self.value}”")
        return _("%(where)s: %(reason)s", where=" · ".join(parts), reason=self.text())

    def to_json(self) -> list:
        return [self.row, self.column, self.value, self.message, self.params]

    @classmethod
    def from_json(cls, data: list) -> Problem:
        row, column, value, message, params = data
        return cls(row, column, value, message, dict(params or {}))


class Invalid(ValueError):
    """Raised by a parser: the msgid of the reason and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = {key: str(value) for key, value in params.items()}


def problems_to_json(problems: list[Problem]) -> list[list]:
    return [problem.to_json() for problem in problems]


def problems_from_json(data: list | None) -> list[Problem]:
    return [Problem.from_json(item) for item in data or []]
