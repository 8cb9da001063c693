"""ID numbers someone tried to register while they belong to a member outside that person's scope.

Kept so the clash is neither a silent failure nor an oracle: the user is told only that the number
cannot be registered there, the attempt is recorded (and audited) here, counted for rate limiting,
and listed for the administrators above both organisations to resolve, for example as a transfer.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Timestamped, utcnow
from pbadmin.models.choices import COLLISION_STATUSES
from pbadmin.models.people import Member


class IdNumberCollision(OrgScoped, Timestamped, db.Model):
    """One user's attempts to register one existing member's ID number in one organisation."""

    __tablename__ = "id_number_collision"
    __table_args__ = (
        Index("ix_id_number_collision_actor_last", "actor_id", "last_at"),
        Index("ix_id_number_collision_last_at", "last_at"),
        COLLISION_STATUSES.check("status", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: who typed or imported the number (the organisation it was meant for is ``organisation_id``)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(16))
    entered_name: Mapped[str | None] = mapped_column(String(50))
    existing_member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    existing_member = relationship(Member)

    def __str__(self) -> str:
        return f"#{self.id} {self.entered_name or ''}".strip()

    @classmethod
    def scope_clause(cls, scope):
        """Seen by those above either side: where it was entered, or where the member is."""
        return or_(
            cls.organisation_id.in_(scope.org_ids),
            cls.existing_member_id.in_(select(Member.id).where(Member.organisation_id.in_(scope.org_ids))),
        )
