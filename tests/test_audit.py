"""The audit log: one entry per change from the web or the CLI, written in the change's own
transaction, with PII masked and secrets hidden; a read-only, scoped, filterable view."""

from __future__ import annotations

import json
import re

import pytest
from flask_admin.contrib.sqla.filters import FilterEqual
from sqlalchemy import func, select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import AuditEntry, Honor, Member, User, Venue
from pbadmin.security.pii import mask_id_number, mask_phone
from tests.helpers import csrf_token, submit


def entries(app, **where) -> list[AuditEntry]:
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEntry, column) == value)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def entry_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


def last_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEntry.id))) or 0


def new_entries(app, since: int) -> list[AuditEntry]:
    return [entry for entry in entries(app) if entry.id > since]


def honor_form(app, honor_id: int, **changes) -> dict:
    with app.app_context():
        honor = db.session.get(Honor, honor_id)
        data = {
            "title": honor.title,
            "organisation": honor.organisation_id,
            "member": honor.member_id or "",
            "level": honor.level,
            "issuer": honor.issuer or "",
            "awarded_on": honor.awarded_on.isoformat() if honor.awarded_on else "",
        }
    data.update(changes)
    return data


def listed_entry_ids(body: str) -> set[int]:
    return {int(found) for found in re.findall(r"/admin/audit/details/\?id=(\d+)", body)}


def filter_arg(app, column: str) -> str:
    """The Flask-Admin URL argument of the audit list's "equals" filter on ``column``."""
    view = next(v for v in app.extensions["pbadmin_admin"]._views if getattr(v, "endpoint", None) == "audit")
    for arg, (_, flt) in view._filter_args.items():
        if type(flt) is FilterEqual and getattr(getattr(flt, "column", None), "key", None) == column:
            return f"flt0_{arg}"
    raise AssertionError(f"no equals filter on audit_entry.{column}")


# --- what gets written ----------------------------------------------------------------


def create_honor(app, client, world, title="优秀共产党员"):
    answer = submit(
        client,
        "/admin/honors/new/",
        {
            "title": title,
            "organisation": world["org_a"],
            "member": world["member_a"],
            "level": "county",
            "issuer": "区委",
            "awarded_on": "2024-07-01",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        return db.session.scalar(select(Honor.id).where(Honor.title == title))


def test_creating_a_record_in_the_admin_writes_one_create_entry(app, staff_a_client, world):
    since = last_id(app)
    create_honor(app, staff_a_client, world)
    written = new_entries(app, since)
    assert len(written) == 1
    entry = written[0]
    assert (entry.actor, entry.source, entry.action, entry.table_name) == ("staff_a", "web", "create", "honor")
    assert entry.organisation_id == world["org_a"]
    assert entry.record_label == "优秀共产党员"
    assert entry.changes["title"] == [None, "优秀共产党员"]
    assert entry.changes["issuer"] == [None, "区委"]
    assert entry.changes["awarded_on"] == [None, "2024-07-01"]
    assert entry.changes["member_id"] == [None, world["member_a"]]
    with app.app_context():
        assert entry.actor_id == db.session.scalar(select(User.id).where(User.username == "staff_a"))


def test_a_create_entry_records_the_new_record_id(app, staff_a_client, world):
    since = last_id(app)
    honor_id = create_honor(app, staff_a_client, world)
    (entry,) = new_entries(app, since)
    assert (entry.table_name, entry.record_id) == ("honor", honor_id)


def test_editing_a_record_lists_each_changed_field_before_and_after_and_nothing_else(app, staff_a_client, world):
    since = last_id(app)
    answer = submit(
        staff_a_client,
        f"/admin/honors/edit/?id={world['honor_a']}",
        honor_form(app, world["honor_a"], issuer="区卫健局", level="county"),
    )
    assert answer.status_code == 302
    written = new_entries(app, since)
    assert len(written) == 1
    entry = written[0]
    assert (entry.actor, entry.source, entry.action) == ("staff_a", "web", "update")
    assert (entry.table_name, entry.record_id) == ("honor", world["honor_a"])
    assert entry.changes == {"issuer": ["市委", "区卫健局"], "level": ["city", "county"]}


def test_saving_an_unchanged_form_writes_no_entry(app, staff_a_client, world):
    since = last_id(app)
    answer = submit(staff_a_client, f"/admin/honors/edit/?id={world['honor_a']}", honor_form(app, world["honor_a"]))
    assert answer.status_code == 302
    assert new_entries(app, since) == []


def test_deleting_a_record_in_the_admin_writes_one_delete_entry(app, staff_a_client, world):
    since = last_id(app)
    token = csrf_token(staff_a_client, "/admin/honors/")
    staff_a_client.post("/admin/honors/delete/", data={"id": world["honor_a"], "csrf_token": token})
    with app.app_context():
        assert db.session.get(Honor, world["honor_a"]) is None
    written = new_entries(app, since)
    assert len(written) == 1
    entry = written[0]
    assert (entry.actor, entry.source, entry.action) == ("staff_a", "web", "delete")
    assert (entry.table_name, entry.record_id) == ("honor", world["honor_a"])
    assert entry.organisation_id == world["org_a"], "the entry stays filed under the branch"
    assert entry.changes["title"] == ["先进基层党组织A", None]
    assert entry.changes["issuer"] == ["市委", None]


def test_id_numbers_and_phones_are_masked_in_audit_entries(app, world):
    with app.app_context():
        member = db.session.get(Member, world["member_a"])
        number, phone = member.id_number, member.phone
    created = entries(app, table_name="member", record_label="党员A0", action="create")
    assert len(created) == 1
    assert created[0].changes["id_number"] == [None, mask_id_number(number)]
    assert created[0].changes["phone"] == [None, mask_phone(phone)]
    assert "id_number_index" not in created[0].changes
    with app.app_context(), acting_as("test"):
        db.session.get(Member, world["member_a"]).phone = "13912345678"
        db.session.commit()
    updated = entries(app, table_name="member", record_id=world["member_a"], action="update")
    assert updated[-1].changes == {"phone": [mask_phone(phone), "139****5678"]}
    for entry in entries(app):
        text = json.dumps(entry.changes, ensure_ascii=False)
        assert number not in text and phone not in text and "13912345678" not in text


def test_audit_details_page_shows_masked_pii_to_everyone(app, superadmin_client, world):
    with app.app_context():
        number = db.session.get(Member, world["member_a"]).id_number
    (created,) = entries(app, table_name="member", record_label="党员A0", action="create")
    body = superadmin_client.get(f"/admin/audit/details/?id={created.id}").get_data(as_text=True)
    assert mask_id_number(number) in body
    assert number not in body


def test_password_hashes_never_appear_in_audit_entries(app, runner, world):
    result = runner.invoke(
        args=["pbadmin", "create-user", "newcomer", "--role", "staff", "--org", "A", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "newcomer"))
        user_id, password_hash = user.id, user.password_hash
    (created,) = entries(app, table_name="user_account", record_label="newcomer", action="create")
    assert created.changes["password_hash"] == [None, "******"]
    # a second run changes the password: before and after are both hidden
    result = runner.invoke(
        args=["pbadmin", "create-user", "newcomer", "--role", "staff", "--org", "A", "--password-stdin"],
        input="another long password\n",
    )
    assert result.exit_code == 0, result.output
    updates = entries(app, table_name="user_account", record_id=user_id, action="update")
    assert updates and updates[-1].changes["password_hash"] == ["******", "******"]
    with app.app_context():
        new_hash = db.session.get(User, user_id).password_hash
        all_text = " ".join(json.dumps(e.changes) for e in db.session.scalars(select(AuditEntry)))
    assert password_hash not in all_text and new_hash not in all_text and "pbkdf2:" not in all_text


def test_changes_made_through_the_cli_are_recorded_with_source_cli(app, runner, world):
    since = last_id(app)
    result = runner.invoke(args=["pbadmin", "create-user", "clerk", "--role", "viewer", "--org", "B"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "clerk"))
    written = [e for e in new_entries(app, since) if e.table_name == "user_account"]
    assert len(written) == 1
    assert (written[0].source, written[0].actor, written[0].action, written[0].record_label) == (
        "cli",
        "cli",
        "create",
        "clerk",
    )
    assert all(e.source == "cli" for e in new_entries(app, since))
    # an update through the CLI names the record it changed
    result = runner.invoke(args=["pbadmin", "create-user", "clerk", "--role", "staff", "--org", "B"])
    assert result.exit_code == 0, result.output
    updates = entries(app, table_name="user_account", action="update", record_id=user_id)
    assert updates and all((e.source, e.actor) == ("cli", "cli") for e in updates)
    role_change = next(e.changes["role_id"] for e in updates if "role_id" in e.changes)
    assert role_change[0] != role_change[1]


def test_a_failed_save_leaves_no_audit_entry(app, staff_a_client, world):
    """A duplicate (organisation, name) venue: the database refuses it, and nothing is logged."""
    before = entry_count(app)
    answer = submit(
        staff_a_client,
        "/admin/venues/new/",
        {
            "name": "党员活动室A",
            "kind": "activity_room",
            "organisation": world["org_a"],
        },
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "已存在相同的记录" in page or "already exists" in page
    assert entry_count(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Venue).where(Venue.name == "党员活动室A")) == 1


def test_a_save_refused_after_the_flush_leaves_no_audit_entry(app, staff_a_client, world):
    """The scope check runs after the row (and its audit entry) is flushed: both are rolled back."""
    before = entry_count(app)
    answer = submit(
        staff_a_client,
        "/admin/members/new/",
        {
            "name": "越权党员",
            "gender": "male",
            "organisation": world["org_b"],
            "status": "full",
        },
    )
    assert answer.status_code == 200
    assert entry_count(app) == before
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.name == "越权党员")) is None


# --- the audit log view -----------------------------------------------------------------


def test_audit_log_cannot_be_created_in_the_admin(app, superadmin_client, world):
    before = entry_count(app)
    answer = superadmin_client.get("/admin/audit/new/")
    assert answer.status_code == 302
    token = csrf_token(superadmin_client, "/admin/members/new/")
    superadmin_client.post(
        "/admin/audit/new/",
        data={
            "csrf_token": token,
            "actor": "forger",
            "source": "web",
            "action": "create",
            "table_name": "member",
        },
    )
    assert entry_count(app) == before
    assert entries(app, actor="forger") == []


def test_audit_log_cannot_be_edited_in_the_admin(app, superadmin_client, world):
    entry = entries(app)[0]
    answer = superadmin_client.get(f"/admin/audit/edit/?id={entry.id}")
    assert answer.status_code == 302
    token = csrf_token(superadmin_client, "/admin/members/new/")
    superadmin_client.post(
        f"/admin/audit/edit/?id={entry.id}",
        data={
            "csrf_token": token,
            "actor": "forger",
            "source": "web",
            "action": "delete",
            "table_name": "member",
        },
    )
    (after,) = [e for e in entries(app) if e.id == entry.id]
    assert (after.actor, after.action, after.table_name) == (entry.actor, entry.action, entry.table_name)


def test_audit_log_entries_cannot_be_deleted_in_the_admin(app, superadmin_client, world):
    entry = entries(app)[0]
    before = entry_count(app)
    token = csrf_token(superadmin_client, "/admin/audit/")
    superadmin_client.post("/admin/audit/delete/", data={"id": entry.id, "csrf_token": token})
    superadmin_client.post("/admin/audit/action/", data={"action": "delete", "rowid": [entry.id], "csrf_token": token})
    assert entry_count(app) == before
    assert [e for e in entries(app) if e.id == entry.id]


def test_audit_list_offers_no_create_edit_or_delete_buttons(superadmin_client, world):
    body = superadmin_client.get("/admin/audit/").get_data(as_text=True)
    assert "/admin/audit/new/" not in body
    assert "/admin/audit/edit/" not in body
    assert "/admin/audit/delete/" not in body


def test_audit_list_can_be_filtered_by_table_name(app, superadmin_client, world):
    arg = filter_arg(app, "table_name")
    answer = superadmin_client.get(f"/admin/audit/?{arg}=honor")
    assert answer.status_code == 200
    honor_entries = {e.id for e in entries(app, table_name="honor")}
    assert len(honor_entries) == 3
    assert listed_entry_ids(answer.get_data(as_text=True)) == honor_entries


def test_audit_list_can_be_filtered_by_action(app, superadmin_client, world):
    token = csrf_token(superadmin_client, "/admin/honors/")
    superadmin_client.post("/admin/honors/delete/", data={"id": world["honor_b"], "csrf_token": token})
    deletes = {e.id for e in entries(app, action="delete")}
    assert len(deletes) == 1
    body = superadmin_client.get(f"/admin/audit/?{filter_arg(app, 'action')}=delete").get_data(as_text=True)
    assert listed_entry_ids(body) == deletes


def test_audit_list_search_finds_entries_by_actor(app, superadmin_client, staff_a_client, world):
    submit(
        staff_a_client, f"/admin/honors/edit/?id={world['honor_a']}", honor_form(app, world["honor_a"], issuer="院党委")
    )
    (edit,) = entries(app, actor="staff_a", table_name="honor")
    # the search box looks at the actor and the record's label (the user staff_a was created too)
    expected = {e.id for e in entries(app) if "staff_a" in e.actor or "staff_a" in (e.record_label or "")}
    body = superadmin_client.get("/admin/audit/?search=staff_a").get_data(as_text=True)
    listed = listed_entry_ids(body)
    assert edit.id in listed
    assert listed == expected
    assert len(listed) < entry_count(app)


def test_audit_details_page_shows_before_and_after(app, superadmin_client, world):
    since = last_id(app)
    submit(
        superadmin_client,
        f"/admin/honors/edit/?id={world['honor_a']}",
        honor_form(app, world["honor_a"], issuer="区卫健局"),
    )
    (entry,) = new_entries(app, since)
    body = superadmin_client.get(f"/admin/audit/details/?id={entry.id}").get_data(as_text=True)
    assert re.search(r"<th>issuer</th>\s*<td>市委</td>\s*<td>区卫健局</td>", body)


def test_staff_without_view_audit_gets_403(staff_a_client, viewer_a_client, world):
    assert staff_a_client.get("/admin/audit/").status_code == 403
    assert viewer_a_client.get("/admin/audit/").status_code == 403
    assert staff_a_client.get("/admin/audit/details/?id=1").status_code == 403


def test_region_admin_sees_audit_entries_of_its_region_only(app, superadmin_client, region_admin_client, world):
    since = last_id(app)
    for key in ("honor_a", "honor_x"):
        answer = submit(
            superadmin_client, f"/admin/honors/edit/?id={world[key]}", honor_form(app, world[key], issuer="上级党委")
        )
        assert answer.status_code == 302
    by_root = {e.record_id: e.id for e in new_entries(app, since)}
    inside, outside = by_root[world["honor_a"]], by_root[world["honor_x"]]

    body = region_admin_client.get("/admin/audit/?search=先进基层党组织").get_data(as_text=True)
    listed = listed_entry_ids(body)
    assert inside in listed
    assert outside not in listed
    assert "先进基层党组织X" not in body
    assert region_admin_client.get(f"/admin/audit/details/?id={inside}").status_code == 200
    refused = region_admin_client.get(f"/admin/audit/details/?id={outside}")
    assert refused.status_code in (302, 403, 404)
    assert "先进基层党组织X" not in region_admin_client.get(
        f"/admin/audit/details/?id={outside}", follow_redirects=True
    ).get_data(as_text=True)


def test_region_admin_audit_list_never_shows_the_other_region(app, region_admin_client, world):
    with app.app_context():
        outside = set(db.session.scalars(select(AuditEntry.id).where(AuditEntry.organisation_id == world["org_x"])))
    assert outside, "building the world logged entries about committee X"
    body = region_admin_client.get("/admin/audit/?page_size=100").get_data(as_text=True)
    listed = listed_entry_ids(body)
    assert listed, "the region's own entries are listed"
    assert not listed & outside


@pytest.mark.parametrize("client_name", ["superadmin_client", "region_admin_client"])
def test_audit_export_follows_the_scope(request, app, world, client_name):
    client = request.getfixturevalue(client_name)
    answer = client.get("/admin/audit/export/csv/")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "先进基层党组织A" in body
    assert ("先进基层党组织X" in body) is (client_name == "superadmin_client")
