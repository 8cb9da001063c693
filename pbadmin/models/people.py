"""Party members (党员). ID numbers and phones are encrypted at rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Timestamped
from pbadmin.models.choices import EDUCATION_LEVELS, GENDERS, MEMBER_STATUSES
from pbadmin.models.types import EncryptedText
from pbadmin.security.crypto import blind_index


class Member(OrgScoped, Timestamped, db.Model):
    __tablename__ = "member"
    __table_args__ = (
        GENDERS.check("gender", "gender"),
        MEMBER_STATUSES.check("status", "status"),
        EDUCATION_LEVELS.check("education", "education"),
        CheckConstraint("full_member_on IS NULL OR admitted_on IS NULL OR full_member_on >= admitted_on", name="dates"),
        Index("ix_member_org_name", "organisation_id", "name"),
        Index("ix_member_status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(EncryptedText)
    #: keyed digest of the ID number: uniqueness and look-up without decrypting
    id_number_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    department: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16), default="full")
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)
    full_member_on: Mapped[dt.date | None] = mapped_column(Date)
    is_double_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    is_model_post: Mapped[bool] = mapped_column(Boolean, default=False)

    institution = relationship("Institution")

    __label__ = "member"
    #: columns shown masked unless the user holds view_pii
    PII_COLUMNS = {"id_number": "id", "phone": "phone"}

    def __str__(self) -> str:
        return self.name


@event.listens_for(Member.id_number, "set", propagate=True)
def _index_id_number(target: Member, value, oldvalue, initiator) -> None:
    target.id_number_index = blind_index(value) if value else None
