"""Point 1: user administration works in the web form and cannot be used to climb.

Superadmins manage everyone. A region admin manages only staff and viewers all of whose grants lie
inside their region, grants nothing beyond it, and reaches nobody else through any door: details,
edit, delete, bulk delete or deactivate.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, Role, User
from tests.helpers import PASSWORD, csrf_token, login, submit
from tests.security.users import add_user, client_of, user_row

NEW_PASSWORD = "a long new password"


def role_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Role.id).where(Role.name == name))


def org_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(PartyOrganization.id).where(PartyOrganization.code == code))


def region_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Region.id).where(Region.code == code))


def user_id(app, username: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def user_form(app, username: str, role: str = "staff", orgs=("A",), regions=(), password=NEW_PASSWORD, **extra):
    form = {
        "username": username,
        "full_name": "新同事",
        "role": str(role_id(app, role)),
        "active": "y",
        "organisations": ",".join(str(org_id(app, code)) for code in orgs),
        "regions": ",".join(str(region_id(app, code)) for code in regions),
        "password": password,
        "password2": password,
    }
    form.update(extra)
    return form


def create(client, app, username: str, **kwargs):
    return submit(client, "/admin/users/new/", user_form(app, username, **kwargs))


def logs_in(app, username: str, password: str) -> bool:
    client = app.test_client()
    answer = login(client, username, password)
    return answer.status_code == 302


# --- the form works ----------------------------------------------------------------------------
def test_a_superadmin_creates_a_user_with_a_password_who_can_then_log_in(app, superadmin_client, world):
    answer = create(superadmin_client, app, "newcomer")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert logs_in(app, "newcomer", NEW_PASSWORD)


def test_a_region_admin_creates_staff_of_their_region_who_can_then_log_in(app, region_admin_client, world):
    answer = create(region_admin_client, app, "branch_secretary", orgs=("B",))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert user_row(app, user_id(app, "branch_secretary"))["organisations"] == ["B"]
    assert logs_in(app, "branch_secretary", NEW_PASSWORD)


@pytest.mark.parametrize(
    "password,repeat,why",
    [
        ("short pw", "short pw", "10"),
        (NEW_PASSWORD, "another long password", "两次输入的密码不一致"),
        ("", "", "至少 10 个字符"),
    ],
    ids=["too-short", "not-repeated", "missing"],
)
def test_a_new_user_needs_a_password_of_ten_characters_typed_twice(
    app, superadmin_client, world, password, repeat, why
):
    answer = create(superadmin_client, app, "newcomer", password=password, password2=repeat)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and why in body
    assert "object has no attribute" not in body
    assert user_id(app, "newcomer") is None


def test_editing_a_user_keeps_the_password_when_left_blank_and_changes_it_when_typed(app, superadmin_client, world):
    staff = user_id(app, "staff_a")
    before = user_row(app, staff)
    url = f"/admin/users/edit/?id={staff}"
    answer = submit(superadmin_client, url, user_form(app, "staff_a", password=""), form_url=url)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert user_row(app, staff)["password_hash"] == before["password_hash"]
    assert logs_in(app, "staff_a", PASSWORD)

    answer = submit(superadmin_client, url, user_form(app, "staff_a"), form_url=url)
    assert answer.status_code == 302
    assert logs_in(app, "staff_a", NEW_PASSWORD) and not logs_in(app, "staff_a", PASSWORD)


# --- a region admin cannot climb ----------------------------------------------------------------
@pytest.mark.parametrize("role", ["superadmin", "region_admin"])
def test_a_region_admin_cannot_grant_a_role_above_staff(app, region_admin_client, world, role):
    answer = create(region_admin_client, app, "climber", role=role, orgs=("A",))
    assert answer.status_code == 200
    assert user_id(app, "climber") is None


def test_the_role_picker_of_a_region_admin_offers_staff_and_viewer_only(app, region_admin_client, world):
    body = region_admin_client.get("/admin/users/new/").get_data(as_text=True)
    assert f'value="{role_id(app, "staff")}"' in body and f'value="{role_id(app, "viewer")}"' in body
    assert f'value="{role_id(app, "superadmin")}"' not in body
    assert f'value="{role_id(app, "region_admin")}"' not in body


@pytest.mark.parametrize(
    "grants",
    [
        {"orgs": ("X",)},
        {"orgs": ("A", "X")},
        {"orgs": (), "regions": ("510114",)},
        {"orgs": (), "regions": ("330000",)},
    ],
    ids=["other-region-org", "one-org-outside", "other-region", "the-province-above"],
)
def test_a_region_admin_cannot_grant_an_organisation_or_region_outside_theirs(app, region_admin_client, world, grants):
    answer = create(region_admin_client, app, "reacher", **grants)
    assert answer.status_code == 200
    assert user_id(app, "reacher") is None


def test_a_region_admin_cannot_create_a_user_without_grants(app, region_admin_client, world):
    answer = create(region_admin_client, app, "nobody_in_particular", orgs=())
    assert answer.status_code == 200 and "至少授予" in answer.get_data(as_text=True)
    assert user_id(app, "nobody_in_particular") is None


def test_the_region_picker_offers_a_region_admin_only_regions_of_their_own(region_admin_client, world):
    def found(query: str) -> list[str]:
        answer = region_admin_client.get(f"/admin/users/ajax/lookup/?name=regions&query={query}")
        return [label for _id, label in answer.get_json()]

    assert found("路桥") == ["路桥区（331004）"]
    assert found("新都") == [] and found("浙江") == []


def test_staff_see_only_the_regions_of_their_organisations(staff_a_client, world):
    body = staff_a_client.get("/admin/regions/").get_data(as_text=True)
    assert "路桥区" in body and "新都区" not in body


# Users a region admin of 331004 must not reach: by role, or by a grant outside the region.
OUT_OF_REACH = {
    "superadmin": ("superadmin", (), ()),
    "peer": ("region_admin", (), ("331004",)),
    "straddler": ("staff", ("A", "X"), ()),
    "far_viewer": ("viewer", ("X",), ()),
}


@pytest.fixture
def out_of_reach(app, world) -> dict[str, int]:
    return {name: add_user(app, f"target_{name}", *spec) for name, spec in OUT_OF_REACH.items()}


def _list_token(client) -> str:
    return csrf_token(client, "/admin/users/")


@pytest.mark.parametrize("target", list(OUT_OF_REACH))
def test_a_region_admin_cannot_see_edit_delete_or_deactivate_users_beyond_them(
    app, region_admin_client, out_of_reach, target
):
    victim = out_of_reach[target]
    before = user_row(app, victim)
    client = region_admin_client
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert f"target_{target}" not in listing
    assert client.get(f"/admin/users/details/?id={victim}").status_code == 302  # "record does not exist"
    edit = client.get(f"/admin/users/edit/?id={victim}")
    assert edit.status_code == 302
    token = _list_token(client)
    form = user_form(app, f"target_{target}", role="staff", orgs=("A",), csrf_token=token)
    client.post(f"/admin/users/edit/?id={victim}", data=form)
    client.post("/admin/users/delete/", data={"id": victim, "csrf_token": token})
    for bulk in ("delete", "deactivate"):
        client.post("/admin/users/action/", data={"action": bulk, "rowid": [victim], "csrf_token": token})
    assert user_row(app, victim) == before


def test_a_region_admin_deletes_and_deactivates_staff_of_their_region(app, region_admin_client, world):
    client = region_admin_client
    token = _list_token(client)
    client.post(
        "/admin/users/action/", data={"action": "deactivate", "rowid": [user_id(app, "staff_b")], "csrf_token": token}
    )
    assert user_row(app, user_id(app, "staff_b"))["active"] is False
    client.post("/admin/users/delete/", data={"id": user_id(app, "viewer_a"), "csrf_token": token})
    assert user_id(app, "viewer_a") is None


def test_a_superadmin_manages_region_admins(app, superadmin_client, world):
    admin_id = user_id(app, "region_admin")
    url = f"/admin/users/edit/?id={admin_id}"
    form = user_form(app, "region_admin", role="region_admin", orgs=(), regions=("331004",), password="", active="")
    answer = submit(superadmin_client, url, form, form_url=url)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert user_row(app, admin_id)["active"] is False


def test_nobody_deactivates_demotes_or_deletes_their_own_account(app, superadmin_client, world):
    me = user_id(app, "root")
    before = user_row(app, me)
    url = f"/admin/users/edit/?id={me}"
    for change in ({"active": ""}, {"role": str(role_id(app, "staff"))}):
        form = user_form(app, "root", role="superadmin", orgs=(), password="") | change
        answer = submit(superadmin_client, url, form, form_url=url)
        assert answer.status_code == 200
    token = _list_token(superadmin_client)
    superadmin_client.post("/admin/users/delete/", data={"id": me, "csrf_token": token})
    superadmin_client.post("/admin/users/action/", data={"action": "deactivate", "rowid": [me], "csrf_token": token})
    assert user_row(app, me) == before


def test_a_user_with_no_grants_sees_no_records_anywhere(app, world):
    from tests.test_admin_ui import ENDPOINTS, list_rows

    client = client_of(app, "nogrant")
    for endpoint in ENDPOINTS:
        answer = client.get(f"/admin/{endpoint}/")
        assert answer.status_code in (200, 403), endpoint
        if answer.status_code == 200:
            assert list_rows(answer.get_data(as_text=True)) == 0, endpoint
    home = client.get("/admin/").get_data(as_text=True)
    assert "内科党支部" not in home and "外科党支部" not in home
