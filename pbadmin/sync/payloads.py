"""What is sent: a report's values as the profile's body, in its ``payload_format``.

"json" is the contract's data value set, "adx" an IHE ADX document (validated against the loose
schema before it may be sent), "dhis2-json" DHIS2's data value set (every data value also names its
period and org unit, as DHIS2 allows). The body is rendered once, when the report is queued, and
stored with its SHA-256; every retry sends the same bytes (under the same Idempotency-Key where the
profile takes one), so the gateway can recognise a replay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from pbadmin.reporting.periods import Period
from pbadmin.sync.adx import AdxGroup, build_adx, validate_adx
from pbadmin.sync.profiles import ADX_TYPE, JSON_TYPE, profile_spec


class PayloadError(ValueError):
    """The body could not be made valid (e.g. an ADX document that fails the schema)."""


@dataclass(frozen=True)
class Payload:
    body: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def format_value(value: Decimal | int | float) -> str:
    """A decimal as the gateways expect it: no exponent, no trailing zeros ("504", "12.5")."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


def render(
    profile: str,
    data_set: str,
    org_unit: str,
    period: str,
    values: list[tuple[str, str]],
    complete_date: dt.date,
    exported: dt.datetime,
) -> Payload:
    """The body for ``profile``; ADX documents are validated against the schema before they may be sent."""
    spec = profile_spec(profile)
    period = spec.period_code(period)
    if spec.payload_format == "adx":
        document = build_adx([AdxGroup(data_set, org_unit, Period.parse(period), list(values))], exported)
        problems = validate_adx(document)
        if problems:
            raise PayloadError(
                "ADX 文档未通过 IHE 模式校验 / the ADX document fails the schema: " + "; ".join(problems)
            )
        return Payload(document, ADX_TYPE)
    if spec.payload_format == "dhis2-json":
        data_values = [
            {"dataElement": code, "period": period, "orgUnit": org_unit, "value": value} for code, value in values
        ]
    elif spec.payload_format == "json":
        data_values = [{"dataElement": code, "value": value} for code, value in values]
    else:
        raise PayloadError(f"unknown payload format {spec.payload_format!r} of profile {profile}")
    body = {
        "dataSet": data_set,
        "period": period,
        "orgUnit": org_unit,
        "completeDate": complete_date.isoformat(),
        "dataValues": data_values,
    }
    return Payload(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), JSON_TYPE)


def idempotency_key(org_unit: str, period: str, revision: int, payload_sha256: str) -> str:
    """Stable across retries of one revision, different for any other body (≤ 128 characters)."""
    return f"pbadmin:{org_unit}:{period}:r{revision}:{payload_sha256[:16]}"
