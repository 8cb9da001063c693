"""Point 3: a pairing belongs to the helping side.

The helped organisation reads the pairing and its monthly reports; only the helper and the
organisations above it write: edit, delete, bulk delete, and new monthly reports. In the world,
branch A helps X (in another region) and branch B helps X; staff_x holds X.
"""

from __future__ import annotations

import pytest

from pbadmin.extensions import db
from pbadmin.models import Pairing, PairingReport
from tests.helpers import csrf_token, submit
from tests.security.users import add_user, client_of


def row(app, model, record_id):
    with app.app_context():
        record = db.session.get(model, record_id)
        return None if record is None else {c.key: getattr(record, c.key) for c in db.inspect(model).column_attrs}


@pytest.fixture
def helped_client(app, world):
    add_user(app, "staff_x", "staff", orgs=("X",))
    return client_of(app, "staff_x")


RECORDS = [("pairings", Pairing, "pairing_b"), ("pairing_reports", PairingReport, "report_b")]


@pytest.mark.parametrize("endpoint,model,key", RECORDS, ids=[r[0] for r in RECORDS])
def test_the_helped_side_reads_the_pairing_and_its_reports(helped_client, world, endpoint, model, key):
    listing = helped_client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert f"details/?id={world[key]}" in listing
    assert helped_client.get(f"/admin/{endpoint}/details/?id={world[key]}").status_code == 200


@pytest.mark.parametrize("endpoint,model,key", RECORDS, ids=[r[0] for r in RECORDS])
def test_the_helped_side_cannot_edit_delete_or_bulk_delete_them(app, helped_client, world, endpoint, model, key):
    record_id = world[key]
    before = row(app, model, record_id)
    listing = helped_client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert f"edit/?id={record_id}" not in listing  # no edit button on a row that is not theirs
    assert helped_client.get(f"/admin/{endpoint}/edit/?id={record_id}").status_code == 302
    token = csrf_token(helped_client, f"/admin/{endpoint}/")
    helped_client.post(
        f"/admin/{endpoint}/edit/?id={record_id}", data={"csrf_token": token, "goals": "改了", "content": "改了"}
    )
    helped_client.post(f"/admin/{endpoint}/delete/", data={"id": record_id, "csrf_token": token})
    helped_client.post(
        f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [record_id], "csrf_token": token}
    )
    assert row(app, model, record_id) == before


def test_the_helped_side_cannot_write_a_monthly_report_for_the_helper(app, helped_client, world):
    answer = submit(
        helped_client,
        "/admin/pairing_reports/new/",
        {"pairing": str(world["pairing_a"]), "month": "202405", "content": "受援方代写", "submitted_on": "2024-06-01"},
    )
    assert answer.status_code == 200 and "帮扶方" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(PairingReport).filter_by(pairing_id=world["pairing_a"]).count() == 0


def test_the_helper_and_the_organisations_above_it_write(app, world, staff_a_client, region_admin_client):
    answer = submit(
        staff_a_client,
        "/admin/pairing_reports/new/",
        {"pairing": str(world["pairing_a"]), "month": "202405", "content": "五月帮扶", "submitted_on": "2024-06-01"},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    listing = region_admin_client.get("/admin/pairings/").get_data(as_text=True)
    assert f"edit/?id={world['pairing_b']}" in listing
    token = csrf_token(region_admin_client, "/admin/pairings/")
    region_admin_client.post("/admin/pairings/delete/", data={"id": world["pairing_b"], "csrf_token": token})
    assert row(app, Pairing, world["pairing_b"]) is None
