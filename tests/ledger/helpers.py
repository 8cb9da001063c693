"""Reading the ledger page and workbook back in tests."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from pbadmin.extensions import db
from pbadmin.models import Member


def ledger_url(org: int | str | None = None, year: int | str | None = 2024, export: bool = False) -> str:
    params = []
    if org is not None:
        params.append(f"org={org}")
    if year is not None:
        params.append(f"year={year}")
    return "/admin/ledger/" + ("export.xlsx" if export else "") + ("?" + "&".join(params) if params else "")


def section(body: str, key: str) -> str:
    """The HTML of one section of the ledger page."""
    match = re.search(rf'<section[^>]*id="pb-ledger-{key}".*?</section>', body, re.S)
    assert match, f"no section {key} on the page"
    return match.group(0)


def row(html: str, record_id: int) -> str:
    """The table row of one record (rows carry data-id)."""
    match = re.search(rf'<tr data-id="{record_id}">.*?</tr>', html, re.S)
    assert match, f"no row for record {record_id}"
    return match.group(0)


def row_ids(html: str) -> set[int]:
    return {int(found) for found in re.findall(r'<tr data-id="(\d+)">', html)}


def id_number_of(app, member_id: int) -> str:
    with app.app_context():
        return db.session.get(Member, member_id).id_number


def workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


def sheet_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))
