"""The `flask --app wsgi pbadmin` commands."""
from __future__ import annotations

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import AuditEntry, Institution, Member, PartyOrganization, Region, User
from pbadmin.security.pii import validate_id_number
from tests.helpers import login


def test_create_user_with_password_from_stdin_and_an_org_scope(app, runner, world):
    result = runner.invoke(args=["pbadmin", "create-user", "secretary_a", "--role", "staff", "--org", "A",
                                 "--password-stdin"], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    assert "created user secretary_a (staff)" in result.output and "a long enough secret" not in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "secretary_a"))
        assert [org.code for org in user.organisations] == ["A"] and user.role.name == "staff"
    client = app.test_client()
    assert login(client, "secretary_a", "a long enough secret").status_code == 302


def test_create_user_generates_and_prints_a_password_when_none_is_given(app, runner, world):
    result = runner.invoke(args=["pbadmin", "create-user", "boss", "--role", "superadmin"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password: ")[1].strip()
    assert len(password) >= 12
    assert login(app.test_client(), "boss", password).status_code == 302


def test_create_user_refuses_unknown_org_and_missing_scope(app, runner, world):
    unknown = runner.invoke(args=["pbadmin", "create-user", "x", "--role", "staff", "--org", "NOPE"])
    assert unknown.exit_code != 0 and "no organisation with code 'NOPE'" in unknown.output
    no_scope = runner.invoke(args=["pbadmin", "create-user", "y", "--role", "viewer"])
    assert no_scope.exit_code != 0 and "--org or --region" in no_scope.output
    short = runner.invoke(args=["pbadmin", "create-user", "z", "--role", "superadmin", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.in_(["x", "y", "z"]))) == 0


def test_region_admin_can_be_created_for_a_region(app, runner, world):
    result = runner.invoke(args=["pbadmin", "create-user", "luqiao_admin", "--role", "region_admin",
                                 "--region", "331004", "--password-stdin"], input="region admin secret\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    login(client, "luqiao_admin", "region admin secret")
    assert "外科党支部" in client.get("/admin/organisations/").get_data(as_text=True)


def _counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Region, Institution, PartyOrganization, Member, AuditEntry)}


def test_seed_demo_loads_the_five_regions_and_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["pbadmin", "seed-demo"])
    assert first.exit_code == 0, first.output
    for region in ("luqiao", "xindu", "jingzhou", "linqing", "ningbo"):
        assert region in first.output
    with app.app_context():
        after_first = _counts()
        ids = db.session.execute(select(Member.id_number)).scalars().all()
        assert all(validate_id_number(number) == number for number in ids)
        codes = set(db.session.scalars(select(Region.code)))
        assert {"331004", "510114", "421000", "371581", "330200"} <= codes
    second = runner.invoke(args=["pbadmin", "seed-demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert _counts() == after_first  # no new rows and no audit entries: nothing changed


def test_seed_demo_changes_are_audited_as_the_cli(app, runner):
    runner.invoke(args=["pbadmin", "seed-demo"])
    with app.app_context():
        sources = set(db.session.scalars(select(AuditEntry.source).distinct()))
        actors = set(db.session.scalars(select(AuditEntry.actor).distinct()))
    assert sources == {"cli"} and actors == {"seed-demo"}


def test_ensure_admin_creates_the_demo_login_once(app, runner, monkeypatch):
    monkeypatch.setenv("PBADMIN_ADMIN_PASSWORD", "demo password 123")
    first = runner.invoke(args=["pbadmin", "ensure-admin"])
    assert "login: admin / demo password 123" in first.output
    assert login(app.test_client(), "admin", "demo password 123").status_code == 302
    monkeypatch.delenv("PBADMIN_ADMIN_PASSWORD")
    second = runner.invoke(args=["pbadmin", "ensure-admin"])
    assert second.exit_code == 0 and "demo password 123" not in second.output
