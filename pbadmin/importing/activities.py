"""Activities with their attendance: each row a meeting or activity, found again by what identifies it.

The natural key is (organisation, activity type, title, start time): importing last quarter's
meetings again updates them instead of adding copies. When the file has an attendance column
(参加人员 or 请假人员), the activity's attendance becomes exactly the file's; people are named by
name or ID number and must be exactly one member of the activity's organisation subtree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from pbadmin.extensions import db
from pbadmin.importing.columns import ACTIVITY_COLUMNS
from pbadmin.importing.lookups import ActivityTypes, Brands, Organisations, People
from pbadmin.importing.pipeline import Importer, RowInput
from pbadmin.importing.problems import N_, Invalid, mask_value
from pbadmin.importing.values import parse_time_or_datetime, split_people
from pbadmin.models import Activity, Attendance
from pbadmin.models.base import assign_changed

ATTENDANCE_FIELDS = ("present", "leave")
SCALAR_FIELDS = ("ends_at", "place", "content", "people_served", "volunteer_hours", "brand_id")
DEFAULTS = {"people_served": 0, "volunteer_hours": Decimal("0")}
FLUSH_EVERY = 200

Key = tuple[int, int, str, dt.datetime]


@dataclass
class ActivityPlan:
    row: int
    key: Key
    values: dict
    #: member id -> status, when the file gives the attendance
    attendance: dict[int, str] | None = None
    activity_id: int | None = None


class ActivityImporter(Importer):
    kind = "activities"
    columns = ACTIVITY_COLUMNS

    def __init__(self, target, scope) -> None:
        super().__init__(target, scope)
        self.organisations = Organisations(target, scope)
        self.types = ActivityTypes()
        self.brands = Brands(self.organisations)
        self.people = People(self.organisations)
        self.first_row_of: dict[Key, int] = {}
        self.plan: list[ActivityPlan] = []

    @property
    def has_attendance(self) -> bool:
        return any(name in self.present for name in ATTENDANCE_FIELDS)

    # --- checks -----------------------------------------------------------------------------
    def check_rows(self, rows: list[RowInput]) -> None:
        keyed: list[tuple[RowInput, Key]] = []
        for row in rows:
            key = self._check_row(row)
            if key is not None:
                keyed.append((row, key))
        existing = self._existing([key for _, key in keyed])
        for row, key in keyed:
            matches = existing.get(key, [])
            if len(matches) > 1:
                row.fail(
                    self.column("title"),
                    Invalid(
                        N_(
                            "several activities in the database have this organisation, type, title and start; "
                            "merge them in the admin first"
                        )
                    ),
                )
            elif not row.problems:
                self._plan(row, key, matches[0] if matches else None)

    def _check_row(self, row: RowInput) -> Key | None:
        for name, resolve in (("organisation", self.organisations.resolve), ("activity_type", self.types.resolve)):
            if name in row.values:
                try:
                    row.values[f"{name}_id"] = resolve(row.values[name])
                except Invalid as error:
                    row.fail(self.column(name), error)
        if "ends_at" in row.values and "starts_at" not in row.failed:  # a bad start is reported once, not twice
            start = row.values["starts_at"].date() if row.ok("starts_at") else None
            try:
                row.values["ends_at"] = parse_time_or_datetime(row.values["ends_at"], start)
            except Invalid as error:
                row.fail(self.column("ends_at"), error)
            else:
                if row.ok("starts_at") and row.values["ends_at"] < row.values["starts_at"]:
                    row.fail(self.column("ends_at"), Invalid(N_("the end is earlier than the start")))
        org_ok = row.ok("organisation_id")
        if "brand" in row.values and org_ok:
            try:
                row.values["brand_id"] = self.brands.resolve(row.values["brand"], row.values["organisation_id"])
            except Invalid as error:
                row.fail(self.column("brand"), error)
        if org_ok:
            self._check_people(row)
        if not row.ok("organisation_id", "activity_type_id", "title", "starts_at"):
            return None
        key = (
            row.values["organisation_id"],
            row.values["activity_type_id"],
            row.values["title"],
            row.values["starts_at"],
        )
        first = self.first_row_of.setdefault(key, row.number)
        if first != row.number:
            row.fail(
                self.column("title"),
                Invalid(
                    N_("the same activity (organisation, type, title and start) is already on row %(first)s"),
                    first=first,
                ),
            )
            return None
        return key

    def _check_people(self, row: RowInput) -> None:
        org_id = row.values["organisation_id"]
        org_name = self.organisations.by_id[org_id].name
        attendance: dict[int, str] = {}
        for name, status in (("present", "present"), ("leave", "leave")):
            if name not in row.values:
                continue
            column = self.column(name)
            for token in split_people(row.values[name]):
                try:
                    member_id = self.people.resolve(token, org_id, org_name)
                except Invalid as error:
                    row.fail(column, error, value=token)
                    continue
                if member_id in attendance and attendance[member_id] != status:
                    row.fail(
                        column,
                        Invalid(N_("%(person)s is listed both as attending and as on leave"), person=mask_value(token)),
                        value=token,
                    )
                    continue
                attendance[member_id] = status
        row.values["attendance"] = attendance

    def _existing(self, keys: list[Key]) -> dict[Key, list[Activity]]:
        if not keys:
            return {}
        query = (
            select(Activity)
            .where(
                or_(
                    *(
                        and_(
                            Activity.organisation_id == org_id,
                            Activity.activity_type_id == type_id,
                            Activity.title == title,
                            Activity.starts_at == starts_at,
                        )
                        for org_id, type_id, title, starts_at in keys
                    )
                )
            )
            .options(selectinload(Activity.attendance))
        )
        found: dict[Key, list[Activity]] = {}
        for activity in db.session.scalars(query):
            key = (activity.organisation_id, activity.activity_type_id, activity.title, activity.starts_at)
            found.setdefault(key, []).append(activity)
        return found

    def _plan(self, row: RowInput, key: Key, activity: Activity | None) -> None:
        values = {name: row.values[name] for name in SCALAR_FIELDS if name in row.values}
        attendance = row.values.get("attendance") if self.has_attendance else None
        if activity is None:
            org_id, type_id, title, starts_at = key
            values = DEFAULTS | values
            values.update(organisation_id=org_id, activity_type_id=type_id, title=title, starts_at=starts_at)
            self.plan.append(ActivityPlan(row.number, key, values, attendance))
            self.created += 1
            return
        changed = {name: value for name, value in values.items() if getattr(activity, name) != value}
        if attendance is not None and {a.member_id: a.status for a in activity.attendance} != attendance:
            changed["attendance"] = True
        if changed:
            self.plan.append(ActivityPlan(row.number, key, values, attendance, activity.id))
            self.updated += 1
        else:
            self.unchanged += 1

    # --- writing ----------------------------------------------------------------------------
    def apply(self) -> None:
        for start in range(0, len(self.plan), FLUSH_EVERY):
            batch = self.plan[start : start + FLUSH_EVERY]
            ids = [entry.activity_id for entry in batch if entry.activity_id is not None]
            loaded = {}
            if ids:
                query = select(Activity).where(Activity.id.in_(ids)).options(selectinload(Activity.attendance))
                loaded = {activity.id: activity for activity in db.session.scalars(query)}
            for entry in batch:
                if entry.activity_id is None:
                    activity = Activity(**entry.values)
                    db.session.add(activity)
                else:
                    activity = loaded[entry.activity_id]
                    values = {name: value for name, value in entry.values.items() if name in SCALAR_FIELDS}
                    assign_changed(activity, values)
                if entry.attendance is not None:
                    _replace_attendance(activity, entry.attendance)
            db.session.flush()


def _replace_attendance(activity: Activity, wanted: dict[int, str]) -> None:
    """Make the activity's attendance exactly ``wanted``, touching only the rows that differ."""
    current = {attendance.member_id: attendance for attendance in activity.attendance}
    for member_id, attendance in current.items():
        if member_id not in wanted:
            activity.attendance.remove(attendance)
        elif attendance.status != wanted[member_id]:
            attendance.status = wanted[member_id]
    for member_id, status in wanted.items():
        if member_id not in current:
            activity.attendance.append(Attendance(member_id=member_id, status=status))
