"""Every reason a roster or an activity sheet is refused: the row, the column and the plain reason."""

from __future__ import annotations

import datetime as dt

import pytest

from pbadmin.extensions import db
from pbadmin.importing.pipeline import check_file
from pbadmin.models import Member, PartyOrganization
from pbadmin.security import id_collisions
from pbadmin.security.pii import mask_id_number
from pbadmin.security.scoping import UNRESTRICTED, Scope
from tests.importing.files import (
    ACTIVITY_HEADERS,
    MEMBER_HEADERS,
    csv_bytes,
    id_number,
    member_row,
    wrong_check_digit,
    xlsx_bytes,
)


def _check(app, world, data: bytes, kind: str = "members", target: str = "org_a", scope: Scope = UNRESTRICTED):
    with app.app_context():
        return check_file(kind, data, db.session.get(PartyOrganization, world[target]), scope)


def _only_problem(check):
    assert len(check.problems) == 1, [p.line() for p in check.problems]
    return check.problems[0]


def _member_problem(app, world, scope: Scope = UNRESTRICTED, target: str = "org_a", **changes):
    """The one problem of a roster whose second data row (file row 3) has ``changes``."""
    rows = [member_row(0), member_row(1, **changes), member_row(2)]
    check = _check(app, world, xlsx_bytes(rows), target=target, scope=scope)
    problem = _only_problem(check)
    assert problem.row == 3
    assert check.importer is not None and check.counts == (2, 0, 0), "the good rows are still planned"
    return problem


def _scope_a(world) -> Scope:
    return Scope(unrestricted=False, org_grants=(world["org_a"],))


# --- ID numbers -------------------------------------------------------------------------------------
def test_a_wrong_check_digit_is_reported_masked(app, world):
    wrong = wrong_check_digit(member_row(1)["公民身份号码"])
    problem = _member_problem(app, world, 公民身份号码=wrong)
    assert (problem.column, problem.message) == ("公民身份号码", "the check digit is wrong")
    assert problem.value == mask_id_number(wrong) and wrong not in problem.value


def test_an_id_number_of_the_wrong_shape_is_refused(app, world):
    problem = _member_problem(app, world, 公民身份号码="33100419800101")
    assert problem.message == "it must have 18 characters: 17 digits, then a digit or X"


def test_an_id_number_with_an_impossible_birth_date_is_refused(app, world):
    first17 = "33100419800230123"  # 30 February
    from pbadmin.security.pii import id_check_digit

    problem = _member_problem(app, world, 公民身份号码=first17 + id_check_digit(first17), 出生日期="")
    assert problem.message == "the birth date inside it is impossible"


def test_an_id_number_excel_turned_into_a_number_is_refused(app, world):
    problem = _member_problem(app, world, 公民身份号码=331004198001011234)
    assert problem.column == "公民身份号码" and "Excel stored it as a number" in problem.message


def test_the_same_id_number_twice_in_the_file_names_the_first_row(app, world):
    rows = [member_row(0), member_row(1), member_row(2, 公民身份号码=member_row(0)["公民身份号码"])]
    problem = _only_problem(_check(app, world, xlsx_bytes(rows)))
    assert (problem.row, problem.column) == (4, "公民身份号码")
    assert problem.message == "the same ID number is already on row %(first)s" and problem.params == {"first": "2"}


def test_an_id_number_stored_for_someone_else_is_refused(app, world):
    with app.app_context():
        stored = db.session.get(Member, world["member_a"])
        number, name, birth = stored.id_number, stored.name, stored.birth_date
    problem = _member_problem(app, world, 公民身份号码=number, 出生日期=birth.isoformat(), 姓名="另一个人")
    assert problem.message == "this ID number is already in the database as %(name)s, with another name or birth date"
    assert problem.params == {"name": name}


def test_an_id_number_stored_outside_the_users_scope_is_refused_without_saying_it_is_stored_or_where(app, world):
    with app.app_context():
        stored = db.session.get(Member, world["member_b"])
        number, name, birth = stored.id_number, stored.name, stored.birth_date
    problem = _member_problem(
        app, world, scope=_scope_a(world), 公民身份号码=number, 出生日期=birth.isoformat(), 姓名=name
    )
    assert problem.message == id_collisions.NOT_HERE
    text = problem.text()
    assert name not in text and "外科" not in text and "已存在" not in text and "范围以外" not in text


# --- dates ------------------------------------------------------------------------------------------
def test_an_impossible_date_is_refused(app, world):
    problem = _member_problem(app, world, 入党时间="2005-02-30")
    assert (problem.column, problem.message) == ("入党时间", "there is no such day")


def test_text_that_is_not_a_date_is_refused(app, world):
    problem = _member_problem(app, world, 入党时间="去年七月")
    assert problem.message == "not a date; write it like 2018-05-04"


def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(app, world):
    problem = _member_problem(app, world, 出生日期="1999-09-09")
    assert (problem.column, problem.message) == ("出生日期", "it does not agree with the birth date in the ID number")


def test_a_date_in_the_future_is_refused(app, world):
    problem = _member_problem(app, world, 入党时间=(dt.date.today() + dt.timedelta(days=30)).isoformat(), 转正时间="")
    assert (problem.column, problem.message) == ("入党时间", "the date is in the future")


def test_a_full_member_date_before_admission_is_refused(app, world):
    problem = _member_problem(app, world, 转正时间="2004-01-01")
    assert problem.column == "转正时间" and problem.message.startswith("the full-member date is earlier")


def test_a_probationary_member_with_a_full_member_date_is_refused(app, world):
    problem = _member_problem(app, world, 党员状态="预备党员")
    assert problem.message == "a probationary member has not become a full member yet; leave it empty"


# --- organisations ----------------------------------------------------------------------------------
def test_an_unknown_organisation_is_refused(app, world):
    problem = _member_problem(app, world, 所在党组织="不存在的支部")
    assert (problem.column, problem.message) == ("所在党组织", "no party organisation has this code or name")


def test_an_organisation_outside_the_users_scope_is_refused(app, world):
    problem = _member_problem(app, world, scope=_scope_a(world), 所在党组织="B")
    assert problem.message == "this organisation is outside your scope"


def test_an_organisation_outside_the_chosen_one_is_refused(app, world):
    problem = _member_problem(app, world, 所在党组织="外科党支部")
    assert problem.message == "this organisation is not %(target)s or under it"
    assert problem.params == {"target": "内科党支部"}


def test_an_organisation_under_the_chosen_one_is_accepted_by_name_or_code(app, world):
    rows = [member_row(0, org="内科党支部"), member_row(1, org="B"), member_row(2, org="R")]
    check = _check(app, world, xlsx_bytes(rows), target="committee")
    assert check.ok and check.counts == (3, 0, 0)


# --- other values -----------------------------------------------------------------------------------
def test_a_required_value_is_missing(app, world):
    problem = _member_problem(app, world, 姓名="  ")
    assert (problem.column, problem.message) == ("姓名", "a required value is missing")


def test_an_unknown_choice_lists_what_may_be_written(app, world):
    problem = _member_problem(app, world, 性别="未知")
    assert problem.message == "unknown value; write one of: %(allowed)s" and "男" in problem.params["allowed"]


def test_a_bad_phone_is_refused_masked(app, world):
    problem = _member_problem(app, world, 联系电话="12345")
    assert (problem.column, problem.message) == ("联系电话", "not a valid mobile or landline number")
    assert problem.value == "*****"


# --- the file as a whole ----------------------------------------------------------------------------
def test_a_missing_required_column_is_a_problem_of_the_file(app, world):
    headers = [header for header in MEMBER_HEADERS if header != "党员状态"]
    check = _check(app, world, xlsx_bytes([member_row(0)], headers))
    problem = _only_problem(check)
    assert (problem.row, problem.column, problem.message) == (None, "党员状态", "the required column is missing")
    assert check.importer is None


def test_an_unknown_column_is_a_problem_of_the_file(app, world):
    check = _check(app, world, xlsx_bytes([member_row(0) | {"爱好": "读书"}], [*MEMBER_HEADERS, "爱好"]))
    problem = _only_problem(check)
    assert (problem.row, problem.column) == (None, "爱好") and problem.message.startswith("unknown column")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel files (.xls) cannot be read"),
        (b"PK\x03\x04not really a zip", "the file cannot be opened as an Excel workbook (.xlsx)"),
        ("随便写的一行字\n".encode(), "no header row found"),
        ("姓名,公民身份号码,性别,党员状态,所在党组织\n".encode(), "the file has no data rows"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(app, world, data, message):
    problem = _only_problem(_check(app, world, data))
    assert problem.row is None and problem.message.startswith(message)


def test_a_file_over_the_row_limit_is_refused(app, world):
    app.config["PBADMIN_IMPORT_MAX_ROWS"] = 2
    problem = _only_problem(_check(app, world, xlsx_bytes([member_row(index) for index in range(3)])))
    assert problem.message == "the file has more than %(max)s data rows; split it into smaller files"


def test_a_title_row_above_the_header_and_aliases_are_accepted(app, world):
    rows = [{"姓 名": "张三", "身份证号": id_number(dt.date(1990, 1, 2), 11), "性别": "男", "党员状态": "正式"}]
    headers = ["序号", "姓 名", "身份证号", "性别", "党员状态", "所在支部"]
    rows[0]["所在支部"] = "A"
    check = _check(app, world, xlsx_bytes(rows, headers, title="内科党支部党员花名册"))
    assert check.ok and check.counts == (1, 0, 0)


# --- activities -------------------------------------------------------------------------------------
def _activity(**changes) -> dict:
    row = {
        "活动标题": "四月主题党日",
        "活动类型": "主题党日",
        "所在党组织": "A",
        "开始时间": "2024-04-02 09:00",
        "结束时间": "11:00",
        "地点": "党员活动室",
        "服务群众人次": "20",
        "参加人员": "党员A0、党员A1",
        "请假人员": "党员A2",
    }
    row.update(changes)
    return row


def _activity_problem(app, world, scope: Scope = UNRESTRICTED, **changes):
    rows = [_activity(活动标题="三月学习"), _activity(**changes)]
    check = _check(app, world, xlsx_bytes(rows, ACTIVITY_HEADERS), kind="activities", scope=scope)
    problem = _only_problem(check)
    assert problem.row == 3
    return problem


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"活动类型": "不存在的会"}, "活动类型", "no activity type has this name or code"),
        ({"结束时间": "08:00"}, "结束时间", "the end is earlier than the start"),
        ({"开始时间": "2024-02-30 09:00"}, "开始时间", "there is no such day"),
        ({"服务群众人次": "-3"}, "服务群众人次", "cannot be negative"),
        (
            {"参加人员": "党员A0、陌生人"},
            "参加人员",
            "%(person)s is not a member of %(org)s or of an organisation under it",
        ),
        ({"请假人员": "党员A1"}, "请假人员", "%(person)s is listed both as attending and as on leave"),
        ({"所在党组织": "B"}, "所在党组织", "this organisation is not %(target)s or under it"),
        (
            {"活动标题": "三月学习"},
            "活动标题",
            "the same activity (organisation, type, title and start) is already on row %(first)s",
        ),
    ],
)
def test_every_activity_reason(app, world, changes, column, message):
    problem = _activity_problem(app, world, **changes)
    assert (problem.column, problem.message) == (column, message)


def test_an_activity_of_an_organisation_outside_the_users_scope_is_refused(app, world):
    problem = _activity_problem(app, world, scope=_scope_a(world), 所在党组织="外科党支部", 参加人员="", 请假人员="")
    assert problem.message == "this organisation is outside your scope"


def test_a_person_from_another_branch_cannot_attend(app, world):
    problem = _activity_problem(app, world, 参加人员="党员B0", 请假人员="")
    assert problem.params["person"] == "党员B0" and problem.params["org"] == "内科党支部"


def test_a_clean_activity_sheet_plans_every_row(app, world):
    rows = [_activity(), _activity(活动标题="五月党课", 活动类型="SHYK_GENERAL", 开始时间="2024/5/6")]
    check = _check(app, world, csv_bytes(rows, ACTIVITY_HEADERS), kind="activities")
    assert check.ok and check.counts == (2, 0, 0)
