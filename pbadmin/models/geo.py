"""Regions (GB/T 2260), institutions and medical communities."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import Scoped, Timestamped
from pbadmin.models.choices import COMMUNITY_KINDS, INSTITUTION_KINDS, REGION_LEVELS
from pbadmin.models.tree import ClosureTree


class Region(Scoped, Timestamped, db.Model):
    """行政区划. Reference data: superadmins edit it; others see the regions of their scope."""

    __tablename__ = "region"
    __table_args__ = (
        CheckConstraint("length(code) = 6", name="code_length"),
        REGION_LEVELS.check("level", "level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="RESTRICT"), index=True)
    parent = relationship("Region", remote_side=[id])

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @classmethod
    def scope_clause(cls, scope):
        """The granted regions with everything below them, and the regions of visible organisations."""
        from pbadmin.models.org import PartyOrganization

        return or_(
            cls.id.in_(scope.region_ids),
            cls.id.in_(select(PartyOrganization.region_id).where(PartyOrganization.id.in_(scope.org_ids))),
        )


region_tree = ClosureTree(Region, "region_closure")


class Institution(Scoped, Timestamped, db.Model):
    """医疗卫生机构."""

    __tablename__ = "institution"
    __table_args__ = (
        UniqueConstraint("region_id", "name"),
        INSTITUTION_KINDS.check("kind", "kind"),
        Index("ix_institution_name", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="RESTRICT"), index=True)
    region = relationship("Region")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_clause(cls, scope):
        from pbadmin.models.org import PartyOrganization

        return or_(
            cls.region_id.in_(scope.region_ids),
            cls.id.in_(select(PartyOrganization.institution_id).where(PartyOrganization.id.in_(scope.org_ids))),
        )


medical_community_member = Table(
    "medical_community_member",
    db.metadata,
    Column("community_id", ForeignKey("medical_community.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class MedicalCommunity(Scoped, Timestamped, db.Model):
    """医共体 / 医联体 / 专科联盟: a lead institution and its member institutions."""

    __tablename__ = "medical_community"
    __table_args__ = (COMMUNITY_KINDS.check("kind", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="RESTRICT"), index=True)
    lead_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    region = relationship("Region")
    lead_institution = relationship("Institution", foreign_keys=[lead_institution_id])
    members = relationship("Institution", secondary=medical_community_member)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_clause(cls, scope):
        return cls.lead_institution_id.in_(select(Institution.id).where(Institution.scope_clause(scope)))
