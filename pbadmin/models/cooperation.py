"""Pairing assistance (结对帮扶) with monthly reports, and alliances between institutions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Scoped, Timestamped
from pbadmin.models.choices import ALLIANCE_SCOPES, PAIRING_STATUSES


class Pairing(Scoped, Timestamped, db.Model):
    """A helping organisation paired with a helped one, under a responsibility letter."""

    __tablename__ = "pairing"
    __table_args__ = (
        UniqueConstraint("helper_id", "helped_id", "started_on"),
        CheckConstraint("helper_id <> helped_id", name="distinct_parties"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
        PAIRING_STATUSES.check("status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"), index=True)
    helped_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"), index=True)
    letter_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    started_on: Mapped[dt.date] = mapped_column(Date, index=True)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    goals: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")
    helper = relationship("PartyOrganization", foreign_keys=[helper_id])
    helped = relationship("PartyOrganization", foreign_keys=[helped_id])
    reports = relationship("PairingReport", back_populates="pairing", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.helper} → {self.helped}"

    @classmethod
    def scope_clause(cls, scope):
        """Both sides read the pairing."""
        return or_(cls.helper_id.in_(scope.org_ids), cls.helped_id.in_(scope.org_ids))

    @classmethod
    def write_scope_clause(cls, scope):
        """The pairing belongs to the helping side: it and the organisations above it write."""
        return cls.helper_id.in_(scope.org_ids)

    def scope_organisation_id(self) -> int | None:
        return self.helper_id


class PairingReport(Scoped, Timestamped, db.Model):
    """结对帮扶月报: one report a month per pairing."""

    __tablename__ = "pairing_report"
    __table_args__ = (
        UniqueConstraint("pairing_id", "month"),
        CheckConstraint("month >= 190001 AND month <= 299912 AND month % 100 BETWEEN 1 AND 12", name="month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id", ondelete="CASCADE"))
    #: YYYYMM as an integer, e.g. 202103
    month: Mapped[int] = mapped_column(index=True)
    content: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    pairing = relationship("Pairing", back_populates="reports")

    def __str__(self) -> str:
        return f"{self.pairing} · {self.month}"

    @classmethod
    def scope_clause(cls, scope):
        return cls.pairing_id.in_(select(Pairing.id).where(Pairing.scope_clause(scope)))

    @classmethod
    def write_scope_clause(cls, scope):
        """Monthly reports are the helper's to write; the helped side reads them."""
        return cls.pairing_id.in_(select(Pairing.id).where(Pairing.write_scope_clause(scope)))

    def scope_organisation_id(self) -> int | None:
        return self.pairing.helper_id if self.pairing else None


class Alliance(OrgScoped, Timestamped, db.Model):
    """党建联盟 between institutions, run by the owning party organisation."""

    __tablename__ = "alliance"
    __table_args__ = (
        UniqueConstraint("institution_id", "partner_institution_id", "scope"),
        CheckConstraint("institution_id <> partner_institution_id", name="distinct_parties"),
        ALLIANCE_SCOPES.check("scope", "scope"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    partner_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    signed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(24))
    description: Mapped[str | None] = mapped_column(Text)
    institution = relationship("Institution", foreign_keys=[institution_id])
    partner_institution = relationship("Institution", foreign_keys=[partner_institution_id])

    def __str__(self) -> str:
        return self.name
