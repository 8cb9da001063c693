"""The five seed plugins' reports for their articles' periods, pushed over HTTP, carry the articles' figures."""

from __future__ import annotations

import pytest

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.plugins import enablement
from pbadmin.sandbox.app import SandboxConfig
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.pbadmin_source import org_units_from_database
from pbadmin.sandbox.server import SandboxControl, SandboxServer
from tests.conftest import make_app
from tests.plugins.test_seed_plugins import load_demo
from tests.sync.conftest import FAST, SEED

# plugin: (its province, the article's period, the root's report code, the figures the article gives)
ARTICLES = {
    "luqiao": (
        "zhejiang",
        "201805",
        "331004-PBW",
        {
            "LQ_SECOND_COMMITTEES": "6",
            "LQ_XINGLIN_HOMES": "13",
            "LQ_VOLUNTEER_TEAMS": "6",
            "LQ_VOLUNTEERS": "504",
            "LQ_STATIONS": "26",
        },
    ),
    "xindu": (
        "sichuan",
        "2021",
        "510114-WJ",
        {
            "XD_COMPREHENSIVE_COMMITTEES": "3",
            "XD_MEMBER_UNITS": "27",
            "XD_DEPT_BRANCHES": "49",
            "XD_JOINT_MEETINGS": "12",
            "PB_MEMBERS": "1000",
        },
    ),
    "jingzhou": (
        "hubei",
        "2022",
        "421000-JZYY",
        {"PB_BRANCHES": "33", "JZ_TEMP_BRANCHES": "2", "JZ_SPECIALTY_ALLIANCES": "19", "JZ_MDT_TEAMS": "16"},
    ),
    "linqing": (
        "shandong",
        "2016",
        "371581-RMYY",
        {
            "PB_BRANCHES": "6",
            "PB_MEMBERS": "210",
            "LC_LEADER_LECTURES": "12",
            "LC_STUDY_SESSIONS": "62",
            "LC_MEMBER_LECTURES": "6",
            "LC_PARTNER_CENTRES": "19",
        },
    ),
    "ningbo": (
        "zhejiang",
        "2019",
        "330200-LHL",
        {"NB_ALLIANCES": "1", "NB_TRUSTEESHIP_HOSPITALS": "6", "NB_CONSORTIUM_CENTRES": "8", "NB_BRANCH_BRANDS": "6"},
    ),
}


@pytest.fixture
def province(migrated_url, app):
    """``province(plugin)``: the plugin's demo loaded, enabled and configured to a sandbox of its province."""
    servers = []

    def build(plugin: str):
        profile = ARTICLES[plugin][0]
        seeded = make_app(migrated_url, **FAST)
        load_demo(seeded, plugin)
        server = SandboxServer(
            SandboxConfig(credentials=sandbox_credentials(SEED), org_units=org_units_from_database(seeded))
        ).start()
        servers.append(server)
        with seeded.app_context(), acting_as("test-setup"):
            enablement.enable(plugin)
            enablement.configure(plugin, {"base_url": server.base_url(profile), **sandbox_credentials(SEED)[profile]})
            db.session.commit()
        return seeded, SandboxControl(server.url)

    yield build
    for server in servers:
        server.stop()


def cells(control: SandboxControl, org_unit: str, period: str) -> dict[str, str]:
    return {
        cell["dataElement"]: cell["value"]
        for cell in control.state()["cells"]
        if cell["orgUnit"] == org_unit and cell["period"] == period
    }


@pytest.mark.parametrize("plugin", sorted(ARTICLES))
def test_the_pushed_report_carries_the_articles_figures(province, plugin):
    profile, period, root, figures = ARTICLES[plugin]
    app, control = province(plugin)
    result = app.test_cli_runner().invoke(args=["pbadmin", "sync", "run", "--plugin", plugin, "--period", period])
    assert result.exit_code == 0, result.output
    assert f"{root}\taccepted\t" in result.output
    stored = cells(control, root, period)
    assert {code: stored.get(code) for code in figures} == figures


def test_luqiao_served_6280_people_from_july_2017_to_may_2018(province):
    app, control = province("luqiao")
    months = ["201707", "201708", "201709", "201710", "201711", "201712"] + [f"20180{m}" for m in range(1, 6)]
    runner = app.test_cli_runner()
    for month in months:
        result = runner.invoke(args=["pbadmin", "sync", "run", "--plugin", "luqiao", "--period", month])
        assert result.exit_code == 0, result.output
    assert sum(int(cells(control, "331004-PBW", month)["PB_SERVED"]) for month in months) == 6280


def test_the_figures_checked_here_are_the_ones_docs_gateway_contract_states():
    from pathlib import Path

    contract = Path(__file__).resolve().parents[2] / "docs" / "gateway-contract.md"
    stated: dict = {}
    for line in contract.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in ARTICLES:
            seed, profile, period, root, code, value = cells
            stated.setdefault(seed, (profile, period, root, {}))[3][code] = value
    assert stated == ARTICLES
