"""The party organisation tree and its committees."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Scoped, Timestamped
from pbadmin.models.choices import COMMITTEE_ROLES, ORG_KINDS
from pbadmin.models.people import Member
from pbadmin.models.tree import ClosureTree

# What the province accepts as an orgUnit code (provincial-api.md).
REPORT_CODE_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"


class PartyOrganization(Scoped, Timestamped, db.Model):
    """党组织: 党工委 ⊃ 党委 / 综合党委 ⊃ 党总支 ⊃ 党支部 (incl. temporary and department branches)."""

    __tablename__ = "party_organization"
    __table_args__ = (
        ORG_KINDS.check("kind", "kind"),
        CheckConstraint("dissolved_on IS NULL OR founded_on IS NULL OR dissolved_on >= founded_on", name="dates"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_party_organization_parent_name", "parent_id", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="RESTRICT"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    department: Mapped[str | None] = mapped_column(String(60))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)
    report_code: Mapped[str | None] = mapped_column(String(64), unique=True)

    parent = relationship("PartyOrganization", remote_side=[id], back_populates="children")
    children = relationship("PartyOrganization", back_populates="parent", passive_deletes="all")
    region = relationship("Region")
    institution = relationship("Institution")
    committee = relationship("CommitteeSeat", back_populates="organisation", cascade="all, delete-orphan")

    __label__ = "party organisation"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_clause(cls, scope):
        return cls.id.in_(scope.org_ids)

    def scope_organisation_id(self) -> int | None:
        return self.id


org_tree = ClosureTree(PartyOrganization, "party_organization_closure")


class CommitteeSeat(OrgScoped, Timestamped, db.Model):
    """A seat on an organisation's committee: secretary, deputy secretary or member."""

    __tablename__ = "committee_seat"
    __table_args__ = (
        UniqueConstraint("organisation_id", "member_id"),
        COMMITTEE_ROLES.check("role", "role"),
        Index("ix_committee_seat_org_role", "organisation_id", "role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    member = relationship("Member")
    organisation = relationship("PartyOrganization", back_populates="committee")

    def __str__(self) -> str:
        return f"{self.member} · {COMMITTEE_ROLES.label(self.role)}"


# The secretary's name, read in the same SELECT as the organisation (no extra query per row).
PartyOrganization.secretary_name = column_property(
    select(Member.name)
    .join(CommitteeSeat, CommitteeSeat.member_id == Member.id)
    .where(CommitteeSeat.organisation_id == PartyOrganization.id, CommitteeSeat.role == "secretary")
    .order_by(CommitteeSeat.id)
    .limit(1)
    .correlate_except(Member, CommitteeSeat)
    .scalar_subquery()
)
