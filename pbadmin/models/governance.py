"""Problem lists and rectification, donations and honours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Timestamped
from pbadmin.models.choices import HONOR_LEVELS, RECTIFICATION_SOURCES, RECTIFICATION_STATUSES


class Rectification(OrgScoped, Timestamped, db.Model):
    """问题清单/整改: a problem found, who answers for it, and when it must be closed."""

    __tablename__ = "rectification"
    __table_args__ = (
        RECTIFICATION_SOURCES.check("source", "source"),
        RECTIFICATION_STATUSES.check("status", "status"),
        CheckConstraint("deadline >= found_on", name="deadline"),
        CheckConstraint("closed_on IS NULL OR closed_on >= found_on", name="closed_on"),
        CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_has_date"),
        Index("ix_rectification_status_deadline", "status", "deadline"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    problem: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    measures: Mapped[str | None] = mapped_column(Text)
    responsible = relationship("Member")

    def __str__(self) -> str:
        return (self.problem or "")[:30]


class Donation(OrgScoped, Timestamped, db.Model):
    """爱心捐款: a member's donation for a month into a fund, recorded by their branch."""

    __tablename__ = "donation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("month >= 190001 AND month <= 299912 AND month % 100 BETWEEN 1 AND 12", name="month"),
        Index("ix_donation_org_month", "organisation_id", "month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    #: YYYYMM as an integer
    month: Mapped[int] = mapped_column(index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    fund: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(200))
    member = relationship("Member")

    def __str__(self) -> str:
        return f"{self.fund} · {self.month} · {self.amount}"


class Honor(OrgScoped, Timestamped, db.Model):
    """荣誉: awarded to an organisation, or to one of its members when member is set."""

    __tablename__ = "honor"
    __table_args__ = (
        HONOR_LEVELS.check("level", "level"),
        Index("ix_honor_org_awarded", "organisation_id", "awarded_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(16))
    issuer: Mapped[str] = mapped_column(String(100))
    awarded_on: Mapped[dt.date] = mapped_column(Date, index=True)
    member = relationship("Member")

    def __str__(self) -> str:
        return self.title
