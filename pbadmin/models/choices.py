"""Closed sets of codes stored as short strings, each with a translatable label.

Codes are stable English words (what the database and the provincial reports see);
labels are msgids translated by Flask-Babel (Chinese by default).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint


class Choices:
    def __init__(self, *pairs: tuple[str, object]) -> None:
        self.pairs = pairs
        self._labels = dict(pairs)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.pairs)

    def label(self, code: str | None) -> str:
        return str(self._labels.get(code, code or ""))

    def check(self, column: str, name: str) -> CheckConstraint:
        """A CHECK constraint that keeps the column inside this set."""
        quoted = ", ".join(f"'{code}'" for code in self.codes)
        return CheckConstraint(f"{column} IN ({quoted})", name=name)


REGION_LEVELS = Choices(("province", _l("Province")), ("city", _l("City")), ("county", _l("County")))

INSTITUTION_KINDS = Choices(
    ("county_hospital", _l("County hospital")),
    ("tcm_hospital", _l("TCM hospital")),
    ("general_hospital", _l("General hospital")),
    ("township_centre", _l("Township health centre")),
    ("community_centre", _l("Community health service centre")),
    ("private_hospital", _l("Private hospital")),
    ("bureau", _l("Bureau organ")),
)

COMMUNITY_KINDS = Choices(
    ("county_community", _l("County medical community")),
    ("consortium", _l("Medical consortium")),
    ("specialty_alliance", _l("Specialty alliance")),
    ("trusteeship", _l("Trusteeship")),
)

ORG_KINDS = Choices(
    ("working_committee", _l("Working committee")),
    ("committee", _l("Party committee")),
    ("comprehensive_committee", _l("Comprehensive committee")),
    ("general_branch", _l("General branch")),
    ("branch", _l("Party branch")),
    ("temporary_branch", _l("Temporary branch")),
)
BRANCH_KINDS = ("branch", "temporary_branch")
COMMITTEE_KINDS = ("committee", "comprehensive_committee", "general_branch")

COMMITTEE_ROLES = Choices(
    ("secretary", _l("Secretary")),
    ("deputy_secretary", _l("Deputy secretary")),
    ("member", _l("Committee member")),
)

GENDERS = Choices(("male", _l("Male")), ("female", _l("Female")))

MEMBER_STATUSES = Choices(
    ("full", _l("Full member")),
    ("probationary", _l("Probationary member")),
    ("transferred", _l("Transferred out")),
    ("suspended", _l("Membership suspended")),
    ("deceased", _l("Deceased")),
)
ACTIVE_MEMBER_STATUSES = ("full", "probationary")

EDUCATION_LEVELS = Choices(
    ("postgraduate", _l("Postgraduate")),
    ("bachelor", _l("Bachelor")),
    ("college", _l("Junior college")),
    ("secondary", _l("Secondary school")),
    ("other", _l("Other")),
)

ACTIVITY_CATEGORIES = Choices(
    ("shyk", _l("Three meetings and one lesson")),
    ("theme_day", _l("Themed party day")),
    ("service", _l("Service")),
    ("study", _l("Study")),
    ("other", _l("Other")),
)

SHYK_KINDS = Choices(
    ("general", _l("Branch general meeting")),
    ("committee", _l("Branch committee meeting")),
    ("group", _l("Party group meeting")),
    ("lecture", _l("Party lecture")),
)

ATTENDANCE_STATUSES = Choices(("present", _l("Present")), ("leave", _l("On leave")), ("absent", _l("Absent")))

VENUE_KINDS = Choices(
    ("activity_room", _l("Member activity room")),
    ("station", _l("Service station")),
    ("expert_studio", _l("Expert studio")),
    ("other", _l("Other")),
)

PAIRING_STATUSES = Choices(("active", _l("In progress")), ("completed", _l("Completed")), ("ended", _l("Ended")))

ALLIANCE_SCOPES = Choices(
    ("expert_workstation", _l("Expert workstation moved to the grassroots")),
    ("volunteer_service", _l("Volunteer service")),
    ("shared_platform", _l("Shared party-building platform")),
    ("comprehensive", _l("Comprehensive")),
)

RECTIFICATION_SOURCES = Choices(
    ("joint_meeting", _l("Joint meeting")),
    ("inspection", _l("Supervision and inspection")),
    ("public_feedback", _l("Public feedback")),
    ("self_check", _l("Self-inspection")),
)

RECTIFICATION_STATUSES = Choices(("open", _l("Open")), ("in_progress", _l("In progress")), ("closed", _l("Closed")))

HONOR_LEVELS = Choices(
    ("national", _l("National")),
    ("provincial", _l("Provincial")),
    ("city", _l("City")),
    ("county", _l("County")),
    ("institution", _l("Institution")),
)

COLLISION_STATUSES = Choices(
    ("open", _l("Awaiting resolution")),
    ("transferred", _l("Transferred here")),
    ("resolved", _l("Resolved")),
)

COLLISION_SOURCES = Choices(("form", _l("Form")), ("import", _l("Import")))
