"""The `flask --app wsgi pbadmin` commands."""

from __future__ import annotations

from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import AuditEntry, Brand, Institution, Member, PartyOrganization, Region, User
from pbadmin.security.pii import validate_id_number
from tests.helpers import login
from tests.plugins.test_seed_plugins import PLUGINS, count, org, plugin, row_counts


def test_create_user_with_password_from_stdin_and_an_org_scope(app, runner, world):
    result = runner.invoke(
        args=["pbadmin", "create-user", "secretary_a", "--role", "staff", "--org", "A", "--password-stdin"],
        input="a long enough secret\n",
    )
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
    short = runner.invoke(
        args=["pbadmin", "create-user", "z", "--role", "superadmin", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.in_(["x", "y", "z"]))) == 0


def test_region_admin_can_be_created_for_a_region(app, runner, world):
    result = runner.invoke(
        args=[
            "pbadmin",
            "create-user",
            "luqiao_admin",
            "--role",
            "region_admin",
            "--region",
            "331004",
            "--password-stdin",
        ],
        input="region admin secret\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    login(client, "luqiao_admin", "region admin secret")
    assert "外科党支部" in client.get("/admin/organisations/").get_data(as_text=True)


def _counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Region, Institution, PartyOrganization, Member, AuditEntry)
    }


SEED_PLUGINS = list(PLUGINS)


def test_seed_demo_loads_the_five_regions_and_twice_changes_nothing(app, runner):
    enabled = runner.invoke(args=["pbadmin", "plugins", "enable", *SEED_PLUGINS])
    assert enabled.exit_code == 0, enabled.output
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
        once = row_counts()
    assert once["member"] > 1000 + 210 and once["audit_entry"] >= once["member"]  # all five side by side, audited
    second = runner.invoke(args=["pbadmin", "seed-demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert _counts() == after_first  # no new rows and no audit entries: nothing changed
        assert row_counts() == once  # in any table: the second load neither adds nor updates anything
        for name in SEED_PLUGINS:  # and every brand a plugin declares is there, owned as declared
            for spec in plugin(name).register_brands():
                owner = org(spec.organisation_code)
                assert count(Brand, Brand.organisation_id == owner.id, Brand.name == spec.name, Brand.plugin == name)


def test_seed_demo_changes_are_audited_as_the_cli(app, runner):
    runner.invoke(args=["pbadmin", "plugins", "enable", "linqing"])
    with app.app_context():
        before = db.session.scalar(select(func.max(AuditEntry.id)))
    runner.invoke(args=["pbadmin", "seed-demo"])
    with app.app_context():
        new = select(AuditEntry).where(AuditEntry.id > before)
        sources = {entry.source for entry in db.session.scalars(new)}
        actors = {entry.actor for entry in db.session.scalars(new)}
    assert sources == {"cli"} and actors == {"seed-demo"}


def test_ensure_admin_takes_the_password_from_the_environment(app, runner, monkeypatch):
    monkeypatch.setenv("PBADMIN_ADMIN_PASSWORD", "demo password 123")
    first = runner.invoke(args=["pbadmin", "ensure-admin"])
    assert "login: admin / demo password 123" in first.output
    assert login(app.test_client(), "admin", "demo password 123").status_code == 302


def test_ensure_admin_generates_a_password_once_and_prints_it_again(app, runner, monkeypatch, tmp_path):
    import config

    monkeypatch.delenv("PBADMIN_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = runner.invoke(args=["pbadmin", "ensure-admin"])
    password = first.output.split("login: admin / ")[1].split(" ")[0]
    assert len(password) >= 12 and oct((tmp_path / "admin_password").stat().st_mode & 0o777) == "0o600"
    second = runner.invoke(args=["pbadmin", "ensure-admin"])
    assert f"login: admin / {password}" in second.output
    assert login(app.test_client(), "admin", password).status_code == 302
