"""The demo's provinces know pbadmin's own organisations: report codes by region prefix, parents by tree."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region
from pbadmin.sandbox.app import create_sandbox_app
from pbadmin.sandbox.pbadmin_source import org_units_from_database
from pbadmin.sandbox.server import SandboxServer
from tests.sandbox.conftest import CREDENTIALS, Province, make_config, report


@pytest.fixture
def coded_tree(app):
    """Zhejiang: W (coded) ⊃ R (uncoded) ⊃ A (coded), B (uncoded); W ⊃ C (coded) ⊃ C1 (coded).

    Sichuan: X in region 513300, whose code contains "33" but does not start with it.
    """
    with app.app_context(), acting_as("test-setup"):
        province = Region(code="330000", name="浙江省", level="province")
        county = Region(code="331004", name="路桥区", level="county", parent=province)
        ganzi = Region(code="513300", name="甘孜藏族自治州", level="city")
        db.session.add_all([province, county, ganzi])
        db.session.flush()

        def org(code, kind, region, parent=None, report_code=None):
            row = PartyOrganization(
                code=code, name=f"{code}党组织", kind=kind, region=region, parent=parent, report_code=report_code
            )
            db.session.add(row)
            db.session.flush()
            return row

        w = org("W", "working_committee", province, report_code="330000-W")
        r = org("R", "committee", county, w)
        org("A", "branch", county, r, "331004-A")
        org("B", "branch", county, r)
        c = org("C", "committee", county, w, "331004-C")
        org("C1", "branch", county, c, "331004-C1")
        org("X", "committee", ganzi, report_code="513300-X")
        db.session.commit()


def test_org_units_are_the_coded_organisations_of_the_province_with_their_nearest_coded_parent(app, coded_tree):
    org_units = org_units_from_database(app)
    assert org_units("zhejiang") == [
        {"code": "330000-W", "name": "W党组织", "parent": None},
        {"code": "331004-A", "name": "A党组织", "parent": "330000-W"},
        {"code": "331004-C", "name": "C党组织", "parent": "330000-W"},
        {"code": "331004-C1", "name": "C1党组织", "parent": "331004-C"},
    ]
    assert org_units("sichuan") == [{"code": "513300-X", "name": "X党组织", "parent": None}]
    assert org_units("hubei") == [] and org_units("shandong") == []


def test_dhis2_a_national_instance_knows_the_coded_organisations_of_every_province(app, coded_tree):
    codes = [unit["code"] for unit in org_units_from_database(app)("dhis2")]
    assert codes == ["330000-W", "331004-A", "331004-C", "331004-C1", "513300-X"]


def test_reading_org_units_is_one_query(app, coded_tree):
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        org_units_from_database(app)("zhejiang")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements


def test_the_gateway_accepts_reports_for_org_units_from_the_database(app, coded_tree):
    with SandboxServer(make_config(org_units=org_units_from_database(app))) as server:
        client = Province(server, "zhejiang")
        units = client.request("GET", "/api/organisationUnits").json()["organisationUnits"]
        assert [unit["code"] for unit in units] == ["330000-W", "331004-A", "331004-C", "331004-C1"]
        assert client.push(report("zhejiang", orgUnit="331004-C1")).status_code == 200
        assert client.push(report("zhejiang", orgUnit="513300-X")).status_code == 422
        assert Province(server, "sichuan").push(report("sichuan", orgUnit="513300-X")).status_code == 200


def test_a_sandbox_mounted_beside_pbadmin_reads_its_org_units(app, coded_tree):
    """As in the demo: the sandbox under /sandbox of the same process, asking pbadmin's database per request."""
    sandbox = create_sandbox_app(make_config(org_units=org_units_from_database(app)))
    client = Client(DispatcherMiddleware(app.wsgi_app, {"/sandbox": sandbox}))
    token = CREDENTIALS["zhejiang"]["token"]
    answer = client.get("/sandbox/zhejiang/api/organisationUnits", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert [unit["code"] for unit in answer.json["organisationUnits"]] == [
        "330000-W",
        "331004-A",
        "331004-C",
        "331004-C1",
    ]
