"""The test world plus a year's worth of ledger records in branch A, around and outside 2024.

Branch A gets a temporary branch below it (so "the subtree" means something), a committee
meeting with one member present, one on leave and one absent, a service activity, a member
admitted after 2024, records of 2023 and 2025 that a 2024 ledger must leave out, and a
rectification found in 2023 but still open in 2024, which it must keep.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pbadmin.audit import acting_as
from pbadmin.demo.people import synthetic_person
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Attendance,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
)


def _member(label: str, index: int, organisation, **extra) -> Member:
    person = synthetic_person(f"ledger:{label}", "331004", index)
    person.update(extra)
    return Member(organisation=organisation, institution_id=organisation.institution_id, **person)


@pytest.fixture
def ledger_world(app, world):
    ids = dict(world.ids)
    with app.app_context(), acting_as("test-setup"):
        branch_a = db.session.get(PartyOrganization, world["org_a"])
        temporary = PartyOrganization(
            code="A-T",
            name="内科临时党支部",
            kind="temporary_branch",
            parent=branch_a,
            region_id=branch_a.region_id,
            institution_id=branch_a.institution_id,
        )
        db.session.add(temporary)
        db.session.flush()
        sub_member = _member("t", 0, temporary, name="临时支部党员")
        late_member = _member("late", 0, branch_a, name="新党员", admitted_on=dt.date(2025, 3, 1), full_member_on=None)
        db.session.add_all([sub_member, late_member])
        shyk_committee = db.session.scalar(db.select(ActivityType).where(ActivityType.code == "SHYK_COMMITTEE"))
        clinic = ActivityType(code="FREE_CLINIC", name="义诊", category="service")
        db.session.add(clinic)
        db.session.flush()
        meeting = Activity(
            organisation=branch_a,
            activity_type=shyk_committee,
            title="五月支委会",
            place="党员活动室A",
            starts_at=dt.datetime(2024, 5, 10, 14, 30),
        )
        service = Activity(
            organisation=temporary,
            activity_type=clinic,
            brand_id=world["brand_a"],
            title="社区义诊",
            starts_at=dt.datetime(2024, 6, 1, 8, 0),
            people_served=30,
            volunteer_hours=Decimal("2.5"),
        )
        old_meeting = Activity(
            organisation=branch_a,
            activity_type=shyk_committee,
            title="上年度支委会",
            starts_at=dt.datetime(2023, 12, 31, 23, 30),
        )
        next_meeting = Activity(
            organisation=branch_a,
            activity_type=shyk_committee,
            title="下年度支委会",
            starts_at=dt.datetime(2025, 1, 1, 0, 0),
        )
        db.session.add_all([meeting, service, old_meeting, next_meeting])
        db.session.flush()
        db.session.add_all(
            [
                Attendance(activity=meeting, member_id=world["member_a"], status="present"),
                Attendance(activity=meeting, member_id=world["member2_a"], status="leave"),
                Attendance(activity=meeting, member=sub_member, status="absent"),
            ]
        )
        pairing = db.session.get(Pairing, world["pairing_a"])
        pairing.goals = "帮助新都区提升党建水平"
        db.session.add_all(
            [
                PairingReport(pairing=pairing, month=202405, content="五月帮扶情况", submitted_on=dt.date(2024, 6, 3)),
                PairingReport(
                    pairing=pairing, month=202312, content="上年十二月情况", submitted_on=dt.date(2024, 1, 5)
                ),
            ]
        )
        carried = Rectification(
            organisation=temporary,
            problem="上年遗留问题",
            source="joint_meeting",
            found_on=dt.date(2023, 11, 1),
            deadline=dt.date(2024, 2, 1),
            status="in_progress",
        )
        closed_before = Rectification(
            organisation=branch_a,
            problem="上年已整改问题",
            source="self_check",
            found_on=dt.date(2023, 1, 5),
            deadline=dt.date(2023, 3, 1),
            status="closed",
            closed_on=dt.date(2023, 2, 20),
        )
        found_later = Rectification(
            organisation=branch_a,
            problem="下年度问题",
            source="inspection",
            found_on=dt.date(2025, 2, 1),
            deadline=dt.date(2025, 4, 1),
            status="open",
        )
        db.session.add_all([carried, closed_before, found_later])
        db.session.flush()
        ids.update(
            {
                "temporary": temporary.id,
                "sub_member": sub_member.id,
                "late_member": late_member.id,
                "meeting": meeting.id,
                "service": service.id,
                "old_meeting": old_meeting.id,
            }
        )
        db.session.commit()
    return ids
