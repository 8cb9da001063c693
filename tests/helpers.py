"""A small world to test against, and the chores of talking to CSRF-protected forms."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from pbadmin.audit import acting_as
from pbadmin.demo.people import synthetic_person
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Attendance,
    Brand,
    Donation,
    Honor,
    Institution,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Region,
    User,
    Venue,
    VolunteerTeam,
)
from pbadmin.security.roles import ensure_roles

PASSWORD = "correct horse battery"


@dataclass
class World:
    """Ids of everything build_world made, by a short name."""

    ids: dict

    def __getitem__(self, key):
        return self.ids[key]


def csrf_token(client, url: str) -> str:
    """The token of the page's main form: the last one, after the navbar's logout form."""
    page = client.get(url)
    body = page.get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', body) or re.findall(
        r'value="([^"]+)"[^>]*name="csrf_token"', body
    )
    assert tokens, f"no CSRF token on {url} (status {page.status_code})"
    return tokens[-1]


def submit(client, url: str, data: dict, form_url: str | None = None):
    """POST a form the way a browser would: with the token from the page that shows it."""
    payload = {"csrf_token": csrf_token(client, form_url or url)}
    payload.update(data)
    return client.post(url, data=payload)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def wait_until(condition, timeout: float, what: str, interval: float = 0.05) -> None:
    """Wait for an event (a condition polled every ``interval``), never for a fixed time: a loaded
    machine makes the event later, not the test wrong. ``timeout`` only bounds a hang."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def build_world() -> World:
    """Region 331004 with committee R over branches A and B; users for every role.

    staff_a / viewer_a hold branch A only; staff_r holds committee R (A and B); nogrant holds nothing;
    region_admin holds region 331004. Region 510114 has its own committee X (outside region_admin's region).
    """
    ids: dict = {}
    with acting_as("test-setup"):
        roles = ensure_roles()
        province = Region(code="330000", name="浙江省", level="province")
        county = Region(code="331004", name="路桥区", level="county", parent=province)
        other = Region(code="510114", name="新都区", level="county")
        db.session.add_all([province, county, other])
        db.session.flush()
        hospital = Institution(name="区中医院", kind="tcm_hospital", region=county)
        other_hospital = Institution(name="新都区人民医院", kind="county_hospital", region=other)
        db.session.add_all([hospital, other_hospital])
        db.session.flush()
        committee = PartyOrganization(
            code="R", name="区中医院党委", kind="committee", region=county, institution=hospital
        )
        db.session.add(committee)
        db.session.flush()
        branch_a = PartyOrganization(
            code="A", name="内科党支部", kind="branch", parent=committee, region=county, institution=hospital
        )
        branch_b = PartyOrganization(
            code="B", name="外科党支部", kind="branch", parent=committee, region=county, institution=hospital
        )
        far = PartyOrganization(
            code="X", name="新都区人民医院党委", kind="committee", region=other, institution=other_hospital
        )
        db.session.add_all([branch_a, branch_b, far])
        db.session.flush()
        types = {}
        for code, name, category, kind in (
            ("SHYK_GENERAL", "支部党员大会", "shyk", "general"),
            ("SHYK_COMMITTEE", "支委会", "shyk", "committee"),
            ("THEME_DAY", "主题党日", "theme_day", None),
        ):
            types[code] = ActivityType(code=code, name=name, category=category, shyk_kind=kind)
        db.session.add_all(types.values())
        db.session.flush()
        for label, org in (("a", branch_a), ("b", branch_b), ("x", far)):
            members = []
            for index in range(3):
                person = synthetic_person(f"world:{label}", "331004", index)
                person["name"] = f"党员{label.upper()}{index}"
                member = Member(organisation=org, institution=hospital if label != "x" else other_hospital, **person)
                db.session.add(member)
                members.append(member)
            db.session.flush()
            brand = Brand(name=f"品牌{label.upper()}", organisation=org)
            venue = Venue(name=f"党员活动室{label.upper()}", kind="activity_room", organisation=org)
            team = VolunteerTeam(name=f"志愿服务队{label.upper()}", organisation=org, headcount=10, members=members[:2])
            activity = Activity(
                organisation=org,
                activity_type=types["THEME_DAY"],
                title=f"主题党日{label.upper()}",
                starts_at=dt.datetime(2024, 3, 5, 9, 0),
                people_served=12,
                volunteer_hours=3,
            )
            db.session.add_all([brand, venue, team, activity])
            db.session.flush()
            attendance = Attendance(activity=activity, member=members[0], status="present")
            rectification = Rectification(
                organisation=org,
                problem=f"问题{label.upper()}",
                source="inspection",
                responsible=members[1],
                found_on=dt.date(2024, 1, 2),
                deadline=dt.date(2024, 3, 1),
                status="open",
            )
            donation = Donation(organisation=org, member=members[0], month=202403, amount=10, fund="杏林帮扶爱心基金")
            honor = Honor(
                organisation=org,
                title=f"先进基层党组织{label.upper()}",
                level="city",
                issuer="市委",
                awarded_on=dt.date(2023, 7, 1),
            )
            db.session.add_all([attendance, rectification, donation, honor])
            db.session.flush()
            ids.update(
                {
                    f"org_{label}": org.id,
                    f"member_{label}": members[0].id,
                    f"member2_{label}": members[1].id,
                    f"brand_{label}": brand.id,
                    f"venue_{label}": venue.id,
                    f"team_{label}": team.id,
                    f"activity_{label}": activity.id,
                    f"attendance_{label}": attendance.id,
                    f"rectification_{label}": rectification.id,
                    f"donation_{label}": donation.id,
                    f"honor_{label}": honor.id,
                }
            )
        pairing = Pairing(helper=branch_a, helped=far, started_on=dt.date(2024, 1, 1), status="active")
        pairing_b = Pairing(helper=branch_b, helped=far, started_on=dt.date(2024, 1, 1), status="active")
        db.session.add_all([pairing, pairing_b])
        db.session.flush()
        report_b = PairingReport(
            pairing=pairing_b, month=202402, content="二月帮扶情况", submitted_on=dt.date(2024, 3, 1)
        )
        db.session.add(report_b)
        users = {
            "root": ("superadmin", [], []),
            "region_admin": ("region_admin", [], [county]),
            "staff_a": ("staff", [branch_a], []),
            "viewer_a": ("viewer", [branch_a], []),
            "staff_b": ("staff", [branch_b], []),
            # a grant on the committee covers both of its branches
            "staff_r": ("staff", [committee], []),
            # no grants at all: sees nothing
            "nogrant": ("staff", [], []),
        }
        for username, (role, orgs, regions) in users.items():
            user = User(username=username, role=roles[role], organisations=orgs, regions=regions)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.flush()
        ids.update(
            {
                "region": county.id,
                "other_region": other.id,
                "hospital": hospital.id,
                "other_hospital": other_hospital.id,
                "committee": committee.id,
                "pairing_a": pairing.id,
                "pairing_b": pairing_b.id,
                "report_b": report_b.id,
                "type_theme": types["THEME_DAY"].id,
                "type_general": types["SHYK_GENERAL"].id,
            }
        )
        db.session.commit()
    return World(ids)
