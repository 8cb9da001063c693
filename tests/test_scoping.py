"""Staff of branch A try to read, edit, delete, export and reference branch B's records.

Every attempt must be refused and must change nothing. The same requests succeed for
A's own records (checked first), so a refusal means scoping, not a malformed request.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    Brand,
    Donation,
    Honor,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Venue,
    VolunteerTeam,
)
from tests.helpers import csrf_token, submit

# endpoint, model, world key of branch B's record, a text only that record shows
RECORDS = [
    ("organisations", PartyOrganization, "org_b", "外科党支部"),
    ("members", Member, "member_b", "党员B0"),
    ("activities", Activity, "activity_b", "主题党日B"),
    ("brands", Brand, "brand_b", "品牌B"),
    ("venues", Venue, "venue_b", "党员活动室B"),
    ("volunteer_teams", VolunteerTeam, "team_b", "志愿服务队B"),
    ("pairings", Pairing, "pairing_b", "外科党支部 → "),
    ("pairing_reports", PairingReport, "report_b", "外科党支部 → "),
    ("rectifications", Rectification, "rectification_b", "问题B"),
    ("donations", Donation, "donation_b", "党员B0"),
    ("honors", Honor, "honor_b", "先进基层党组织B"),
]
IDS = [r[0] for r in RECORDS]


def snapshot(app, model, record_id):
    with app.app_context():
        row = db.session.get(model, record_id)
        assert row is not None
        return {c.key: getattr(row, c.key) for c in db.inspect(model).column_attrs}


def links_to(body: str, record_id: int) -> bool:
    return re.search(rf"[?&]id={record_id}[&\"']", body) is not None


@pytest.mark.parametrize("endpoint,model,key,text", RECORDS, ids=IDS)
def test_staff_cannot_list_or_read_other_branch(staff_a_client, world, endpoint, model, key, text):
    listing = staff_a_client.get(f"/admin/{endpoint}/").get_data(as_text=True)
    assert not links_to(listing, world[key])
    detail = staff_a_client.get(f"/admin/{endpoint}/details/?id={world[key]}")
    assert detail.status_code == 302
    assert text not in staff_a_client.get(detail.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("endpoint,model,key,text", RECORDS, ids=IDS)
def test_staff_cannot_edit_other_branch(app, staff_a_client, world, endpoint, model, key, text):
    before = snapshot(app, model, world[key])
    form_page = staff_a_client.get(f"/admin/{endpoint}/edit/?id={world[key]}")
    assert form_page.status_code in (302, 403)
    token_source = f"/admin/{endpoint}/" if endpoint != "organisations" else "/admin/members/"
    data = {"csrf_token": csrf_token(staff_a_client, token_source), "name": "篡改", "title": "篡改", "problem": "篡改"}
    answer = staff_a_client.post(f"/admin/{endpoint}/edit/?id={world[key]}", data=data)
    assert answer.status_code in (302, 403)
    assert snapshot(app, model, world[key]) == before


@pytest.mark.parametrize("endpoint,model,key,text", RECORDS, ids=IDS)
def test_staff_cannot_delete_other_branch(app, staff_a_client, world, endpoint, model, key, text):
    token = csrf_token(staff_a_client, "/admin/members/")
    staff_a_client.post(f"/admin/{endpoint}/delete/", data={"id": world[key], "csrf_token": token})
    staff_a_client.post(
        f"/admin/{endpoint}/action/", data={"action": "delete", "rowid": [world[key]], "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(model, world[key]) is not None


@pytest.mark.parametrize("endpoint,model,key,text", RECORDS, ids=IDS)
def test_staff_cannot_export_other_branch(app, staff_a_client, world, endpoint, model, key, text):
    answer = staff_a_client.get(f"/admin/{endpoint}/export/csv/")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert text not in body
    rows = list(csv.reader(io.StringIO(body)))
    if endpoint == "pairing_reports":
        assert len(rows) == 1  # A's pairing has no reports yet: the header alone
    elif endpoint == "organisations":
        assert len(rows) == 2  # header + branch A itself
    else:
        assert len(rows) >= 2, "branch A's own record is exported"


def test_staff_own_records_are_editable_and_deletable(app, staff_a_client, world):
    """The control case: the same requests work on branch A's own records."""
    answer = submit(
        staff_a_client,
        f"/admin/brands/edit/?id={world['brand_a']}",
        {"name": "新品牌A"},
        form_url="/admin/members/new/",
    )
    # staff may not manage brands (region admins do): refused, not an error page
    assert answer.status_code in (302, 403)
    answer = submit(
        staff_a_client,
        f"/admin/rectifications/edit/?id={world['rectification_a']}",
        {
            "organisation": world["org_a"],
            "problem": "问题A已整改",
            "source": "inspection",
            "responsible": world["member2_a"],
            "found_on": "2024-01-02",
            "deadline": "2024-03-01",
            "status": "closed",
            "closed_on": "2024-02-20",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Rectification, world["rectification_a"]).status == "closed"
    token = csrf_token(staff_a_client, "/admin/honors/")
    staff_a_client.post("/admin/honors/delete/", data={"id": world["honor_a"], "csrf_token": token})
    with app.app_context():
        assert db.session.get(Honor, world["honor_a"]) is None


def _member_form(world, organisation_key="org_a", **extra):
    data = {
        "name": "新党员",
        "gender": "female",
        "organisation": world[organisation_key],
        "status": "full",
        "id_number": "",
        "phone": "",
    }
    data.update(extra)
    return data


def test_staff_can_create_in_own_branch_but_not_in_other(app, staff_a_client, world):
    ok = submit(staff_a_client, "/admin/members/new/", _member_form(world, name="甲支部新党员"))
    assert ok.status_code == 302
    refused = submit(staff_a_client, "/admin/members/new/", _member_form(world, "org_b", name="乙支部新党员"))
    assert refused.status_code == 200
    with app.app_context():
        names = set(db.session.scalars(select(Member.name)))
    assert "甲支部新党员" in names and "乙支部新党员" not in names


@pytest.mark.parametrize(
    "endpoint,form,foreign",
    [
        (
            "activities",
            {
                "title": "越权活动",
                "activity_type": "type_theme",
                "organisation": "org_a",
                "starts_at": "2024-05-01 09:00:00",
                "people_served": "0",
                "volunteer_hours": "0",
            },
            {"brand": "brand_b"},
        ),
        (
            "activities",
            {
                "title": "越权活动",
                "activity_type": "type_theme",
                "organisation": "org_a",
                "starts_at": "2024-05-01 09:00:00",
                "people_served": "0",
                "volunteer_hours": "0",
            },
            {"venue": "venue_b"},
        ),
        (
            "activities",
            {
                "title": "越权活动",
                "activity_type": "type_theme",
                "organisation": "org_a",
                "starts_at": "2024-05-01 09:00:00",
                "people_served": "0",
                "volunteer_hours": "0",
                "attendance-0-status": "present",
            },
            {"attendance-0-member": "member_b"},
        ),
        (
            "rectifications",
            {
                "organisation": "org_a",
                "problem": "越权整改",
                "source": "inspection",
                "found_on": "2024-01-01",
                "deadline": "2024-02-01",
                "status": "open",
            },
            {"responsible": "member_b"},
        ),
        (
            "donations",
            {"organisation": "org_a", "month": "202405", "amount": "10", "fund": "爱心基金"},
            {"member": "member_b"},
        ),
        (
            "pairing_reports",
            {"month": "202405", "content": "越权月报", "submitted_on": "2024-06-01"},
            {"pairing": "pairing_b"},
        ),
        ("volunteer_teams", {"name": "越权队", "organisation": "org_a", "headcount": "3"}, {"members": "member_b"}),
        (
            "honors",
            {
                "title": "越权荣誉",
                "organisation": "org_a",
                "level": "city",
                "issuer": "市委",
                "awarded_on": "2024-01-01",
            },
            {"member": "member_b"},
        ),
    ],
    ids=[
        "activity-brand",
        "activity-venue",
        "attendance-member",
        "rectification-responsible",
        "donation-member",
        "report-pairing",
        "team-members",
        "honor-member",
    ],
)
def test_staff_cannot_reference_other_branch_records(app, staff_a_client, world, endpoint, form, foreign):
    def resolve(values):
        return {k: (world[v] if isinstance(v, str) and v in world.ids else v) for k, v in values.items()}

    model = {
        "activities": Activity,
        "rectifications": Rectification,
        "donations": Donation,
        "pairing_reports": PairingReport,
        "volunteer_teams": VolunteerTeam,
        "honors": Honor,
    }[endpoint]
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(model))
    own = {k: v.replace("_b", "_a") for k, v in foreign.items()}
    if endpoint == "pairing_reports":
        own = {"pairing": "pairing_a"}
    accepted = submit(staff_a_client, f"/admin/{endpoint}/new/", resolve(form | own))
    assert accepted.status_code == 302, "the same form with branch A's record is accepted"
    refused = submit(staff_a_client, f"/admin/{endpoint}/new/", resolve(form | foreign))
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "不存在或不在您的权限范围内" in page or "outside your scope" in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(model)) == before + 1


def test_ajax_lookups_only_offer_records_in_scope(staff_a_client, world):
    answer = staff_a_client.get("/admin/members/ajax/lookup/?name=organisation&query=党支部")
    names = [item[1] for item in answer.get_json()]
    assert names == ["内科党支部"]
    answer = staff_a_client.get("/admin/activities/ajax/lookup/?name=attendance-member&query=党员")
    if answer.status_code == 200 and answer.get_json():
        assert all(label.startswith("党员A") for _, label in answer.get_json())
    answer = staff_a_client.get("/admin/donations/ajax/lookup/?name=member&query=党员")
    assert sorted(label for _, label in answer.get_json()) == ["党员A0", "党员A1", "党员A2"]


def test_region_admin_sees_region_but_not_other_region(region_admin_client, world):
    body = region_admin_client.get("/admin/organisations/").get_data(as_text=True)
    assert "外科党支部" in body and "内科党支部" in body
    assert "新都区人民医院党委" not in body


def test_region_admin_cannot_move_an_organisation_outside_the_region(app, region_admin_client, world):
    before = snapshot(app, PartyOrganization, world["org_b"])
    answer = submit(
        region_admin_client,
        f"/admin/organisations/edit/?id={world['org_b']}",
        {
            "code": "B",
            "name": "外科党支部",
            "kind": "branch",
            "parent": world["committee"] + 3,
            "region": world["region"],
        },
    )
    assert answer.status_code == 200
    assert snapshot(app, PartyOrganization, world["org_b"]) == before


def test_a_leader_may_hold_several_subtrees(app, world):
    from pbadmin.models import User
    from tests.helpers import login

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "staff_a"))
        user.organisations.append(db.session.get(PartyOrganization, world["org_b"]))
        db.session.commit()
    client = app.test_client()
    login(client, "staff_a")
    body = client.get("/admin/activities/").get_data(as_text=True)
    assert links_to(body, world["activity_a"]) and links_to(body, world["activity_b"])
    assert not links_to(body, world["activity_x"])


def test_bulk_delete_works_inside_the_scope(app, staff_a_client, world):
    """The control case for the bulk action: A's own records go, and only those asked for."""
    token = csrf_token(staff_a_client, "/admin/honors/")
    answer = staff_a_client.post(
        "/admin/honors/action/", data={"action": "delete", "rowid": [world["honor_a"]], "csrf_token": token}
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Honor, world["honor_a"]) is None
        assert db.session.get(Honor, world["honor_b"]) is not None
