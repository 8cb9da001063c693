"""``DemoLoader``: how plugins write their demo data, idempotently.

Every method upserts by a natural key (a code, or a name within its owner), sets only the
values that differ, and returns the row, so running ``seed-demo`` twice changes nothing.
People are synthetic (pbadmin.demo.people): never real persons from the articles.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from pbadmin.demo.people import synthetic_person
from pbadmin.extensions import db
from pbadmin.models import (
    Activity,
    ActivityType,
    Alliance,
    Attendance,
    Brand,
    CommitteeSeat,
    Donation,
    Honor,
    Institution,
    MedicalCommunity,
    Member,
    Pairing,
    PairingReport,
    PartyOrganization,
    Rectification,
    Region,
    Venue,
    VolunteerTeam,
)
from pbadmin.models.base import assign_changed
from pbadmin.security.crypto import blind_index


def upsert(model, key: dict, values: dict):
    """Find the row by ``key`` or create it; set only the values that differ."""
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        return row
    assign_changed(row, values)
    return row


class DemoLoader:
    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        #: periods whose reports ``seed-demo`` builds and queues after loading (the article's period)
        self.report_periods: list[str] = []

    # --- places and institutions -------------------------------------------------------
    def region(self, code: str, name: str, level: str, parent: str | None = None) -> Region:
        return upsert(Region, {"code": code}, {"name": name, "level": level, "parent": self._region(parent)})

    def institution(self, name: str, kind: str, region: str) -> Institution:
        region_row = self._region(region)
        return upsert(Institution, {"region_id": region_row.id, "name": name}, {"kind": kind})

    def community(
        self,
        name: str,
        kind: str,
        region: str,
        lead: str,
        members: list[str] = (),
        founded_on: dt.date | None = None,
    ) -> MedicalCommunity:
        row = upsert(
            MedicalCommunity,
            {"name": name},
            {
                "kind": kind,
                "region": self._region(region),
                "lead_institution": self._institution(lead),
                "founded_on": founded_on,
            },
        )
        wanted = [self._institution(member) for member in members]
        if set(row.members) != set(wanted):
            row.members = wanted
        return row

    # --- the organisation tree and its people ----------------------------------------------
    def organisation(
        self,
        code: str,
        name: str,
        kind: str,
        region: str,
        parent: str | None = None,
        institution: str | None = None,
        department: str | None = None,
        report_code: str | None = None,
        founded_on: dt.date | None = None,
        dissolved_on: dt.date | None = None,
    ) -> PartyOrganization:
        return upsert(
            PartyOrganization,
            {"code": code},
            {
                "name": name,
                "kind": kind,
                "parent": self.org(parent) if parent else None,
                "region": self._region(region),
                "institution": self._institution(institution) if institution else None,
                "department": department,
                "report_code": report_code,
                "founded_on": founded_on,
                "dissolved_on": dissolved_on,
            },
        )

    def members(
        self,
        org_code: str,
        count: int,
        probationary: int = 0,
        joined_on: dt.date | None = None,
        start: int = 0,
        admitted_before: dt.date | None = None,
    ) -> list[Member]:
        """``count`` synthetic members of the organisation; the last ``probationary`` of them are
        probationary; ``joined_on`` sets their admission date (new members of a period).

        ``admitted_before``: members who should count as long-standing. A synthetic admission date
        later than it (or missing) is replaced by birth date + 23 years 6 days, full membership a
        year after; worked out before the upsert so a reload changes nothing."""
        org = self.org(org_code)
        rows = []
        for index in range(start, start + count):
            person = synthetic_person(f"{self.plugin}:{org_code}", org.region.code, index)
            values = dict(person)
            is_probationary = index >= start + count - probationary
            values.update(
                organisation=org,
                institution=org.institution,
                department=org.department,
                status="probationary" if is_probationary else "full",
            )
            if joined_on is not None:
                values["admitted_on"] = joined_on
            if admitted_before is not None and (
                values["admitted_on"] is None or values["admitted_on"] > admitted_before
            ):
                values["admitted_on"] = values["birth_date"] + dt.timedelta(days=23 * 365 + 6)
                values["full_member_on"] = values["admitted_on"] + dt.timedelta(days=365)
            if is_probationary:
                values["full_member_on"] = None
            elif (
                values["full_member_on"] and values["admitted_on"] and values["full_member_on"] < values["admitted_on"]
            ):
                values["full_member_on"] = values["admitted_on"] + dt.timedelta(days=365)
            rows.append(upsert(Member, {"id_number_index": blind_index(person["id_number"])}, values))
        return rows

    def seat(self, org_code: str, member: Member, role: str) -> CommitteeSeat:
        """Seat ``member`` on the organisation's committee (secretary, deputy, member); a member
        already seated keeps their seat, so a reload adds nothing."""
        org = self.org(org_code)
        for seat in org.committee:
            if seat.member_id == member.id:
                return seat
        seat = CommitteeSeat(member=member, role=role)
        org.committee.append(seat)
        return seat

    def set(self, row, **values) -> None:
        """Set what a loader method does not take (e.g. a member's flags), assigning only the
        values that differ so a reload issues no UPDATE."""
        assign_changed(row, values)

    # --- brands, venues, teams ---------------------------------------------------------------
    def brand(self, name: str, org_code: str, description: str = "", launched_on: dt.date | None = None) -> Brand:
        return upsert(
            Brand,
            {"organisation_id": self.org(org_code).id, "name": name},
            {"description": description, "launched_on": launched_on, "plugin": self.plugin, "active": True},
        )

    def venue(
        self, name: str, kind: str, org_code: str, institution: str | None = None, opened_on: dt.date | None = None
    ) -> Venue:
        return upsert(
            Venue,
            {"organisation_id": self.org(org_code).id, "name": name},
            {
                "kind": kind,
                "institution": self._institution(institution) if institution else None,
                "opened_on": opened_on,
            },
        )

    def volunteer_team(
        self, name: str, org_code: str, headcount: int, brand: str | None = None, founded_on: dt.date | None = None
    ) -> VolunteerTeam:
        org = self.org(org_code)
        return upsert(
            VolunteerTeam,
            {"organisation_id": org.id, "name": name},
            {"headcount": headcount, "brand": self._brand(brand) if brand else None, "founded_on": founded_on},
        )

    # --- activities ------------------------------------------------------------------------------
    def activity(
        self,
        org_code: str,
        type_code: str,
        title: str,
        starts_at: dt.datetime,
        people_served: int = 0,
        volunteer_hours: float = 0,
        brand: str | None = None,
        venue: str | None = None,
        attendees: int = 0,
        place: str | None = None,
        extra_figures: dict | None = None,
    ) -> Activity:
        """An activity keyed by (organisation, title, start); the first ``attendees`` members of
        the organisation are marked present."""
        org = self.org(org_code)
        activity = upsert(
            Activity,
            {"organisation_id": org.id, "title": title, "starts_at": starts_at},
            {
                "activity_type": self._activity_type(type_code),
                "people_served": people_served,
                "volunteer_hours": Decimal(str(volunteer_hours)),
                "brand": self._brand(brand) if brand else None,
                "venue": self._venue(venue) if venue else None,
                "place": place,
                "extra_figures": extra_figures,
            },
        )
        if attendees:
            present = db.session.scalars(
                select(Member).where(Member.organisation_id == org.id).order_by(Member.id).limit(attendees)
            ).all()
            have = {row.member_id for row in activity.attendance}
            for member in present:
                if member.id not in have:
                    activity.attendance.append(Attendance(member=member, status="present"))
        return activity

    def attend(self, activity: Activity, members, status: str = "present") -> None:
        """Record attendance of any members, e.g. of other organisations at a joint meeting
        (``attendees`` only takes the activity's own); members already recorded are skipped."""
        have = {row.member_id for row in activity.attendance}
        for member in members:
            if member.id not in have:
                activity.attendance.append(Attendance(member=member, status=status))

    # --- cooperation and supervision --------------------------------------------------------------
    def pairing(
        self,
        helper: str,
        helped: str,
        started_on: dt.date,
        letter_signed_on: dt.date | None = None,
        goals: str = "",
        reports: dict[int, str] | None = None,
        status: str = "active",
    ) -> Pairing:
        row = upsert(
            Pairing,
            {"helper_id": self.org(helper).id, "helped_id": self.org(helped).id, "started_on": started_on},
            {"letter_signed_on": letter_signed_on, "goals": goals, "status": status},
        )
        for month, content in (reports or {}).items():
            submitted = dt.date(month // 100, month % 100, 28)
            upsert(
                PairingReport, {"pairing_id": row.id, "month": month}, {"content": content, "submitted_on": submitted}
            )
        return row

    def alliance(
        self,
        name: str,
        org_code: str,
        institution: str,
        partner: str,
        scope: str,
        signed_on: dt.date | None = None,
        description: str = "",
    ) -> Alliance:
        return upsert(
            Alliance,
            {
                "institution_id": self._institution(institution).id,
                "partner_institution_id": self._institution(partner).id,
                "scope": scope,
            },
            {"name": name, "organisation": self.org(org_code), "signed_on": signed_on, "description": description},
        )

    def rectification(
        self,
        org_code: str,
        problem: str,
        source: str,
        found_on: dt.date,
        deadline: dt.date,
        status: str = "open",
        closed_on: dt.date | None = None,
        measures: str = "",
        responsible: Member | None = None,
    ) -> Rectification:
        return upsert(
            Rectification,
            {"organisation_id": self.org(org_code).id, "problem": problem},
            {
                "source": source,
                "found_on": found_on,
                "deadline": deadline,
                "status": status,
                "closed_on": closed_on,
                "measures": measures,
                "responsible": responsible,
            },
        )

    def donation(
        self, org_code: str, month: int, amount, fund: str, member: Member | None = None, note: str | None = None
    ) -> Donation:
        key = {
            "organisation_id": self.org(org_code).id,
            "month": month,
            "fund": fund,
            "member_id": member.id if member else None,
        }
        if note is not None:
            key["note"] = note
        return upsert(Donation, key, {"amount": Decimal(str(amount))})

    def honor(
        self, org_code: str, title: str, level: str, issuer: str, awarded_on: dt.date, member: Member | None = None
    ) -> Honor:
        return upsert(
            Honor,
            {"organisation_id": self.org(org_code).id, "title": title},
            {"level": level, "issuer": issuer, "awarded_on": awarded_on, "member": member},
        )

    # --- reports ------------------------------------------------------------------------------
    def report(self, period: str) -> None:
        """Ask ``seed-demo`` to build and queue this period's reports (YYYYMM, YYYYQn or YYYY), so a
        newcomer sees the article's figures accepted by the (sandbox) gateway."""
        if period not in self.report_periods:
            self.report_periods.append(period)

    # --- look-ups ------------------------------------------------------------------------------
    def org(self, code: str) -> PartyOrganization:
        return self._get(PartyOrganization, code=code)

    def _region(self, code: str | None) -> Region | None:
        return self._get(Region, code=code) if code else None

    def _institution(self, name: str) -> Institution:
        return self._get(Institution, name=name)

    def _brand(self, name: str) -> Brand:
        return self._get(Brand, name=name, plugin=self.plugin)

    def _venue(self, name: str) -> Venue:
        return self._get(Venue, name=name)

    def _activity_type(self, code: str) -> ActivityType:
        return self._get(ActivityType, code=code)

    @staticmethod
    def _get(model, **key):
        row = db.session.scalar(select(model).filter_by(**key).limit(1))
        if row is None:
            raise LookupError(f"demo data refers to a missing {model.__name__}: {key}")
        return row
