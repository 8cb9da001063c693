"""Every gateway profile's happy path, over real HTTP against the sandbox province on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json

import pytest
import requests

from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sync.adx import parse_adx, validate_adx
from tests.sync.conftest import ORG_UNIT, SEED

PROFILES = ("zhejiang", "sichuan", "hubei", "shandong")


def read_back(gateway, period: str, data_set: str) -> dict:
    """The report as the province stored it, read with the profile's own client."""
    from pbadmin.sync.target import target_for

    with gateway.app.app_context():
        answer = target_for(gateway.plugin).client.get_json(
            "/api/dataValueSets", params={"dataSet": data_set, "period": period, "orgUnit": ORG_UNIT}
        )
    assert answer.status == 200, answer.text()
    return {item["dataElement"]: item["value"] for item in answer.json()["dataValues"]}


@pytest.mark.parametrize("profile", PROFILES)
def test_sync_run_delivers_the_report_the_province_then_holds(gateway, profile):
    gw = gateway(profile)
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 0, result.output
    [report] = gw.reports()
    assert report.status == "accepted" and report.receipt
    line = next(line for line in result.output.splitlines() if line.startswith(ORG_UNIT))
    assert line.split("\t")[:3] == [ORG_UNIT, "accepted", report.receipt]
    stored = read_back(gw, "202403", "PB_MONTHLY")
    assert stored == dict(report.report_values)
    assert stored["PB_BRANCHES"] == "2" and stored["PB_THEME_DAYS"] == "2"  # the world's branches A and B
    assert [attempt.outcome for attempt in report.attempts] == ["accepted"]
    [push] = gw.pushes()
    assert push["idempotencyKey"] == report.idempotency_key and push["status"] == 200


@pytest.mark.parametrize("profile", PROFILES)
def test_the_stored_payload_is_what_was_sent_with_its_sha256(gateway, profile):
    gw = gateway(profile)
    gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "2024Q1")
    [report] = gw.reports()
    from pbadmin.extensions import db
    from pbadmin.models import Report

    with gw.app.app_context():
        payload = db.session.get(Report, report.id).payload
    assert hashlib.sha256(payload).hexdigest() == report.payload_sha256
    if profile == "hubei":
        assert report.content_type == "application/adx+xml"
        assert validate_adx(payload) == []
        [group] = parse_adx(payload)
        assert (group.data_set, group.org_unit, group.period.code) == ("PB_QUARTERLY", ORG_UNIT, "2024Q1")
    else:
        body = json.loads(payload)
        assert (body["dataSet"], body["orgUnit"], body["period"]) == ("PB_QUARTERLY", ORG_UNIT, "2024Q1")
        assert [[v["dataElement"], v["value"]] for v in body["dataValues"]] == report.report_values


def test_hubei_documents_validate_against_the_ihe_schema_before_they_are_queued(gateway, monkeypatch):
    gw = gateway("hubei")
    from pbadmin.sync import payloads

    monkeypatch.setattr(payloads, "validate_adx", lambda document: ["dataValue: 'x' is not a valid xs:decimal"])
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 1
    [report] = gw.reports()
    assert report.status == "held" and "ADX" in report.message and report.payload_sha256 is None
    assert gw.pushes() == []


def test_shandong_caches_its_token_and_fetches_one_more_on_invalid_token(gateway):
    gw = gateway("shandong")
    for period in ("202401", "202402"):
        assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", period).exit_code == 0
    log = gw.control.state()["requests"]["shandong"]
    assert sum(entry["path"].endswith("/oauth/token") for entry in log) == 1
    gw.control.expire_tokens()
    assert gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403").exit_code == 0
    log = gw.control.state()["requests"]["shandong"]
    assert sum(entry["path"].endswith("/oauth/token") for entry in log) == 2
    refused = [entry for entry in log if entry["status"] == 401]
    assert len(refused) == 1  # the expired token was refused once, then the fresh one worked
    assert all(report.status == "accepted" for report in gw.reports())


def test_sichuan_signs_every_attempt_with_a_fresh_nonce(gateway):
    gw = gateway("sichuan")
    gw.control.inject_failures([{"status": 503, "times": 2, "method": "POST"}], profile="sichuan")
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 0, result.output
    [report] = gw.reports()
    assert [a.outcome for a in report.attempts] == ["retry", "retry", "accepted"]
    # had a nonce been reused, the province would have answered 401 (replay) and the report failed


def test_wrong_credentials_fail_for_good_with_the_reason_shown(gateway):
    gw = gateway("zhejiang")
    with gw.app.app_context():
        from pbadmin.extensions import db
        from pbadmin.plugins import enablement

        enablement.configure(gw.plugin, {"token": "not-the-token"})
        db.session.commit()
    result = gw.cli("sync", "run", "--plugin", gw.plugin, "--period", "202403")
    assert result.exit_code == 1
    [report] = gw.reports()
    assert report.status == "failed" and "HTTP 401" in report.message and "凭据" in report.message
    assert len(report.attempts) == 1  # never retried


def test_sandbox_credentials_are_derived_from_the_seed_alone():
    assert sandbox_credentials(SEED) == sandbox_credentials(SEED)
    assert sandbox_credentials(SEED)["zhejiang"] != sandbox_credentials("another")["zhejiang"]


def test_the_sandbox_refuses_a_push_without_credentials(gateway):
    gw = gateway("zhejiang")
    answer = requests.post(f"{gw.server.base_url('zhejiang')}/api/dataValueSets", json={}, timeout=5)
    assert answer.status_code == 401


def test_each_gateway_keeps_one_session_until_its_settings_change():
    from pbadmin.sync.gateways import client_for

    settings = {"base_url": "http://127.0.0.1:9/zhejiang", "token": "t"}
    first = client_for("plugin-a", "zhejiang", settings)
    assert client_for("plugin-a", "zhejiang", dict(settings)) is first
    assert client_for("plugin-b", "zhejiang", settings) is not first
    changed = client_for("plugin-a", "zhejiang", {**settings, "token": "new"})
    assert changed is not first and changed.session is not first.session
    assert client_for("plugin-a", "zhejiang", {**settings, "token": "new"}) is changed


# --- one registry: every layer reads the one ProfileSpec of each profile ---------------------------


def test_every_layer_reads_the_one_spec_of_each_profile():
    import datetime as dt

    from pbadmin.plugins.settings import PROFILE_SETTINGS
    from pbadmin.plugins.specs import PROFILES as PLUGIN_PROFILES
    from pbadmin.sync import payloads
    from pbadmin.sync.gateways import make_client
    from pbadmin.sync.profiles import PROFILES as SPECS

    assert PLUGIN_PROFILES == tuple(SPECS) == ("zhejiang", "sichuan", "hubei", "shandong", "dhis2")
    credentials = sandbox_credentials(SEED)
    for name, spec in SPECS.items():
        assert tuple(setting.key for setting in PROFILE_SETTINGS[name]) == spec.credential_keys
        assert set(credentials[name]) == set(spec.credential_keys)
        client = make_client(name, {"base_url": "http://127.0.0.1:9", **credentials[name]})
        assert isinstance(client, spec.client_class()) and client.spec is spec
        client.close()
        payload = payloads.render(
            name,
            "PB_MONTHLY",
            "X",
            "202401",
            [("PB_MEMBERS", "1")],
            dt.date(2024, 2, 1),
            dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
        )
        assert payload.content_type == spec.content_type


def test_no_module_but_the_registry_keeps_a_table_keyed_by_profile_names():
    """A profile's knowledge lives in pbadmin/sync/profiles.py; a module naming two profiles holds a parallel table."""
    import ast
    from pathlib import Path

    from pbadmin.sync.profiles import PROFILES as SPECS

    root = Path(__file__).resolve().parents[2] / "pbadmin"
    tables = {}
    for path in root.rglob("*.py"):
        if path == root / "sync" / "profiles.py":
            continue
        named = {
            node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and node.value in SPECS
        }
        if len(named) > 1:
            tables[str(path.relative_to(root))] = sorted(named)
    assert tables == {}


@pytest.mark.parametrize("profile", ["zhejiang", "sichuan", "hubei", "shandong", "dhis2"])
def test_the_sandbox_takes_pushes_where_each_spec_says(gateway, profile):
    from pbadmin.sync.profiles import profile_spec

    gw = gateway(profile)
    spec = profile_spec(profile)
    answer = requests.post(f"{gw.server.base_url(profile)}{spec.push_path}", data=b"{}", timeout=5)
    assert answer.status_code == 401  # the route is there; the credentials are not
