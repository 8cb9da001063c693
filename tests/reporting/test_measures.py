"""Each core element, and the region building blocks, on tests.helpers' small world plus boundary rows.

The world: committee R over branches A and B (region 331004), committee X elsewhere; each of A, B
and X has 3 full members admitted long ago, a brand, an activity room, a team of 10, a themed day
on 2024-03-05 (12 served, 3 hours, 1 present), an open problem found 2024-01-02 and a 10 yuan
donation for 202403; A and B each help X since 2024-01-01 (B's pairing reported for 202402).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pbadmin.extensions import db
from pbadmin.models import (
    Alliance,
    Brand,
    Donation,
    Institution,
    MedicalCommunity,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Venue,
    VolunteerTeam,
)
from pbadmin.plugins.specs import DataElementSpec
from pbadmin.toolkit import measures
from tests.reporting.records import activity, activity_type, member, organisation, report, save

D = dt.date
T = dt.datetime


def check(values: dict, **expected) -> None:
    """The named elements have the expected values (the others are not looked at)."""
    assert {code: values[code] for code in expected} == expected


# --- stocks ----------------------------------------------------------------------------------------


def test_organisations_count_as_they_stand_at_the_end_of_the_period(app, world):
    with app.app_context():
        r = world["committee"]
        organisation("C", "branch", r, founded_on=D(2024, 3, 31))  # founded on the last day: counts
        organisation("D", "branch", r, founded_on=D(2024, 4, 1))  # founded the day after: does not
        organisation("E", "temporary_branch", r, dissolved_on=D(2024, 3, 31))  # dissolved on the last day: gone
        organisation("F", "temporary_branch", r, dissolved_on=D(2024, 4, 1))  # dissolved the day after: counts
        organisation("G", "general_branch", r)
        organisation("H", "branch", world["org_x"])  # another subtree
        check(report("core", r, "202403"), PB_BRANCHES=4, PB_COMMITTEES=2)  # A, B, C, F; R, G
        assert report("core", r, "2024Q1")["PB_BRANCHES"] == 4
        assert report("core", r, "202402")["PB_BRANCHES"] == 4  # A, B, E, F
        assert report("core", r, "202404")["PB_BRANCHES"] == 4  # A, B, C, D
        assert report("core", r, "2023")["PB_BRANCHES"] == 4  # A, B, E, F
        assert report("core", world["org_x"], "202403")["PB_BRANCHES"] == 1


def test_members_count_who_had_joined_by_the_end_and_new_members_who_joined_during_it(app, world):
    with app.app_context():
        a = world["org_a"]
        member(a, "probationary", admitted_on=D(2024, 3, 1))  # the first day
        member(a, "probationary", admitted_on=D(2024, 3, 31))  # the last day
        member(a, "probationary", admitted_on=D(2024, 4, 1))  # the day after
        member(a, "full", admitted_on=D(2023, 4, 15), full_member_on=D(2024, 4, 15))  # full since April
        member(a, "transferred", admitted_on=D(2010, 1, 1))  # transferred out: never counted
        check(report("core", a, "202403"), PB_MEMBERS=6, PB_MEMBERS_PROBATIONARY=3, PB_MEMBERS_JOINED=2)
        check(report("core", a, "202404"), PB_MEMBERS=7, PB_MEMBERS_PROBATIONARY=3, PB_MEMBERS_JOINED=1)
        check(report("core", a, "202402"), PB_MEMBERS=4, PB_MEMBERS_PROBATIONARY=1, PB_MEMBERS_JOINED=0)
        assert report("core", a, "2024Q1")["PB_MEMBERS_JOINED"] == 2
        assert report("core", a, "2024")["PB_MEMBERS_JOINED"] == 3
        assert report("core", world["committee"], "202403")["PB_MEMBERS"] == 6 + 3  # A's and B's


def test_brands_and_venues_count_what_was_launched_or_opened_by_the_end(app, world):
    with app.app_context():
        a, r = world["org_a"], world["committee"]
        save(
            Brand(organisation_id=a, name="四月品牌", launched_on=D(2024, 4, 1)),
            Brand(organisation_id=a, name="三月品牌", launched_on=D(2024, 3, 31)),
            Brand(organisation_id=a, name="停用品牌", active=False),
            Venue(organisation_id=a, name="三月驿站", kind="station", opened_on=D(2024, 3, 31)),
            Venue(organisation_id=a, name="四月驿站", kind="station", opened_on=D(2024, 4, 1)),
        )
        check(report("core", r, "202403"), PB_BRANDS=3, PB_VENUES=3)
        check(report("core", r, "202404"), PB_BRANDS=4, PB_VENUES=4)


def test_pairings_count_those_under_way_at_the_end_with_either_side_in_the_subtree(app, world):
    with app.app_context():
        a, b, x, r = world["org_a"], world["org_b"], world["org_x"], world["committee"]
        save(
            Pairing(helper_id=a, helped_id=b, started_on=D(2024, 4, 1)),
            Pairing(helper_id=b, helped_id=a, started_on=D(2023, 1, 1), ended_on=D(2024, 3, 31), status="ended"),
        )
        helped = save(Pairing(helper_id=x, helped_id=a, started_on=D(2023, 6, 1), ended_on=D(2024, 4, 1)))
        save(
            PairingReport(pairing_id=helped.id, month=202403, content="三月", submitted_on=D(2024, 3, 28)),
            PairingReport(pairing_id=helped.id, month=202404, content="四月", submitted_on=D(2024, 4, 28)),
        )
        # world: A→X and B→X since 2024-01-01; B→X reported for 202402
        assert report("core", r, "202403")["PB_PAIRINGS"] == 3  # A→X, B→X, X→A
        assert report("core", r, "202402")["PB_PAIRINGS"] == 4  # … and B→A
        assert report("core", r, "202404")["PB_PAIRINGS"] == 3  # A→X, B→X, A→B
        assert report("core", a, "202403")["PB_PAIRINGS"] == 2  # A→X, X→A
        assert report("core", r, "202403")["PB_PAIRING_REPORTS"] == 1
        assert report("core", r, "2024Q1")["PB_PAIRING_REPORTS"] == 2
        assert report("core", a, "2024")["PB_PAIRING_REPORTS"] == 2  # X→A's two; B→X is not A's


def test_rectifications_open_at_the_end_and_closed_during_the_period(app, world):
    with app.app_context():
        a, r = world["org_a"], world["committee"]

        def problem(found, closed=None):
            deadline = D(2024, 12, 31)
            status = "closed" if closed else "open"
            return Rectification(
                organisation_id=a, problem=f"问题{found}{closed}", source="inspection", found_on=found,
                deadline=deadline, status=status, closed_on=closed,
            )  # fmt: skip

        save(
            problem(D(2024, 4, 1)),  # found after March
            problem(D(2024, 2, 1), closed=D(2024, 3, 1)),  # closed on March's first day
            problem(D(2024, 2, 1), closed=D(2024, 3, 31)),  # closed on its last day
            problem(D(2024, 3, 1), closed=D(2024, 4, 1)),  # closed the day after
        )
        check(report("core", r, "202403"), PB_RECTIFY_OPEN=3, PB_RECTIFY_CLOSED=2)
        check(report("core", r, "202402"), PB_RECTIFY_OPEN=4, PB_RECTIFY_CLOSED=0)
        check(report("core", r, "202404"), PB_RECTIFY_OPEN=3, PB_RECTIFY_CLOSED=1)
        assert report("core", r, "2024Q1")["PB_RECTIFY_CLOSED"] == 2
        assert report("core", r, "2024")["PB_RECTIFY_CLOSED"] == 3


# --- flows -----------------------------------------------------------------------------------------


def test_activity_flows_take_the_periods_first_and_last_instants_and_not_the_next(app, world):
    with app.app_context():
        a, present, leave = world["org_a"], [world["member_a"]], [world["member2_a"]]
        for when in (
            T(2024, 2, 29, 23, 59, 59, 999999),
            T(2024, 3, 1),
            T(2024, 3, 31, 23, 59, 59, 999999),
            T(2024, 4, 1),
        ):
            activity(a, "SHYK_COMMITTEE", when, present, leave, people_served=5, volunteer_hours=Decimal("1.5"))
        # with the world's themed day of 2024-03-05 (12 served, 3 hours, 1 present)
        counted = ("PB_ACTIVITIES", "PB_SHYK_COMMITTEE", "PB_ATTENDANCE", "PB_SERVED", "PB_VOLUNTEER_HOURS")
        expected = {
            "202402": (1, 1, 1, 5, Decimal("1.5")),
            "202403": (3, 2, 3, 22, 6),
            "202404": (1, 1, 1, 5, Decimal("1.5")),
            "2024Q1": (4, 3, 4, 27, Decimal("7.5")),
            "2024": (5, 4, 5, 32, 9),
            "2023": (0, 0, 0, 0, 0),
        }
        got = {period: tuple(report("core", a, period)[code] for code in counted) for period in expected}
        assert got == expected


def test_shyk_counts_follow_the_types_shyk_kind_so_plugin_lectures_are_party_lectures(app, world):
    with app.app_context():
        a = world["org_a"]
        activity_type("SHYK_GROUP", "shyk", "group")
        activity_type("SHYK_LECTURE", "shyk", "lecture")
        activity_type("LC_LEADER_LECTURE", "shyk", "lecture", counts_towards="LC_LEADER_LECTURES")
        activity_type("XD_FREE_CLINIC_DAY", "theme_day")
        activity_type("FREE_CLINIC", "service")
        for day, code in enumerate(
            (
                "SHYK_GENERAL",
                "SHYK_GROUP",
                "SHYK_GROUP",
                "SHYK_LECTURE",
                "LC_LEADER_LECTURE",
                "XD_FREE_CLINIC_DAY",
                "FREE_CLINIC",
            ),
            start=10,
        ):
            activity(a, code, T(2024, 3, day, 15))
        check(
            report("core", a, "202403"),
            PB_SHYK_GENERAL=1,
            PB_SHYK_COMMITTEE=0,
            PB_SHYK_GROUP=2,
            PB_SHYK_LECTURE=2,
            PB_THEME_DAYS=2,
        )
        assert report("core", a, "202403")["PB_ACTIVITIES"] == 8


def test_donations_sum_the_amounts_of_the_periods_months(app, world):
    with app.app_context():
        a, r = world["org_a"], world["committee"]
        save(
            Donation(organisation_id=a, month=202404, amount=Decimal("5.50"), fund="杏林帮扶爱心基金"),
            Donation(organisation_id=a, month=202312, amount=Decimal("7"), fund="杏林帮扶爱心基金"),
        )
        totals = {
            period: report("core", r, period)["PB_DONATIONS_YUAN"]
            for period in ("202403", "202404", "2024Q2", "2024", "2023Q4", "202402")
        }
        assert totals == {
            "202403": 20,
            "202404": Decimal("5.5"),
            "2024Q2": Decimal("5.5"),
            "2024": Decimal("25.5"),
            "2023Q4": 7,
            "202402": 0,
        }


def test_a_subtree_counts_itself_and_what_is_below_it_never_siblings_or_parents(app, world):
    with app.app_context():
        a, r = world["org_a"], world["committee"]
        activity(r, "THEME_DAY", T(2024, 3, 20, 9), people_served=100)
        check(
            report("core", r, "202403"),
            PB_BRANCHES=2,
            PB_MEMBERS=6,
            PB_ACTIVITIES=3,
            PB_SERVED=124,
            PB_DONATIONS_YUAN=20,
            PB_RECTIFY_OPEN=2,
        )
        check(
            report("core", a, "202403"),
            PB_BRANCHES=1,
            PB_MEMBERS=3,
            PB_ACTIVITIES=1,
            PB_SERVED=12,
            PB_DONATIONS_YUAN=10,
            PB_RECTIFY_OPEN=1,
        )
        check(
            report("core", world["org_x"], "202403"),
            PB_BRANCHES=0,
            PB_MEMBERS=3,
            PB_ACTIVITIES=1,
            PB_SERVED=12,
            PB_DONATIONS_YUAN=10,
            PB_RECTIFY_OPEN=1,
        )


# --- the building blocks region plugins use --------------------------------------------------------


def stock(code: str, measure) -> DataElementSpec:
    return DataElementSpec(code, code, "stock", measure=measure)


def test_organisations_by_depth_and_by_department(app, world, with_plugin):
    with_plugin(
        "blocks",
        [
            stock("TT_DIRECT_BRANCHES", measures.organisations(kinds=("branch",), depth=1)),
            stock("TT_DEPT_BRANCHES", measures.organisations(kinds=("branch",), in_department=True)),
            stock("TT_OTHER_BRANCHES", measures.organisations(kinds=("branch",), in_department=False)),
        ],
    )
    with app.app_context():
        r = world["committee"]
        db.session.get(PartyOrganization, world["org_a"]).department = "内科"
        db.session.commit()
        general = organisation("G", "general_branch", r)
        organisation("C", "branch", general, department="外科")  # two levels below R
        organisation("E", "branch", r, department="儿科", dissolved_on=D(2024, 1, 1))
        # all branches A, B, C; one level below R A, B; in a department A, C; not B
        check(
            report("blocks", r, "202403"), PB_BRANCHES=3, TT_DIRECT_BRANCHES=2, TT_DEPT_BRANCHES=2, TT_OTHER_BRANCHES=1
        )
        assert report("blocks", general, "202403")["TT_DIRECT_BRANCHES"] == 1  # C, one below G


def test_communities_led_from_the_subtree_and_their_distinct_member_units(app, world, with_plugin):
    with_plugin(
        "blocks",
        [
            stock("TT_COMMUNITIES", measures.communities(kind="county_community")),
            stock("TT_UNITS", measures.community_members(kind="county_community")),
            stock(
                "TT_COMPREHENSIVE_UNITS",
                measures.community_members(kind="county_community", lead_org_kinds=("comprehensive_committee",)),
            ),
            stock("TT_CONSORTIA", measures.communities(kind="consortium")),
        ],
    )
    with app.app_context():
        region = db.session.get(Institution, world["hospital"]).region_id
        units = save(*(Institution(name=f"卫生院{n}", kind="township_centre", region_id=region) for n in range(4)))

        def community(name, lead, members, founded, kind="county_community"):
            return MedicalCommunity(
                name=name,
                kind=kind,
                region_id=region,
                lead_institution_id=lead,
                founded_on=founded,
                members=list(members),
            )

        save(
            community("三月医共体", world["hospital"], units[0:2], D(2024, 3, 31)),
            community("四月医共体", world["hospital"], units[1:3], D(2024, 4, 1)),
            community("别处医共体", world["other_hospital"], units[3:4], None),
            community("医联体", world["hospital"], units, None, kind="consortium"),
        )
        check(
            report("blocks", world["committee"], "202403"),
            TT_COMMUNITIES=1,
            TT_UNITS=2,
            TT_COMPREHENSIVE_UNITS=0,
            TT_CONSORTIA=1,
        )
        check(
            report("blocks", world["committee"], "202404"),
            TT_COMMUNITIES=2,
            TT_UNITS=3,
            TT_COMPREHENSIVE_UNITS=0,
            TT_CONSORTIA=1,
        )
        # a branch of the lead hospital is led from too; X's hospital leads only its own
        assert report("blocks", world["org_a"], "202404")["TT_COMMUNITIES"] == 2
        assert report("blocks", world["org_x"], "202404")["TT_COMMUNITIES"] == 1


def test_alliances_teams_branch_brands_and_named_venues(app, world, with_plugin):
    with_plugin(
        "blocks",
        [
            stock("TT_ALLIANCES", measures.alliances()),
            stock("TT_VOLUNTEER_ALLIANCES", measures.alliances(scope="volunteer_service")),
            stock("TT_TEAMS", measures.volunteer_teams(name_like="「健康」%")),
            stock("TT_VOLUNTEERS", measures.volunteers()),
            stock("TT_BRANCH_BRANDS", measures.brands(owner_kinds=measures.BRANCH_KINDS)),
            stock("TT_STATIONS", measures.venues(kind="station", name_like="%驿站")),
        ],
    )
    with app.app_context():
        a, r, hospital, other = world["org_a"], world["committee"], world["hospital"], world["other_hospital"]
        save(
            Alliance(
                name="三月联盟",
                organisation_id=a,
                institution_id=hospital,
                partner_institution_id=other,
                scope="expert_workstation",
                signed_on=D(2024, 3, 31),
            ),
            Alliance(
                name="四月联盟",
                organisation_id=a,
                institution_id=hospital,
                partner_institution_id=other,
                scope="volunteer_service",
                signed_on=D(2024, 4, 1),
            ),
            VolunteerTeam(organisation_id=a, name="「健康」服务队", headcount=7, founded_on=D(2024, 4, 1)),
            Brand(organisation_id=r, name="党委品牌"),
            Venue(organisation_id=a, name="暖心驿站", kind="station"),
            Venue(organisation_id=a, name="医务台", kind="station"),
        )
        check(
            report("blocks", r, "202403"),
            TT_ALLIANCES=1,
            TT_VOLUNTEER_ALLIANCES=0,
            TT_TEAMS=0,
            TT_VOLUNTEERS=20,
            TT_BRANCH_BRANDS=2,
            TT_STATIONS=1,
        )
        check(
            report("blocks", r, "202404"),
            TT_ALLIANCES=2,
            TT_VOLUNTEER_ALLIANCES=1,
            TT_TEAMS=1,
            TT_VOLUNTEERS=27,
            TT_BRANCH_BRANDS=2,
            TT_STATIONS=1,
        )
        assert report("blocks", r, "202404")["PB_BRANDS"] == 3
