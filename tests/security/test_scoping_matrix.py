"""Point 11: every role × every record view × every door, derived from the views the admin registers.

For each user of the world and each ``PbModelView`` the app has (a view added tomorrow, a plugin's
view, is covered without anyone listing it), the records the user may read and write are computed in
SQL from their scope, and every door is tried against records the user may not read or may not
change: the list, details, the edit form, delete, bulk delete, the export and the ajax pickers. A
door that forgets the scope shows up as a record it lets through.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re

import pytest
from sqlalchemy import select

from pbadmin.admin.base import PbModelView
from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import Alliance, Institution, MedicalCommunity, PartyOrganization, User
from pbadmin.security.scoping import scope_for
from tests import snapshots
from tests.conftest import make_app
from tests.helpers import build_world, login
from tests.security.users import add_user

USERS = ("root", "region_admin", "staff_r", "staff_a", "viewer_a", "nogrant", "staff_x")


@pytest.fixture(scope="module")
def matrix_app(migrated_url):
    """One app and one world for the whole matrix: it only reads, and every write it tries is refused."""
    app = make_app(migrated_url)
    with app.app_context():
        snapshots.empty()
        build_world()
    add_user(app, "staff_x", "staff", orgs=("X",))  # the helped side of both pairings
    add_communities_and_alliances(app)
    yield app
    with app.app_context():
        db.session.remove()
        snapshots.empty()
        db.engine.dispose()


def add_communities_and_alliances(app) -> None:
    """One of each on either side of the regions, so those views have records out of reach too."""
    with app.app_context(), acting_as("test-setup"):
        here, there = db.session.scalars(select(Institution).order_by(Institution.id)).all()[:2]
        branch_a = db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == "A"))
        far = db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == "X"))
        for lead in (here, there):
            db.session.add(
                MedicalCommunity(
                    name=f"{lead.name}医共体", kind="county_community", region=lead.region, lead_institution=lead
                )
            )
        for owner, institution, partner in ((branch_a, here, there), (far, there, here)):
            db.session.add(
                Alliance(
                    name=f"{owner.name}党建联盟",
                    organisation=owner,
                    institution=institution,
                    partner_institution=partner,
                    scope="shared_platform",
                )
            )
        db.session.commit()


@pytest.fixture(scope="module")
def clients(matrix_app):
    result = {}
    for username in USERS:
        client = matrix_app.test_client()
        login(client, username)
        result[username] = client
    return result


def model_views(app) -> list[PbModelView]:
    return [view for view in app.extensions["pbadmin_admin"]._views if isinstance(view, PbModelView)]


def sights(app, username: str, model) -> tuple[set[int], set[int], set[int]]:
    """(all ids, ids the user may read, ids the user may change) of ``model``, straight from SQL."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        scope = scope_for(user)
        every = set(db.session.scalars(select(model.id)))
        readable = set(db.session.scalars(select(model.id).where(scope.clause(model))))
        writable = set(db.session.scalars(select(model.id).where(scope.write_clause(model))))
    return every, readable, writable


def may(app, username: str, permission: str) -> bool:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username)).can(permission)


def secure_token(client) -> str | None:
    """A SecureForm token of this session (Flask-Admin's, not the logout form's): any admin form takes it."""
    for url in ("/admin/members/new/", "/admin/users/new/"):
        body = fetch(client, url)[2]
        tokens = [t for t in re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', body) if "##" in t]
        if tokens:
            return tokens[-1]
    return None


def row_snapshot(app, model, ids) -> dict:
    with app.app_context():
        rows = db.session.scalars(select(model).where(model.id.in_(ids))).all()
        return {row.id: {c.key: getattr(row, c.key) for c in db.inspect(model).column_attrs} for row in rows}


def fetch(client, url: str):
    """GET and close at once. A streamed export's session lingers in a reference cycle after its response
    is closed; collecting it returns the connection before the next of hundreds of requests needs one."""
    with client.get(url) as answer:
        body = answer.get_data(as_text=True)
    if "/export/" in url:
        gc.collect(1)  # the young generations hold it; a full collection costs far more
    return answer.status_code, answer.mimetype, body


def listed_ids(body: str) -> set[int]:
    found = re.findall(r'name="rowid" value="(\d+)"', body) + re.findall(r"details/\?id=(\d+)", body)
    return {int(i) for i in found}


@pytest.mark.parametrize("username", USERS)
def test_lists_show_only_what_the_user_may_read(matrix_app, clients, username):
    wrong, checked = [], 0
    for view in model_views(matrix_app):
        status, _type, body = fetch(clients[username], f"/admin/{view.endpoint}/?page_size=100")
        if status == 403:
            continue
        _every, readable, _writable = sights(matrix_app, username, view.model)
        shown = listed_ids(body)
        checked += 1
        if not shown <= readable:
            wrong.append((view.endpoint, sorted(shown - readable)))
    assert not wrong
    assert checked > 0 or username == "nogrant"


@pytest.mark.parametrize("username", USERS)
def test_details_and_edit_forms_open_only_inside_the_scope(matrix_app, clients, username):
    wrong = []
    client = clients[username]
    for view in model_views(matrix_app):
        every, readable, writable = sights(matrix_app, username, view.model)
        for record_id in sorted(every - readable)[:3]:
            if fetch(client, f"/admin/{view.endpoint}/details/?id={record_id}")[0] == 200:
                wrong.append((view.endpoint, "details", record_id))
        for record_id in sorted(every - writable)[:3]:
            if fetch(client, f"/admin/{view.endpoint}/edit/?id={record_id}")[0] == 200:
                wrong.append((view.endpoint, "edit", record_id))
    assert not wrong


@pytest.mark.parametrize("username", USERS)
def test_edit_delete_and_bulk_actions_change_nothing_outside_the_scope(matrix_app, clients, username):
    client = clients[username]
    token = secure_token(client)
    wrong = []
    for view in model_views(matrix_app):
        every, _readable, writable = sights(matrix_app, username, view.model)
        targets = sorted(every - writable)[:3]
        if not targets:
            continue
        before = row_snapshot(matrix_app, view.model, targets)
        for record_id in targets:
            client.post(f"/admin/{view.endpoint}/edit/?id={record_id}", data={"csrf_token": token}).close()
            client.post(f"/admin/{view.endpoint}/delete/", data={"id": record_id, "csrf_token": token}).close()
        for action_name, *_ in view._actions:
            client.post(
                f"/admin/{view.endpoint}/action/",
                data={"action": action_name, "rowid": [str(i) for i in targets], "csrf_token": token},
            ).close()
        if row_snapshot(matrix_app, view.model, targets) != before:
            wrong.append(view.endpoint)
    assert not wrong


@pytest.mark.parametrize("username", USERS)
def test_exports_hold_only_what_the_user_may_read(matrix_app, clients, username):
    wrong = []
    for view in model_views(matrix_app):
        if "csv" not in view.export_types:
            continue
        status, mimetype, body = fetch(clients[username], f"/admin/{view.endpoint}/export/csv/")
        if status != 200 or not mimetype.startswith("text/csv"):
            continue  # refused: no export permission, or no view permission
        _every, readable, _writable = sights(matrix_app, username, view.model)
        rows = list(csv.reader(io.StringIO(body)))[1:]
        if len(rows) != len(readable):
            wrong.append((view.endpoint, len(rows), len(readable)))
    assert not wrong


@pytest.mark.parametrize("username", USERS)
def test_every_ajax_picker_offers_only_what_the_user_may_read(matrix_app, clients, username):
    wrong, tried = [], 0
    for view in model_views(matrix_app):
        for name, loader in (view._form_ajax_refs or {}).items():
            url = f"/admin/{view.endpoint}/ajax/lookup/?name={name}&query=&limit=100"
            status, _type, body = fetch(clients[username], url)
            if status != 200:
                continue
            tried += 1
            _every, readable, _writable = sights(matrix_app, username, loader.model)
            offered = {int(item[0]) for item in json.loads(body)}
            if not offered <= readable:
                wrong.append((view.endpoint, name, sorted(offered - readable)))
    assert not wrong
    assert tried > 0 or username == "nogrant"


def test_the_matrix_reaches_every_registered_record_view_and_finds_records_out_of_reach(matrix_app):
    """The doors above are tried on real targets: staff of one branch cannot read most records."""
    views = model_views(matrix_app)
    assert len(views) >= 20
    lacking = [
        view.endpoint
        for view in views
        if view.endpoint not in ("roles", "activity_types", "reports", "audit", "id_collisions")
        and not (sights(matrix_app, "staff_a", view.model)[0] - sights(matrix_app, "staff_a", view.model)[1])
    ]
    assert not lacking, f"the world gives staff_a nothing out of reach in {lacking}"
