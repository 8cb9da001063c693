"""Who may read which ledger, what bad parameters get, and the print stylesheet."""

from __future__ import annotations

import re

import pytest

from pbadmin.dashboard import clock
from tests.ledger.helpers import ledger_url, row_ids, section


def picker(body: str) -> set[str]:
    """The organisation names the picker offers."""
    select = re.search(r'<select[^>]*id="pb-ledger-org".*?</select>', body, re.S).group(0)
    return {name.strip("　") for name in re.findall(r"<option[^>]*>([^<（]+)（", select)}


def test_staff_of_branch_a_asking_for_branch_b_gets_not_found(staff_a_client, world):
    assert staff_a_client.get(ledger_url(world["org_b"])).status_code == 404


def test_staff_cannot_read_the_committee_above_their_branch(staff_a_client, world):
    assert staff_a_client.get(ledger_url(world["committee"])).status_code == 404


def test_staff_cannot_download_another_branch_ledger(staff_a_client, world):
    assert staff_a_client.get(ledger_url(world["org_b"], export=True)).status_code == 404


def test_region_admin_cannot_read_an_organisation_of_another_region(region_admin_client, world):
    assert region_admin_client.get(ledger_url(world["org_x"])).status_code == 404
    assert region_admin_client.get(ledger_url(world["committee"])).status_code == 200


def test_picker_lists_only_organisations_in_scope(staff_a_client, ledger_world):
    body = staff_a_client.get(ledger_url()).get_data(as_text=True)
    assert picker(body) == {"内科党支部", "内科临时党支部"}


def test_region_admin_picker_leaves_out_other_regions(region_admin_client, world):
    body = region_admin_client.get(ledger_url()).get_data(as_text=True)
    assert picker(body) == {"区中医院党委", "内科党支部", "外科党支部"}


def test_ledger_without_parameters_shows_the_first_organisation_in_scope_this_year(staff_a_client, world):
    answer = staff_a_client.get("/admin/ledger/")
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert f'<option value="{world["org_a"]}" selected>' in body
    assert f'value="{clock.today().year}"' in body


def test_scope_cuts_a_subtree_that_reaches_into_another_region(app, region_admin_client, superadmin_client, world):
    """A branch of another region below the committee is in its ledger for the superadmin only."""
    from pbadmin.audit import acting_as
    from pbadmin.extensions import db
    from pbadmin.models import Member, PartyOrganization

    with app.app_context(), acting_as("test-setup"):
        outside = PartyOrganization(
            code="R-X", name="外区党支部", kind="branch", parent_id=world["committee"], region_id=world["other_region"]
        )
        db.session.add(outside)
        db.session.flush()
        member = Member(name="外区党员", gender="male", organisation=outside, status="full")
        db.session.add(member)
        db.session.commit()
        member_id = member.id
    for_root = section(superadmin_client.get(ledger_url(world["committee"])).get_data(as_text=True), "members")
    for_region = section(region_admin_client.get(ledger_url(world["committee"])).get_data(as_text=True), "members")
    assert member_id in row_ids(for_root)
    assert member_id not in row_ids(for_region)


def test_viewer_may_download_the_ledger(viewer_a_client, world):
    answer = viewer_a_client.get(ledger_url(world["org_a"], export=True))
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    answer = client.get(ledger_url(world["org_a"]))
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


@pytest.mark.parametrize("org", ["999999", "abc", "-1", "", "99999999999999999999", "１"])
def test_unknown_or_malformed_organisation_is_not_found(superadmin_client, world, org):
    assert superadmin_client.get(ledger_url(org)).status_code == 404
    assert superadmin_client.get(ledger_url(org, export=True)).status_code == 404


@pytest.mark.parametrize("year", ["abc", "99999", "1800", "2024.5", "99999999999999999999"])
def test_bad_year_shows_this_year_with_a_message(superadmin_client, world, year):
    answer = superadmin_client.get(ledger_url(world["org_a"], year))
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "alert-danger" in body and "1921" in body
    assert f'id="pb-ledger-year"\n         value="{clock.today().year}"' in body


@pytest.mark.parametrize("year", ["abc", "1800"])
def test_bad_year_download_is_not_found(superadmin_client, world, year):
    assert superadmin_client.get(ledger_url(world["org_a"], year, export=True)).status_code == 404


def test_download_needs_an_organisation(superadmin_client, world):
    assert superadmin_client.get("/admin/ledger/export.xlsx").status_code == 404


def test_page_links_the_print_stylesheet(superadmin_client, world):
    body = superadmin_client.get(ledger_url(world["org_a"])).get_data(as_text=True)
    link = re.search(r'<link[^>]*id="pb-ledger-print-css"[^>]*>', body).group(0)
    assert 'media="print"' in link
    href = re.search(r'href="([^"]+)"', link).group(1)
    css = superadmin_client.get(href)
    assert css.status_code == 200
    text = css.get_data(as_text=True)
    page_rule = re.search(r"@page\s*\{[^}]*\}", text).group(0)
    assert re.search(r"size:\s*A4", page_rule)
    assert re.search(r"nav\.navbar[^{]*\{\s*display:\s*none", text)
    assert re.search(r"thead\s*\{\s*display:\s*table-header-group", text)
