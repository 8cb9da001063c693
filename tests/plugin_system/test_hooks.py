"""Every hook is documented under its exact signature and has a test named for it; one test per hook."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pbadmin import hookspecs
from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, Brand, DataElement, PartyOrganization
from pbadmin.plugins import enablement
from pbadmin.reporting import metrics
from pbadmin.reporting.periods import Period
from pbadmin.toolkit import ShykRule
from tests.helpers import login
from tests.plugin_system.conftest import good_plugin_source, write_plugin

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, "pbadmin_spec"))


def test_every_hook_is_documented_under_its_exact_signature():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in HOOKS:
        signature = f"{name}{inspect.signature(getattr(hookspecs, name))}"
        assert f"### `{signature}`" in docs, f"docs/plugins.md lacks a section for {signature}"


def test_every_hook_has_a_test_named_for_it():
    source = Path(__file__).read_text(encoding="utf-8")
    tested = set(re.findall(r"def test_hook_([a-z_]+?)__", source))
    assert tested == set(HOOKS), f"hooks without a test: {set(HOOKS) - tested}"


def _enabled_app(plugin_app, plugins_dir, source=None):
    write_plugin(plugins_dir, "testregion", source or good_plugin_source())
    app = plugin_app()
    result = app.test_cli_runner().invoke(args=["pbadmin", "plugins", "enable", "testregion"])
    assert result.exit_code == 0, result.output
    return app


def test_hook_plugin_info__names_and_versions_the_plugin(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source().replace('name="testregion"', 'name="other"'))
    app = plugin_app()
    record = app.extensions["pbadmin_plugins"].get("testregion")
    assert not record.healthy and "installed as 'testregion'" in record.errors[0]


def test_hook_gateway_profile__must_name_a_known_profile(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source().replace('return "zhejiang"', 'return "beijing"'))
    record = plugin_app().extensions["pbadmin_plugins"].get("testregion")
    assert not record.healthy and "beijing" in record.errors[0]


def test_hook_register_brands__upserts_brands_on_their_organisations(plugin_app, plugins_dir, world):
    app = _enabled_app(plugin_app, plugins_dir)
    with app.app_context():
        brand = db.session.scalar(select(Brand).where(Brand.name == "TR品牌"))
        assert brand.organisation.code == "A" and brand.plugin == "testregion" and brand.active


def test_hook_register_activity_types__become_activity_types(plugin_app, plugins_dir, world):
    app = _enabled_app(plugin_app, plugins_dir)
    with app.app_context():
        row = db.session.scalar(select(ActivityType).where(ActivityType.code == "TR_CLINIC"))
        assert (row.name, row.category, row.plugin, row.counts_towards) == ("测试义诊", "service", "testregion", "TR_A")


def test_hook_register_data_elements__join_the_core_catalogue(plugin_app, plugins_dir, world):
    app = _enabled_app(plugin_app, plugins_dir)
    with app.app_context():
        codes = set(db.session.scalars(select(DataElement.code)))
    assert {"TR_A", "TR_B", "PB_MEMBERS", "PB_DONATIONS_YUAN"} <= codes and len(codes) == 24


def test_hook_register_settings__extends_the_profile_settings(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    with app.app_context():
        keys = [spec.key for spec in enablement.schema("testregion")]
    assert keys == ["base_url", "token", "monthly_cron", "require_approval"]


def test_hook_register_schedules__declares_cron_jobs(plugin_app, plugins_dir):
    from apscheduler.triggers.cron import CronTrigger

    write_plugin(plugins_dir, "testregion", good_plugin_source())
    registry = plugin_app().extensions["pbadmin_plugins"]
    (schedule,) = registry.hooks("testregion").register_schedules()
    assert schedule.name == "testregion:monthly"
    CronTrigger.from_crontab(schedule.cron)


def test_hook_load_demo_data__runs_for_enabled_plugins_only(plugin_app, plugins_dir, world):
    source = (
        good_plugin_source()
        + """

@hookimpl
def load_demo_data(demo):
    demo.organisation("TR-DEMO", "演示支部", "branch", "331004", parent="R")
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["pbadmin", "seed-demo"])
    with app.app_context():
        assert db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == "TR-DEMO")) is None
    runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"])
    result = runner.invoke(args=["pbadmin", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == "TR-DEMO")) is not None


def test_hook_register_admin_views__adds_views_shown_while_enabled(plugin_app, plugins_dir, world):
    source = (
        good_plugin_source()
        + """

from flask_admin import expose

from pbadmin.toolkit import PbView


class HelloView(PbView):
    @expose("/")
    def index(self):
        return "你好，路桥"


@hookimpl
def register_admin_views(admin):
    return [HelloView(name="问候", endpoint="testregion_hello")]
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    client = app.test_client()
    login(client, "root")
    assert client.get("/admin/testregion_hello/").get_data(as_text=True) == "你好，路桥"


def test_hook_register_cli_commands__adds_commands_to_the_group(plugin_app, plugins_dir):
    source = (
        good_plugin_source()
        + """

import click


@hookimpl
def register_cli_commands(cli):
    @cli.command("testregion-hello")
    def hello():
        click.echo("hello from testregion")
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    result = app.test_cli_runner().invoke(args=["pbadmin", "testregion-hello"])
    assert result.output.strip() == "hello from testregion"


def test_hook_shyk_rules__replace_the_default_rules_in_the_plugins_reports(plugin_app, plugins_dir, world):
    source = (
        good_plugin_source(elements=())
        + """

from pbadmin.toolkit import ShykRule


@hookimpl
def shyk_rules():
    return [ShykRule("committee", 1, "month")]
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    with app.app_context():
        committee = db.session.scalar(select(ActivityType).filter_by(code="SHYK_COMMITTEE"))
        branch_a = db.session.scalar(select(PartyOrganization).filter_by(code="A"))
        db.session.add(
            Activity(
                organisation=branch_a,
                activity_type=committee,
                title="三月支委会",
                starts_at=dt.datetime(2024, 3, 5, 16),
            )
        )
        db.session.commit()
        root, march = branch_a.parent_id, Period.parse("202403")
        assert metrics.shyk_rules_for("testregion") == [ShykRule("committee", 1, "month")]
        assert metrics.compute("testregion", root, march)["PB_SHYK_COMPLIANT"] == 1  # A held its 支委会
        assert metrics.compute("core", root, march)["PB_SHYK_COMPLIANT"] == 0  # the default asks for more


def test_plugins_new_scaffolds_a_package_whose_test_passes(tmp_path, app):
    result = app.test_cli_runner().invoke(
        args=["pbadmin", "plugins", "new", "sample", "--region", "330100", "--dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "sample"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert "2 passed" in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize("bad", ["Sample", "9lives", "a"])
def test_plugins_new_refuses_bad_names(tmp_path, app, bad):
    result = app.test_cli_runner().invoke(args=["pbadmin", "plugins", "new", bad, "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "lower-case" in result.output
