"""Each section of the ledger page holds the organisation subtree's records of the year, and only those."""

from __future__ import annotations

from tests.ledger.helpers import id_number_of, ledger_url, row, row_ids, section


def page(client, org, year=2024) -> str:
    answer = client.get(ledger_url(org, year))
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_member_roster_holds_the_subtree_and_no_one_else(superadmin_client, ledger_world):
    members = section(page(superadmin_client, ledger_world["org_a"]), "members")
    assert {ledger_world["member_a"], ledger_world["member2_a"], ledger_world["sub_member"]} <= row_ids(members)
    assert ledger_world["member_b"] not in row_ids(members)
    assert ledger_world["member_x"] not in row_ids(members)
    assert "内科临时党支部" in row(members, ledger_world["sub_member"])


def test_member_admitted_after_the_year_is_not_on_its_roster(superadmin_client, ledger_world):
    assert ledger_world["late_member"] not in row_ids(
        section(page(superadmin_client, ledger_world["org_a"]), "members")
    )
    later = section(page(superadmin_client, ledger_world["org_a"], 2025), "members")
    assert ledger_world["late_member"] in row_ids(later)


def test_meetings_show_who_was_present_on_leave_and_absent(superadmin_client, ledger_world):
    meetings = section(page(superadmin_client, ledger_world["org_a"]), "meetings")
    line = row(meetings, ledger_world["meeting"])
    cells = line.split("<td")
    present, leave, absent = cells[-3], cells[-2], cells[-1]
    assert "1：党员A0" in present
    assert "1：党员A1" in leave
    assert "1：临时支部党员" in absent
    assert "2024-05-10 14:30" in line and "支委会" in line


def test_meetings_of_another_year_or_organisation_are_absent(superadmin_client, ledger_world):
    meetings = section(page(superadmin_client, ledger_world["org_a"]), "meetings")
    assert row_ids(meetings) == {ledger_world["activity_a"], ledger_world["meeting"]}
    last_year = section(page(superadmin_client, ledger_world["org_a"], 2023), "meetings")
    assert row_ids(last_year) == {ledger_world["old_meeting"]}


def test_other_activities_hold_service_with_people_served_and_hours(superadmin_client, ledger_world):
    body = page(superadmin_client, ledger_world["org_a"])
    activities = section(body, "activities")
    assert row_ids(activities) == {ledger_world["service"]}
    line = row(activities, ledger_world["service"])
    assert "社区义诊" in line and "义诊" in line and "品牌A" in line and ">30<" in line and ">2.5<" in line
    assert ledger_world["service"] not in row_ids(section(body, "meetings"))


def test_pairings_list_the_reports_of_the_year_only(superadmin_client, ledger_world):
    pairings = section(page(superadmin_client, ledger_world["org_a"]), "pairings")
    assert row_ids(pairings) == {ledger_world["pairing_a"]}
    line = row(pairings, ledger_world["pairing_a"])
    assert "新都区人民医院党委" in line and "帮助新都区提升党建水平" in line
    assert "五月帮扶情况" in line and "2024-05" in line
    assert "上年十二月情况" not in line


def test_pairing_of_a_branch_outside_the_subtree_is_absent(superadmin_client, ledger_world):
    pairings = section(page(superadmin_client, ledger_world["org_b"]), "pairings")
    assert row_ids(pairings) == {ledger_world["pairing_b"]}
    assert "二月帮扶情况" in pairings


def test_rectifications_keep_what_was_open_during_the_year(superadmin_client, ledger_world):
    rectifications = section(page(superadmin_client, ledger_world["org_a"]), "rectifications")
    assert "问题A" in rectifications and "上年遗留问题" in rectifications
    assert "上年已整改问题" not in rectifications
    assert "下年度问题" not in rectifications
    assert "问题B" not in rectifications


def test_committee_ledger_covers_both_branches(superadmin_client, ledger_world):
    body = page(superadmin_client, ledger_world["committee"])
    assert {ledger_world["member_a"], ledger_world["member_b"]} <= row_ids(section(body, "members"))
    assert {ledger_world["pairing_a"], ledger_world["pairing_b"]} == row_ids(section(body, "pairings"))
    assert ledger_world["member_x"] not in row_ids(section(body, "members"))


def test_id_numbers_are_masked_even_for_a_user_who_may_see_them(app, superadmin_client, ledger_world):
    members = section(page(superadmin_client, ledger_world["org_a"]), "members")
    number = id_number_of(app, ledger_world["member_a"])
    assert number not in members
    line = row(members, ledger_world["member_a"])
    assert f"{number[:4]}{'*' * 10}{number[-4:]}" in line


def test_id_numbers_are_masked_for_staff(app, staff_a_client, ledger_world):
    body = page(staff_a_client, ledger_world["org_a"])
    for key in ("member_a", "member2_a", "sub_member"):
        assert id_number_of(app, ledger_world[key]) not in body
    assert "**********" in section(body, "members")
