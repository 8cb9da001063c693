"""The province's catalogue: data elements as docs/gateway-contract.md publishes them, org units as configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pbadmin.sandbox.published_elements import published_elements
from pbadmin.sync.profiles import PROFILE_NAMES, PROFILES
from tests.sandbox.conftest import CONTRACT_PROFILES, ORG_UNITS, Province, report

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "gateway-contract.md"
PROFILE_ROW = re.compile(r"^\| `(\w+)` \| ([a-z, ]+|\([^)|]*\)) \|", re.M)  # the profiles table
CORE_ROW = re.compile(r"^\| (PB_\w+) \| (.+?) \| (?:stock|flow) \|$", re.M)
REGION_ROW = re.compile(r"^\| ([a-z]+) \| ([A-Z]{2}_\w+) \| (.+?) \| (?:stock|flow) \|$", re.M)


def contract_catalogue(text: str) -> dict[str, dict[str, str]]:
    """profile → {code: 中文} from the contract's tables: core rows for all, region rows via 'used by';
    dhis2, a national instance, publishes every region's rows."""
    profiles = {profile: used_by for profile, used_by in PROFILE_ROW.findall(text)}
    profile_of_plugin = {
        plugin.strip(): profile
        for profile, used_by in profiles.items()
        if not used_by.startswith("(")
        for plugin in used_by.split(",")
    }
    core = dict(CORE_ROW.findall(text))
    catalogue = {profile: dict(core) for profile in profiles}
    for plugin, code, name in REGION_ROW.findall(text):
        catalogue[profile_of_plugin[plugin]][code] = name
        catalogue["dhis2"][code] = name
    return catalogue


def test_the_sandbox_catalogue_equals_the_contract():
    expected = contract_catalogue(CONTRACT.read_text(encoding="utf-8"))
    assert sorted(expected) == sorted(PROFILE_NAMES)
    assert sum(len(codes) for codes in expected.values()) == 5 * 22 + 20 + 20  # every table row was read
    for profile in PROFILE_NAMES:
        assert published_elements(profile) == expected[profile], profile


def test_the_contract_names_each_province_prefix_the_profiles_declare():
    text = CONTRACT.read_text(encoding="utf-8")
    prefixes = dict(re.findall(r"(zhejiang|sichuan|hubei|shandong) `(\d\d)`", text))
    assert prefixes == {name: PROFILES[name].province_prefix for name in CONTRACT_PROFILES}


@pytest.mark.parametrize("profile", CONTRACT_PROFILES)
def test_every_profile_publishes_its_catalogue_over_http(gateway, profile):
    answer = Province(gateway, profile).request("GET", "/api/dataElements")
    assert answer.status_code == 200
    elements = answer.json()["dataElements"]
    assert {e["code"]: e["name"] for e in elements} == published_elements(profile)
    assert {e["valueType"] for e in elements} == {"NUMBER"}


@pytest.mark.parametrize("profile", CONTRACT_PROFILES)
def test_every_profile_lists_the_org_units_it_knows(gateway, profile):
    answer = Province(gateway, profile).request("GET", "/api/organisationUnits")
    assert answer.status_code == 200
    assert answer.json()["organisationUnits"] == sorted(ORG_UNITS[profile], key=lambda unit: unit["code"])


def test_the_catalogue_needs_credentials(gateway):
    client = Province(gateway, "hubei")
    client.credentials = {"username": "x", "password": "y"}
    assert client.request("GET", "/api/organisationUnits").status_code == 401
    assert client.request("GET", "/api/dataElements").status_code == 401


def test_an_added_data_element_is_published_and_accepted(province, control):
    control.add_data_element("zhejiang", "LQ_NEW_THING", "新事物数")
    client = province("zhejiang")
    codes = {e["code"] for e in client.request("GET", "/api/dataElements").json()["dataElements"]}
    assert "LQ_NEW_THING" in codes
    assert client.push(report("zhejiang", {"LQ_NEW_THING": "1"})).status_code == 200
    assert province("sichuan").push(report("sichuan", {"LQ_NEW_THING": "1"})).status_code == 422


def test_a_removed_data_element_is_no_longer_accepted(province, control):
    control.remove_data_element("zhejiang", "PB_MEMBERS")
    client = province("zhejiang")
    codes = {e["code"] for e in client.request("GET", "/api/dataElements").json()["dataElements"]}
    assert "PB_MEMBERS" not in codes and "PB_BRANCHES" in codes
    assert client.push(report("zhejiang", {"PB_MEMBERS": "1"})).status_code == 422


def test_org_units_added_and_removed_through_the_control_api(province, control):
    control.add_org_unit("zhejiang", "331004-NEW", "新党支部", parent="331004-PBW")
    control.remove_org_unit("zhejiang", "331004-A")
    client = province("zhejiang")
    units = client.request("GET", "/api/organisationUnits").json()["organisationUnits"]
    assert [unit["code"] for unit in units] == ["331004-NEW", "331004-PBW"]
    assert units[0] == {"code": "331004-NEW", "name": "新党支部", "parent": "331004-PBW"}
    assert client.push(report("zhejiang", orgUnit="331004-NEW")).status_code == 200
    assert client.push(report("zhejiang", orgUnit="331004-A")).status_code == 422


def test_the_org_units_are_asked_for_on_every_catalogue_read_and_push(start_gateway):
    asked: list[str] = []
    units = {"zhejiang": []}

    def org_units(profile: str):
        asked.append(profile)
        return units.get(profile, [])

    server = start_gateway(org_units=org_units)
    client = Province(server, "zhejiang")
    assert client.push(report("zhejiang")).status_code == 422
    units["zhejiang"] = [{"code": "331004-PBW", "name": "党委", "parent": None}]
    assert client.push(report("zhejiang")).status_code == 200
    client.request("GET", "/api/organisationUnits")
    assert asked == ["zhejiang", "zhejiang", "zhejiang"]


def test_without_an_org_units_source_only_added_org_units_are_known(start_gateway):
    server = start_gateway(org_units=None)
    client = Province(server, "shandong")
    assert client.request("GET", "/api/organisationUnits").json() == {"organisationUnits": []}
