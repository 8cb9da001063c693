"""``sandbox-gateway``: derived credentials, this database's org units, loopback only; and the credentials."""

from __future__ import annotations

import pytest
import requests

from config import instance_secret
from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region
from pbadmin.plugins.settings import PROFILE_SETTINGS
from pbadmin.sandbox.cli import sandbox_gateway
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.server import SandboxServer
from pbadmin.sync.profiles import PROFILE_NAMES as PROFILES
from tests.sandbox.conftest import TIMEOUT


def seeded_credentials() -> dict:
    """The credentials the command derived from the instance's seed (which it must have created)."""
    return sandbox_credentials(instance_secret("sandbox_seed", lambda: pytest.fail("the command made no seed")))


def test_credentials_are_stable_for_a_seed_and_differ_between_seeds():
    assert sandbox_credentials("seed-1") == sandbox_credentials("seed-1")
    one, two = sandbox_credentials("seed-1"), sandbox_credentials("seed-2")
    assert all(one[profile] != two[profile] for profile in PROFILES)


def test_credentials_give_every_credential_setting_of_each_profile():
    credentials = sandbox_credentials("seed")
    assert sorted(credentials) == sorted(PROFILES)
    for profile in PROFILES:
        assert set(credentials[profile]) == {spec.key for spec in PROFILE_SETTINGS[profile]}
    assert set(credentials["dhis2"]) == {"api_token", "username", "password"}  # either way in works


def test_credentials_need_a_seed():
    with pytest.raises(ValueError):
        sandbox_credentials("")


@pytest.mark.parametrize("host", ["192.0.2.1", "::", "gateway.example"])
def test_the_command_refuses_to_listen_beyond_loopback(runner, host):
    result = runner.invoke(sandbox_gateway, ["--host", host])
    assert result.exit_code == 2 and "loopback" in result.output


def test_the_command_serves_this_databases_org_units_with_credentials_from_the_instance_seed(app, runner, monkeypatch):
    with app.app_context(), acting_as("test-setup"):
        county = Region(code="371581", name="临清市", level="county")
        db.session.add(county)
        db.session.flush()
        db.session.add(
            PartyOrganization(
                code="LQ", name="临清市人民医院党委", kind="committee", region=county, report_code="371581-RMYY"
            )
        )
        db.session.commit()
    seen: dict = {}

    def one_request_then_return(server: SandboxServer) -> None:
        """Instead of waiting for Ctrl-C: ask the running gateway what a client would, then stop."""
        shandong = seeded_credentials()["shandong"]
        token = requests.post(
            f"{server.base_url('shandong')}/oauth/token",
            data={"grant_type": "client_credentials", **shandong},
            timeout=TIMEOUT,
        ).json()["access_token"]
        seen["units"] = requests.get(
            f"{server.base_url('shandong')}/api/organisationUnits",
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
        ).json()
        seen["url"] = server.url

    monkeypatch.setattr(SandboxServer, "wait", one_request_then_return)
    result = runner.invoke(sandbox_gateway, ["--port", "0"])
    assert result.exit_code == 0, result.output
    assert seen["units"] == {
        "organisationUnits": [{"code": "371581-RMYY", "name": "临清市人民医院党委", "parent": None}]
    }
    credentials = seeded_credentials()
    for profile in PROFILES:
        assert f"base_url={seen['url']}/{profile}" in result.output
        assert all(value in result.output for value in credentials[profile].values())
    with pytest.raises(requests.ConnectionError):  # stopped when the command returned
        requests.get(f"{seen['url']}/_control/state", timeout=TIMEOUT)
