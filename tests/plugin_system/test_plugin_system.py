"""Discovery, enabling, disabling, upgrading, settings and isolation of region plugins."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select, text

from pbadmin.extensions import db
from pbadmin.models import Activity, ActivityType, AuditEntry, Brand, DataElement, PartyOrganization, PluginState
from pbadmin.plugins import enablement
from tests.helpers import login, submit
from tests.plugin_system.conftest import good_plugin_source, write_plugin


def test_a_plugin_in_the_folder_is_discovered(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    record = app.extensions["pbadmin_plugins"].get("testregion")
    assert record.healthy and record.source == "folder" and record.profile == "zhejiang"
    assert record.info.title == "测试区域"


def test_a_plugin_from_an_installed_distribution_is_discovered(plugin_app, tmp_path, monkeypatch):
    site = tmp_path / "site"
    module_dir = site / "pbadmin_entrypoint_region"
    module_dir.mkdir(parents=True)
    (module_dir / "__init__.py").write_text(good_plugin_source(name="eproregion", prefix="EP", elements=("EP_A",)))
    dist = site / "pbadmin_entrypoint_region-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pbadmin-entrypoint-region\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[pbadmin.plugins]\neproregion = pbadmin_entrypoint_region\n")
    monkeypatch.syspath_prepend(str(site))
    try:
        app = plugin_app()
        record = app.extensions["pbadmin_plugins"].get("eproregion")
        assert record.healthy and record.source == "entry point"
    finally:
        sys.modules.pop("pbadmin_entrypoint_region", None)


def test_safe_mode_loads_no_plugin(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app(PBADMIN_SAFE_MODE=True)
    assert set(app.extensions["pbadmin_plugins"].records) == {"core"}


def test_a_broken_plugin_is_reported_and_everything_else_keeps_working(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    write_plugin(plugins_dir, "brokenimport", "import this_module_does_not_exist\n")
    write_plugin(
        plugins_dir,
        "brokenhook",
        good_plugin_source(name="brokenhook", prefix="BH").replace(
            'return "zhejiang"', 'raise RuntimeError("gateway lookup exploded")'
        ),
    )
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    assert "ModuleNotFoundError" in registry.get("brokenimport").errors[0]
    assert "gateway lookup exploded" in registry.get("brokenhook").errors[0]
    assert registry.get("testregion").healthy
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["pbadmin", "plugins", "list"]).output
    assert "brokenimport  ?  disabled  errors: import failed" in listing
    assert "testregion  1.0.0  disabled" in listing
    refused = runner.invoke(args=["pbadmin", "plugins", "enable", "brokenhook"])
    assert refused.exit_code == 1 and "cannot be enabled" in refused.output
    assert runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"]).exit_code == 0
    client = app.test_client()
    login(client, "root")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "brokenimport" in page and "this_module_does_not_exist" in page
    assert client.get("/admin/members/").status_code == 200


def _definitions(app):
    with app.app_context():
        return {
            "elements": {
                r.code: r.active
                for r in db.session.scalars(select(DataElement).where(DataElement.plugin == "testregion"))
            },
            "types": {
                r.code: r.active
                for r in db.session.scalars(select(ActivityType).where(ActivityType.plugin == "testregion"))
            },
            "brands": {r.name: r.active for r in db.session.scalars(select(Brand).where(Brand.plugin == "testregion"))},
            "core": db.session.scalar(
                select(db.func.count()).select_from(DataElement).where(DataElement.plugin.is_(None))
            ),
        }


def test_enabling_upserts_definitions_idempotently(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"]).exit_code == 0
    first = _definitions(app)
    assert first == {
        "elements": {"TR_A": True, "TR_B": True},
        "types": {"TR_CLINIC": True},
        "brands": {"TR品牌": True},
        "core": 22,
    }
    with app.app_context():
        activity_type = db.session.scalar(select(ActivityType).where(ActivityType.code == "TR_CLINIC"))
        assert activity_type.counts_towards == "TR_A"
        assert activity_type.extra_figures == [{"key": "patients", "label": "患者数", "data_element": None}]
        entries = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    assert runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"]).exit_code == 0
    assert _definitions(app) == first
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == entries, "nothing changed"


def test_disabling_hides_definitions_but_keeps_records_working(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"])
    with app.app_context():
        clinic = db.session.scalar(select(ActivityType).where(ActivityType.code == "TR_CLINIC"))
        org = db.session.get(PartyOrganization, world["org_a"])
        import datetime as dt

        activity = Activity(
            organisation=org, activity_type=clinic, title="插件类型的活动", starts_at=dt.datetime(2024, 1, 5)
        )
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
    assert runner.invoke(args=["pbadmin", "plugins", "disable", "testregion"]).exit_code == 0
    after = _definitions(app)
    assert after["elements"] == {"TR_A": False, "TR_B": False} and after["types"] == {"TR_CLINIC": False}
    assert after["brands"] == {"TR品牌": False}
    client = app.test_client()
    login(client, "staff_a")
    page = client.get(f"/admin/activities/details/?id={activity_id}")
    assert page.status_code == 200 and "测试义诊" in page.get_data(as_text=True)
    answer = submit(
        client,
        f"/admin/activities/edit/?id={activity_id}",
        {
            "title": "插件类型的活动（已改）",
            "activity_type": str(after and _type_id(app)),
            "organisation": world["org_a"],
            "starts_at": "2024-01-05 00:00:00",
            "people_served": "3",
            "volunteer_hours": "0",
        },
    )
    assert answer.status_code == 302, "an existing record keeps its disabled type and stays editable"


def _type_id(app):
    with app.app_context():
        return db.session.scalar(select(ActivityType.id).where(ActivityType.code == "TR_CLINIC"))


def test_a_new_version_migrates_definitions(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source(version="1.0.0", elements=("TR_A", "TR_B")))
    app = plugin_app()
    app.test_cli_runner().invoke(args=["pbadmin", "plugins", "enable", "testregion"])
    write_plugin(plugins_dir, "testregion", good_plugin_source(version="1.1.0", elements=("TR_A", "TR_C")))
    sys.modules.pop("pbadmin_plugin_testregion", None)
    upgraded_app = plugin_app()
    result = upgraded_app.test_cli_runner().invoke(args=["pbadmin", "plugins", "upgrade"])
    assert "upgraded: testregion" in result.output
    assert _definitions(upgraded_app)["elements"] == {"TR_A": True, "TR_B": False, "TR_C": True}
    with upgraded_app.app_context():
        assert db.session.get(PluginState, "testregion").applied_version == "1.1.0"


def test_settings_are_validated_and_secrets_encrypted_never_echoed(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    runner = app.test_cli_runner()
    bad = runner.invoke(
        args=[
            "pbadmin",
            "plugins",
            "configure",
            "testregion",
            "base_url=ftp://x",
            "monthly_cron=every day",
            "colour=red",
        ]
    )
    assert bad.exit_code == 1
    assert "base_url" in bad.output and "monthly_cron" in bad.output and "colour" in bad.output
    good = runner.invoke(
        args=[
            "pbadmin",
            "plugins",
            "configure",
            "testregion",
            "base_url=http://127.0.0.1:9/",
            "token=s3cr3t-token-value",
        ]
    )
    assert good.exit_code == 0, good.output
    assert "s3cr3t-token-value" not in good.output and "token" in good.output
    with app.app_context():
        raw = db.session.execute(text("SELECT settings, secrets FROM plugin_state WHERE name = 'testregion'")).one()
        assert "s3cr3t" not in str(raw[0]) and "s3cr3t" not in str(raw[1])
        assert enablement.settings_of("testregion")["token"] == "s3cr3t-token-value"
        assert enablement.settings_of("testregion")["base_url"] == "http://127.0.0.1:9"
        logged = " ".join(str(e.changes) for e in db.session.scalars(select(AuditEntry)))
        assert "s3cr3t" not in logged
    client = app.test_client()
    login(client, "root")
    page = client.get("/admin/plugins/testregion/settings").get_data(as_text=True)
    assert "s3cr3t" not in page and "http://127.0.0.1:9" in page


def test_test_connection_says_plainly_what_went_wrong(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    app.test_cli_runner().invoke(
        args=["pbadmin", "plugins", "configure", "testregion", "base_url=http://127.0.0.1:9", "token=x"]
    )
    client = app.test_client()
    login(client, "root")
    token_page = client.get("/admin/plugins/testregion/settings").get_data(as_text=True)
    import re

    token = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', token_page)[-1]
    answer = client.post("/admin/plugins/testregion/test", data={"csrf_token": token}, follow_redirects=True)
    assert "无法连接到网关" in answer.get_data(as_text=True)


def test_region_admin_manages_only_plugins_of_its_region(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    write_plugin(
        plugins_dir,
        "farregion",
        good_plugin_source(name="farregion", prefix="FR").replace('region_code="331004"', 'region_code="510114"'),
    )
    app = plugin_app()
    client = app.test_client()
    login(client, "region_admin")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "testregion" in page and "farregion" not in page
    assert client.get("/admin/plugins/farregion/settings").status_code == 403
    staff = app.test_client()
    login(staff, "staff_a")
    assert staff.get("/admin/plugins/").status_code in (302, 403)


def test_enable_in_the_admin_needs_the_csrf_token(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    client = app.test_client()
    login(client, "root")
    assert client.post("/admin/plugins/testregion/enable").status_code == 400
    with app.app_context():
        assert not enablement.is_enabled("testregion")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    import re

    token = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)[-1]
    assert client.post("/admin/plugins/testregion/enable", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert enablement.is_enabled("testregion")


def test_a_disabled_type_cannot_be_chosen_for_a_new_activity(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    runner = app.test_cli_runner()
    runner.invoke(args=["pbadmin", "plugins", "enable", "testregion"])
    runner.invoke(args=["pbadmin", "plugins", "disable", "testregion"])
    client = app.test_client()
    login(client, "staff_a")
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(Activity))
    answer = submit(
        client,
        "/admin/activities/new/",
        {
            "title": "用停用类型新建",
            "activity_type": _type_id(app),
            "organisation": world["org_a"],
            "starts_at": "2024-02-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
        },
    )
    assert answer.status_code == 200
    assert "停用" in answer.get_data(as_text=True) or "disabled" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Activity)) == before


def test_a_plugin_brings_its_own_templates_and_translations(plugin_app, plugins_dir, world):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    package = write_plugin(
        plugins_dir,
        "testregion",
        good_plugin_source()
        + """

from flask import render_template
from flask_admin import expose

from pbadmin.toolkit import PbView
from flask_babel import gettext


class PageView(PbView):
    @expose("/")
    def index(self):
        return render_template("testregion/page.html", greeting=gettext("Station map"))


@hookimpl
def register_admin_views(admin):
    return [PageView(name="page", endpoint="testregion_page")]
""",
    )
    (package / "templates" / "testregion").mkdir(parents=True)
    (package / "templates" / "testregion" / "page.html").write_text("<p>{{ greeting }}</p>", encoding="utf-8")
    catalog = Catalog(locale="zh_Hans_CN")
    catalog.add("Station map", "驿站地图")
    mo_dir = package / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
    mo_dir.mkdir(parents=True)
    with open(mo_dir / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    app = plugin_app()
    client = app.test_client()
    login(client, "root")
    assert client.get("/admin/testregion_page/").get_data(as_text=True) == "<p>驿站地图</p>"


def _settings_token(client, plugin="testregion"):
    import re

    page = client.get(f"/admin/plugins/{plugin}/settings").get_data(as_text=True)
    return re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)[-1]


def test_the_settings_form_refuses_bad_values_and_missing_required_ones(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    client = app.test_client()
    login(client, "root")
    answer = client.post(
        "/admin/plugins/testregion/settings",
        data={
            "csrf_token": _settings_token(client),
            "base_url": "not a url",
            "token": "t",
            "monthly_cron": "61 * * * *",
        },
    )
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "not an http(s) URL" in body and "cron" in body
    answer = client.post(
        "/admin/plugins/testregion/settings",
        data={"csrf_token": _settings_token(client), "base_url": "http://127.0.0.1:9", "monthly_cron": "0 2 1 * *"},
    )
    assert "token" in answer.get_data(as_text=True) and answer.status_code == 200
    with app.app_context():
        assert enablement.settings_of("testregion") == {}, "nothing was saved"
    answer = client.post(
        "/admin/plugins/testregion/settings",
        data={
            "csrf_token": _settings_token(client),
            "base_url": "http://127.0.0.1:9",
            "token": "tok",
            "monthly_cron": "0 2 1 * *",
            "require_approval": "y",
        },
    )
    assert answer.status_code == 302
    # a stored secret left blank is kept
    answer = client.post(
        "/admin/plugins/testregion/settings",
        data={
            "csrf_token": _settings_token(client),
            "base_url": "http://127.0.0.1:9",
            "token": "",
            "monthly_cron": "0 3 1 * *",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        assert enablement.settings_of("testregion")["token"] == "tok"
        assert enablement.settings_of("testregion")["monthly_cron"] == "0 3 1 * *"


@pytest.fixture
def catalogue_gateway():
    """A minimal gateway on 127.0.0.1 answering the catalogue to the bearer token "good"."""
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    @Request.application
    def gateway(request):
        if request.path != "/api/dataElements":
            return Response("not found", status=404)
        if request.headers.get("Authorization") != "Bearer good":
            return Response('{"status": "ERROR"}', status=401, content_type="application/json")
        return Response(
            '{"dataElements": [{"code": "PB_MEMBERS"}, {"code": "LQ_STATIONS"}]}', content_type="application/json"
        )

    server = make_server("127.0.0.1", 0, gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize(
    "token,expected", [("good", "连接成功：网关目录含 2 个数据元"), ("bad", "网关拒绝了凭据（HTTP 401）")]
)
def test_test_connection_reports_success_and_refused_credentials(
    plugin_app, plugins_dir, world, catalogue_gateway, token, expected
):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    app.test_cli_runner().invoke(
        args=["pbadmin", "plugins", "configure", "testregion", f"base_url={catalogue_gateway}", f"token={token}"]
    )
    client = app.test_client()
    login(client, "root")
    answer = client.post(
        "/admin/plugins/testregion/test", data={"csrf_token": _settings_token(client)}, follow_redirects=True
    )
    assert expected in answer.get_data(as_text=True)
