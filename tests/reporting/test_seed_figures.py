"""Each seed plugin's report, computed by the metrics engine, carries its article's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbadmin.reporting.metrics import compute, element_definitions
from pbadmin.reporting.periods import Period
from tests.plugins.test_seed_plugins import load_demo, org

# plugin: (reporting organisation, its province report code, period, the article's figures)
FIGURES = {
    "luqiao": (
        "LQ",
        "331004-PBW",
        "201805",
        {
            "LQ_SECOND_COMMITTEES": 6,
            "LQ_XINGLIN_HOMES": 13,
            "LQ_VOLUNTEER_TEAMS": 6,
            "LQ_VOLUNTEERS": 504,
            "LQ_STATIONS": 26,
        },
    ),
    "xindu": (
        "XD",
        "510114-WJ",
        "2021",
        {
            "XD_COMPREHENSIVE_COMMITTEES": 3,
            "XD_MEMBER_UNITS": 27,
            "XD_DEPT_BRANCHES": 49,
            "XD_JOINT_MEETINGS": 12,
            "PB_MEMBERS": 1000,
        },
    ),
    "jingzhou": (
        "JZ",
        "421000-JZYY",
        "2022",
        {"PB_BRANCHES": 33, "JZ_TEMP_BRANCHES": 2, "JZ_SPECIALTY_ALLIANCES": 19, "JZ_MDT_TEAMS": 16},
    ),
    "linqing": (
        "LC",
        "371581-RMYY",
        "2016",
        {
            "PB_BRANCHES": 6,
            "PB_MEMBERS": 210,
            "LC_LEADER_LECTURES": 12,
            "LC_STUDY_SESSIONS": 62,
            "LC_MEMBER_LECTURES": 6,
            "LC_PARTNER_CENTRES": 19,
        },
    ),
    "ningbo": (
        "NB",
        "330200-LHL",
        "2019",
        {"NB_ALLIANCES": 1, "NB_TRUSTEESHIP_HOSPITALS": 6, "NB_CONSORTIUM_CENTRES": 8, "NB_BRANCH_BRANDS": 6},
    ),
}


@pytest.mark.parametrize("plugin", FIGURES)
def test_report_of_the_articles_period_carries_the_articles_figures(app, plugin):
    root_code, report_code, period, figures = FIGURES[plugin]
    load_demo(app, plugin)
    with app.app_context():
        root = org(root_code)
        assert root.report_code == report_code
        values = compute(plugin, root.id, Period.parse(period))
        codes = [definition.code for definition in element_definitions(plugin)]
    assert list(values) == codes  # every core and region element, in catalogue order
    assert {code: values[code] for code in figures} == {code: Decimal(value) for code, value in figures.items()}


def test_luqiao_monthly_reports_add_up_to_the_people_served_from_2017_07_to_2018_05(app):
    load_demo(app, "luqiao")
    months = [Period.parse("201707")]
    while months[-1].code != "201805":
        months.append(months[-1].next())
    with app.app_context():
        root = org("LQ")
        served = [compute("luqiao", root.id, month)["PB_SERVED"] for month in months]
    assert len(served) == 11 and all(value > 0 for value in served)
    assert sum(served) == 6280
