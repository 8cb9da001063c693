"""``flask pbadmin import members|activities PATH --org CODE [--dry-run]``."""

from __future__ import annotations

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, Member
from pbadmin.security.pii import mask_id_number
from tests.importing.files import ACTIVITY_HEADERS, csv_bytes, member_row, wrong_check_digit, xlsx_bytes


def _members(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member))


def test_row_errors_are_printed_and_the_command_fails_without_writing(app, runner, world, tmp_path):
    rows = [member_row(0), member_row(1), member_row(2, 所在党组织="X")]
    rows[1]["公民身份号码"] = wrong_check_digit(rows[1]["公民身份号码"])
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    result = runner.invoke(args=["pbadmin", "import", "members", str(path), "--org", "A"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "公民身份号码" in line or "所在党组织" in line]
    assert len(lines) == 2 and "3" in lines[0] and "4" in lines[1]
    assert mask_id_number(rows[1]["公民身份号码"]) in lines[0] and rows[1]["公民身份号码"] not in result.output
    assert _members(app) == 9


def test_dry_run_checks_and_writes_nothing(app, runner, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([member_row(0), member_row(1)], encoding="gbk"))
    result = runner.invoke(args=["pbadmin", "import", "members", str(path), "--org", "A", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    assert _members(app) == 9


def test_members_are_imported_and_a_second_run_changes_nothing(app, runner, world, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([member_row(index) for index in range(3)]))
    first = runner.invoke(args=["pbadmin", "import", "members", str(path), "--org", "R"])
    assert first.exit_code == 0, first.output
    assert _members(app) == 12
    second = runner.invoke(args=["pbadmin", "import", "members", str(path), "--org", "R"])
    assert second.exit_code == 0 and _members(app) == 12


def test_activities_are_imported_into_the_organisations_subtree(app, runner, world, tmp_path):
    row = {
        "活动标题": "支委会（四月）",
        "活动类型": "支委会",
        "所在党组织": "A",
        "开始时间": "2024-04-09",
        "参加人员": "党员A0",
    }
    path = tmp_path / "activities.xlsx"
    path.write_bytes(xlsx_bytes([row], ACTIVITY_HEADERS))
    outside = runner.invoke(args=["pbadmin", "import", "activities", str(path), "--org", "B"])
    assert outside.exit_code == 1, "branch A is not under branch B"
    result = runner.invoke(args=["pbadmin", "import", "activities", str(path), "--org", "A"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "支委会（四月）"))
        assert [a.member.name for a in activity.attendance] == ["党员A0"]


def test_an_unknown_organisation_code_is_a_usage_error(app, runner, world, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([member_row(0)]))
    result = runner.invoke(args=["pbadmin", "import", "members", str(path), "--org", "NOPE"])
    assert result.exit_code == 2 and "NOPE" in result.output
