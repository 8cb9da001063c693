"""Point 2: a gateway secret goes only to the address it was entered for.

A region admin who may configure the plugin of their region points ``base_url`` at a server of
their own and presses 测试连接, hoping the stored token is sent there. It must not be: changing where
requests go needs the secrets typed again, and stored secrets are handed out only for the address
they were entered with, whatever changed it.
"""

from __future__ import annotations

import json
import re
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from pbadmin.extensions import db
from pbadmin.models import AuditEntry, PluginState
from pbadmin.plugins import enablement
from tests.helpers import login
from tests.plugin_system.conftest import good_plugin_source, write_plugin

STORED_TOKEN = "the-real-provincial-token"


class Recorder:
    """A server on 127.0.0.1 that answers like a gateway's catalogue and remembers every Authorization."""

    def __init__(self) -> None:
        self.seen: list[str | None] = []

        @Request.application
        def answer(request):
            self.seen.append(request.headers.get("Authorization"))
            return Response('{"dataElements": [{"code": "PB_MEMBERS"}]}', content_type="application/json")

        self.server = make_server("127.0.0.1", 0, answer, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def gateways():
    real, attacker = Recorder(), Recorder()
    yield real, attacker
    real.close()
    attacker.close()


@pytest.fixture
def configured(plugin_app, plugins_dir, world, gateways):
    """The region's plugin, configured by the CLI for the real gateway; a region admin logged in."""
    real, _attacker = gateways
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    app = plugin_app()
    result = app.test_cli_runner().invoke(
        args=["pbadmin", "plugins", "configure", "testregion", f"base_url={real.url}", f"token={STORED_TOKEN}"]
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    login(client, "region_admin")
    return app, client


def _token(client) -> str:
    page = client.get("/admin/plugins/testregion/settings").get_data(as_text=True)
    return re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page)[-1]


def _save(client, **fields):
    data = {"csrf_token": _token(client), "monthly_cron": "0 2 1 * *", "require_approval": "y", "token": ""}
    data.update(fields)
    return client.post("/admin/plugins/testregion/settings", data=data)


def _test_connection(client):
    return client.post("/admin/plugins/testregion/test", data={"csrf_token": _token(client)}, follow_redirects=True)


def _settings(app) -> dict:
    with app.app_context():
        return enablement.settings_of("testregion")


def test_changing_the_address_without_retyping_the_token_is_refused_and_the_token_stays_home(configured, gateways):
    app, client = configured
    real, attacker = gateways
    answer = _save(client, base_url=attacker.url)
    assert answer.status_code == 200 and "请重新输入此项" in answer.get_data(as_text=True)
    assert _settings(app)["base_url"] == real.url
    _test_connection(client)
    assert attacker.seen == [] and real.seen == [f"Bearer {STORED_TOKEN}"]


def test_a_stored_token_is_never_sent_to_an_address_it_was_not_entered_for(configured, gateways):
    """Even when the address changes behind the settings form's back (a database edit, an old bug)."""
    app, client = configured
    _real, attacker = gateways
    with app.app_context():
        row = db.session.get(PluginState, "testregion")
        row.settings = {**row.settings, "base_url": attacker.url}
        db.session.commit()
    assert "token" not in _settings(app)
    _test_connection(client)
    assert all(seen is None or STORED_TOKEN not in seen for seen in attacker.seen)


def test_a_new_address_with_the_token_typed_again_is_saved_and_used(configured, gateways):
    app, client = configured
    real, attacker = gateways
    answer = _save(client, base_url=attacker.url, token="a-token-typed-for-the-new-address")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    _test_connection(client)
    assert attacker.seen == ["Bearer a-token-typed-for-the-new-address"]


def test_the_cli_holds_to_the_same_rule(configured, gateways):
    app, _client = configured
    _real, attacker = gateways
    result = app.test_cli_runner().invoke(
        args=["pbadmin", "plugins", "configure", "testregion", f"base_url={attacker.url}"]
    )
    assert result.exit_code != 0 and "token" in result.output
    assert _settings(app)["token"] == STORED_TOKEN


@pytest.mark.parametrize(
    "address",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://127.0.0.1/",
        "gopher://127.0.0.1:70/",
        "http://user:secret@127.0.0.1/",
        "http://127.0.0.1/\r\nX-Injected: 1",
        "http:///no-host",
    ],
)
def test_only_plain_http_addresses_are_accepted(configured, address):
    app, client = configured
    before = _settings(app)
    answer = _save(client, base_url=address, token="retyped")
    assert answer.status_code == 200 and "地址" in answer.get_data(as_text=True)
    assert _settings(app) == before


def test_the_audit_log_records_the_new_address_with_the_secrets_masked(configured, gateways):
    app, client = configured
    real, attacker = gateways
    _save(client, base_url=attacker.url, token="a-token-typed-for-the-new-address")
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "plugin_state", AuditEntry.actor == "region_admin")
        ).all()
    text = json.dumps([entry.changes for entry in entries], ensure_ascii=False)
    assert attacker.url in text and real.url in text
    assert "******" in text
    assert STORED_TOKEN not in text and "a-token-typed-for-the-new-address" not in text
