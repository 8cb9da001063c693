"""The roster (花名册): each row a member, found again by ID number, created or updated.

The ID number is the natural key, looked up through its blind index. A number already in the
database updates that member, unless it belongs to someone else (another name or birth date)
or to a member the user may not see. Empty cells keep what is stored; only what differs is
written, so importing the same roster twice changes nothing and leaves no audit entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.importing.columns import MEMBER_COLUMNS
from pbadmin.importing.lookups import Organisations
from pbadmin.importing.pipeline import Importer, RowInput
from pbadmin.importing.problems import N_, Invalid, msgid_of
from pbadmin.importing.values import compact, text
from pbadmin.models import Member
from pbadmin.models.base import assign_changed
from pbadmin.security.crypto import blind_index
from pbadmin.security.id_collisions import IdNumberGate, IdNumberRefused
from pbadmin.security.pii import InvalidIdNumber, birth_date_from_id, validate_id_number, validate_phone

#: how an ID number looks once Excel has turned it into a number ("3.31004E+17")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
#: fields copied as they are from the row to the member
PLAIN_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "status",
    "admitted_on",
    "full_member_on",
    "phone",
    "department",
    "is_double_leader",
    "is_model_post",
)
FLUSH_EVERY = 500


@dataclass
class MemberPlan:
    row: int
    values: dict
    member_id: int | None = None


def parse_id_number(value: object) -> str:
    """A GB 11643 ID number, refusing one that Excel stored as a number (its last digits are lost)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Invalid(
            N_("Excel stored it as a number and lost its last digits; format the column as text and retype it")
        )
    written = text(value) or ""
    if _SCIENTIFIC.match(written):
        raise Invalid(
            N_("Excel stored it as a number and lost its last digits; format the column as text and retype it")
        )
    try:
        return validate_id_number(written)
    except InvalidIdNumber as exc:
        raise Invalid(msgid_of(exc.args[0])) from exc


class MemberImporter(Importer):
    kind = "members"
    columns = MEMBER_COLUMNS

    def __init__(self, target, scope) -> None:
        super().__init__(target, scope)
        self.organisations = Organisations(target, scope)
        self.first_row_of: dict[str, int] = {}
        self.plan: list[MemberPlan] = []
        self.today = dt.date.today()
        self.id_numbers: IdNumberGate | None = None

    # --- checks -----------------------------------------------------------------------------
    def check_rows(self, rows: list[RowInput]) -> None:
        keys: dict[int, str] = {}
        for row in rows:
            key = self._check_row(row)
            if key is not None:
                keys[row.number] = key
        existing = self._existing(set(keys.values()))
        for row in rows:
            key = keys.get(row.number)
            if key is None:
                continue
            member = existing.get(key)
            if member is None or not self.organisations.is_visible(member.organisation_id):
                if not self._may_use_new_number(row, member):
                    continue
                member = None
            elif not self._same_person(row, member):
                continue
            if not row.problems:
                self._plan(row, member)

    def _check_row(self, row: RowInput) -> str | None:
        """Context checks of one row; returns the ID number's blind index when it is usable."""
        key = None
        if "id_number" in row.values:
            column = self.column("id_number")
            try:
                number = parse_id_number(row.values["id_number"])
            except Invalid as error:
                row.fail(column, error)
            else:
                row.values["id_number"] = number
                key = blind_index(number)
                first = self.first_row_of.setdefault(key, row.number)
                if first != row.number:
                    row.fail(column, Invalid(N_("the same ID number is already on row %(first)s"), first=first))
                    key = None
        if "phone" in row.values:
            try:
                row.values["phone"] = validate_phone(text(row.values["phone"]) or "")
            except ValueError:
                row.fail(self.column("phone"), Invalid(N_("not a valid mobile or landline number")))
        if "organisation" in row.values:
            try:
                row.values["organisation_id"] = self.organisations.resolve(row.values["organisation"])
            except Invalid as error:
                row.fail(self.column("organisation"), error)
        self._check_dates(row)
        return key

    def _check_dates(self, row: RowInput) -> None:
        for name in ("birth_date", "admitted_on", "full_member_on"):
            if row.ok(name) and row.values[name] > self.today:
                row.fail(self.column(name), Invalid(N_("the date is in the future")))
        if row.ok("id_number"):
            from_id = birth_date_from_id(row.values["id_number"])
            if row.ok("birth_date") and row.values["birth_date"] != from_id:
                row.fail(
                    self.column("birth_date"), Invalid(N_("it does not agree with the birth date in the ID number"))
                )
            elif "birth_date" not in row.values:
                row.values["birth_date"] = from_id
        if row.ok("admitted_on", "full_member_on") and row.values["full_member_on"] < row.values["admitted_on"]:
            row.fail(
                self.column("full_member_on"),
                Invalid(
                    N_("the full-member date is earlier than the admission date (%(admitted)s)"),
                    admitted=row.values["admitted_on"].isoformat(),
                ),
            )
        if row.ok("status", "full_member_on") and row.values["status"] == "probationary":
            row.fail(
                self.column("full_member_on"),
                Invalid(N_("a probationary member has not become a full member yet; leave it empty")),
            )

    def _existing(self, keys: set[str]) -> dict[str, Member]:
        if not keys:
            return {}
        members = db.session.scalars(select(Member).where(Member.id_number_index.in_(keys))).all()
        return {member.id_number_index: member for member in members}

    def _may_use_new_number(self, row: RowInput, hidden_holder: Member | None) -> bool:
        """A number not held by a member the user can see: free, or refused without saying why (no oracle)."""
        organisation_id = row.values.get("organisation_id") if row.ok("organisation") else self.target.id
        if self.id_numbers is None:
            self.id_numbers = IdNumberGate("import")
        try:
            self.id_numbers.check(hidden_holder, organisation_id, text(row.values.get("name")))
        except IdNumberRefused as refused:
            row.fail(self.column("id_number"), Invalid(refused.message))
            return False
        return True

    def _same_person(self, row: RowInput, member: Member) -> bool:
        """An ID number already stored, of a member the user may see, must be this row's person."""
        column = self.column("id_number")
        other_name = row.ok("name") and compact(member.name) != compact(row.values["name"])
        other_birth = (
            row.ok("birth_date") and member.birth_date is not None and member.birth_date != row.values["birth_date"]
        )
        if other_name or other_birth:
            row.fail(
                column,
                Invalid(
                    N_("this ID number is already in the database as %(name)s, with another name or birth date"),
                    name=member.name,
                ),
            )
            return False
        return True

    def _plan(self, row: RowInput, member: Member | None) -> None:
        values = {name: row.values[name] for name in PLAIN_FIELDS if name in row.values}
        org_id = row.values["organisation_id"]
        if member is None:
            values.update(id_number=row.values["id_number"], organisation_id=org_id)
            values["institution_id"] = self.organisations.by_id[org_id].institution_id
            self.plan.append(MemberPlan(row.number, values))
            self.created += 1
            return
        values["name"] = member.name  # the same name, perhaps spaced differently: keep it as stored
        if org_id != member.organisation_id:
            values["organisation_id"] = org_id
            new_institution = self.organisations.by_id[org_id].institution_id
            if new_institution is not None:
                values["institution_id"] = new_institution
        elif member.institution_id is None:
            values["institution_id"] = self.organisations.by_id[org_id].institution_id
        changed = {name: value for name, value in values.items() if getattr(member, name) != value}
        if changed:
            self.plan.append(MemberPlan(row.number, changed, member.id))
            self.updated += 1
        else:
            self.unchanged += 1

    # --- writing ----------------------------------------------------------------------------
    def apply(self) -> None:
        updates = [entry for entry in self.plan if entry.member_id is not None]
        for start in range(0, len(updates), FLUSH_EVERY):
            batch = updates[start : start + FLUSH_EVERY]
            members = {
                member.id: member
                for member in db.session.scalars(select(Member).where(Member.id.in_([e.member_id for e in batch])))
            }
            for entry in batch:
                assign_changed(members[entry.member_id], entry.values)
            db.session.flush()
        creates = [entry for entry in self.plan if entry.member_id is None]
        for start in range(0, len(creates), FLUSH_EVERY):
            db.session.add_all(Member(**entry.values) for entry in creates[start : start + FLUSH_EVERY])
            db.session.flush()
