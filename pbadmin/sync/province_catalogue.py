"""The province's catalogue: its data elements and org units, pulled on a schedule and before a push.

A report that holds an element or an org unit the province does not know is held back with a
message naming them, never sent to be refused.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from pbadmin.extensions import db
from pbadmin.models import GatewayCatalogue, Report
from pbadmin.models.base import utcnow
from pbadmin.sync.gateways import Answer
from pbadmin.sync.outcomes import Outcome, classify
from pbadmin.sync.target import Target

DEFAULT_MAX_AGE = 900  # seconds


class CatalogueError(RuntimeError):
    """The catalogue could not be pulled; ``outcome`` says whether trying again may help."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def pull(target: Target) -> GatewayCatalogue:
    """Fetch both lists from the gateway and store them (commits); raises CatalogueError."""
    row = _stored_row(target.plugin)
    try:
        elements = _list(target.client.data_elements(), "/api/dataElements", "dataElements")
        org_units = _list(target.client.org_units(), "/api/organisationUnits", "organisationUnits")
    except CatalogueError as exc:
        row.error, row.error_at = str(exc), utcnow()
        db.session.commit()
        raise
    row.elements, row.org_units, row.pulled_at, row.error = elements, org_units, utcnow(), None
    db.session.commit()
    return row


def _stored_row(plugin: str) -> GatewayCatalogue:
    """The plugin's catalogue row, inserted first if there is none (committed at once): two workers
    pulling the first catalogue together must not both insert it and fail on its key."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(GatewayCatalogue).values(plugin=plugin).on_conflict_do_nothing(index_elements=["plugin"])
    )
    db.session.commit()
    return db.session.get(GatewayCatalogue, plugin)


def _list(answer: Answer, path: str, key: str) -> list[dict]:
    """The catalogue's items that have a code; a parent given as an object (DHIS2's ``{"code": …}``) by its code."""
    if answer.status != 200:
        raise CatalogueError(classify(answer))
    items = (answer.json() or {}).get(key)
    if not isinstance(items, list):
        raise CatalogueError(
            Outcome("retry", f"拉取目录 / catalogue pull: {path} 的回答不是目录 / the answer is not a catalogue")
        )
    return [_flat(item) for item in items if isinstance(item, dict) and item.get("code")]


def _flat(item: dict) -> dict:
    parent = item.get("parent")
    if isinstance(parent, dict):
        return {**item, "parent": parent.get("code")}
    return item


def ensure_fresh(target: Target, max_age: float | None = None) -> GatewayCatalogue:
    """The stored catalogue if it is recent enough, else a fresh pull."""
    if max_age is None:
        max_age = float(current_app.config.get("PBADMIN_CATALOGUE_MAX_AGE", DEFAULT_MAX_AGE))
    row = db.session.get(GatewayCatalogue, target.plugin)
    if row is not None and row.pulled_at is not None and utcnow() - row.pulled_at < dt.timedelta(seconds=max_age):
        return row
    return pull(target)


def unknown_to_province(report: Report, catalogue: GatewayCatalogue) -> str | None:
    """Why the province would refuse the report's codes, or None when it knows them all."""
    elements = {item["code"] for item in catalogue.elements or []}
    org_units = {item["code"] for item in catalogue.org_units or []}
    problems = []
    missing = [code for code, _ in report.report_values or [] if code not in elements]
    if missing:
        problems.append(f"省平台目录中没有这些数据元 / unknown data elements: {', '.join(missing)}")
    if report.org_unit not in org_units:
        problems.append(f"省平台没有组织机构代码 {report.org_unit} / unknown org unit {report.org_unit}")
    if not problems:
        return None
    return "报告暂缓报送，待省平台目录更新后重试 / held back until the province's catalogue knows them: " + "；".join(
        problems
    )
