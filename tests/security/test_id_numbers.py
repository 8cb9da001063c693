"""Point 7: an ID number is no oracle.

Staff of branch A type the ID number of a member of X (another region, out of their sight). They must
learn neither that the number is registered nor where; the attempt is recorded and audited, counted,
and shown to the administrators above, who can resolve it as a transfer.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import AuditEntry, IdNumberCollision, Member
from tests.helpers import csrf_token, submit

#: the worked example of GB 11643-1999, and a second published example: valid, and nobody's in the world
FRESH_NUMBERS = ("11010519491231002X", "440524188001010014")
TELLTALES = ("已存在", "已登记为", "范围以外", "新都", "党员X")


def member_form(world, id_number: str, name: str = "新党员"):
    return {
        "name": name,
        "gender": "female",
        "organisation": world["org_a"],
        "status": "full",
        "id_number": id_number,
        "phone": "",
    }


def id_number_of(app, member_id: int) -> str:
    with app.app_context():
        return db.session.get(Member, member_id).id_number


def members_named(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member).where(Member.name == name))


def collisions(app) -> list[IdNumberCollision]:
    with app.app_context():
        rows = db.session.scalars(select(IdNumberCollision)).all()
        db.session.expunge_all()
        return rows


def test_a_number_held_out_of_sight_gets_an_answer_that_says_neither_that_nor_where(app, staff_a_client, world):
    answer = submit(
        staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world["member_x"]), "冒名者")
    )
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "无法在此登记" in body
    assert not [word for word in TELLTALES if word in body]
    assert members_named(app, "冒名者") == 0


def test_the_attempt_is_recorded_and_audited_although_the_save_is_refused(app, staff_a_client, world):
    number = id_number_of(app, world["member_x"])
    for _ in range(2):
        submit(staff_a_client, "/admin/members/new/", member_form(world, number, "冒名者"))
    (case,) = collisions(app)
    assert (case.existing_member_id, case.organisation_id, case.entered_name) == (
        world["member_x"],
        world["org_a"],
        "冒名者",
    )
    assert (case.actor, case.source, case.attempts, case.status) == ("staff_a", "form", 2, "open")
    with app.app_context():
        audited = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == "id_number_collision")
        )
    assert audited >= 2  # the case, then its second attempt


def test_a_number_of_a_member_in_sight_is_named_since_the_user_may_see_them(app, staff_a_client, world):
    answer = submit(
        staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world["member_a"]), "重复")
    )
    assert "已登记为内科党支部的 党员A0" in answer.get_data(as_text=True)
    assert collisions(app) == []


def test_past_the_limit_every_new_number_gets_one_answer_registered_or_not(app, staff_a_client, world):
    app.config["PBADMIN_ID_COLLISION_LIMIT"] = 2
    for key in ("member_x", "member2_x"):
        submit(staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world[key]), "探测"))
    hidden = submit(
        staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world["member_x"]), "探测")
    )
    fresh = submit(staff_a_client, "/admin/members/new/", member_form(world, FRESH_NUMBERS[0], "真新人"))
    assert "暂时不能再登记新的身份证号码" in hidden.get_data(as_text=True)
    assert "暂时不能再登记新的身份证号码" in fresh.get_data(as_text=True)
    assert members_named(app, "真新人") == 0
    # a member saved without a new number is still fine
    assert submit(staff_a_client, "/admin/members/new/", member_form(world, "", "无号码")).status_code == 302


def test_below_the_limit_a_fresh_number_is_saved(app, staff_a_client, world):
    submit(staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world["member_x"]), "探测"))
    answer = submit(staff_a_client, "/admin/members/new/", member_form(world, FRESH_NUMBERS[1], "真新人"))
    assert answer.status_code == 302 and members_named(app, "真新人") == 1


@pytest.fixture
def case(app, staff_a_client, world) -> int:
    submit(staff_a_client, "/admin/members/new/", member_form(world, id_number_of(app, world["member_x"]), "调入人员"))
    (row,) = collisions(app)
    return row.id


def test_the_region_admin_above_sees_the_case_without_learning_where_the_member_is(region_admin_client, case):
    body = region_admin_client.get("/admin/id_collisions/").get_data(as_text=True)
    assert "调入人员" in body and "内科党支部" in body
    assert "您管理范围以外的党员" in body and "党员X0" not in body and "新都区人民医院党委" not in body


def test_staff_do_not_see_the_case_list(staff_a_client, case):
    assert staff_a_client.get("/admin/id_collisions/").status_code == 403


def test_a_superadmin_resolves_the_case_as_a_transfer(app, superadmin_client, world, case):
    assert "党员X0（新都区人民医院党委）" in superadmin_client.get("/admin/id_collisions/").get_data(as_text=True)
    token = csrf_token(superadmin_client, "/admin/id_collisions/")
    superadmin_client.post(
        "/admin/id_collisions/action/", data={"action": "transfer", "rowid": [case], "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(Member, world["member_x"]).organisation_id == world["org_a"]
        assert db.session.get(IdNumberCollision, case).status == "transferred"


def test_a_region_admin_cannot_transfer_a_member_out_of_their_sight(app, region_admin_client, world, case):
    token = csrf_token(region_admin_client, "/admin/id_collisions/")
    region_admin_client.post(
        "/admin/id_collisions/action/", data={"action": "transfer", "rowid": [case], "csrf_token": token}
    )
    with app.app_context():
        assert db.session.get(Member, world["member_x"]).organisation_id == world["org_x"]
        assert db.session.get(IdNumberCollision, case).status == "open"
