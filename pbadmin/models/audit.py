"""The audit log: who changed which record, when, and each field before and after."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pbadmin.extensions import db
from pbadmin.models.base import Scoped, utcnow


class AuditEntry(Scoped, db.Model):
    """Written in the same transaction as the change it records; never edited."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_record", "table_name", "record_id"),
        Index("ix_audit_entry_org_at", "organisation_id", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    record_label: Mapped[str | None] = mapped_column(String(200))
    #: the organisation the record belonged to, for scoping the log itself (no FK: it outlives the record)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    #: {field: [before, after]}; sensitive fields masked, secrets replaced
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    @classmethod
    def scope_clause(cls, scope):
        return cls.organisation_id.in_(scope.org_ids)
