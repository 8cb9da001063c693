"""Mixins every record shares: timestamps and the organisation scoping hook."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, func, text, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from pbadmin.extensions import db


def assign_changed(row, values: dict) -> None:
    """Set only the attributes whose value differs, so re-applying the same data issues no UPDATE
    (and writes no audit entry)."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def database_now() -> dt.datetime:
    """Naive UTC from the database's clock on PostgreSQL (one clock for every host), else this host's.

    Leases, claims and heartbeats compare times written by several hosts, so they use this."""
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar()
    return utcnow()


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class Scoped:
    """A record whose visibility is decided by ``scope_clause`` (see security.scoping)."""

    #: shown in audit entries and error messages
    __label__ = "record"

    @classmethod
    def scope_clause(cls, scope):
        return true()

    @classmethod
    def write_scope_clause(cls, scope):
        """Who may change the record: by default whoever may read it."""
        return cls.scope_clause(scope)

    def scope_organisation_id(self) -> int | None:
        """The organisation an audit entry about this record is filed under."""
        return getattr(self, "organisation_id", None)


class OrgScoped(Scoped):
    """A record owned by one party organisation; visible in that organisation's scope."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey("party_organization.id", ondelete="RESTRICT"), nullable=False, index=True
        )

    @declared_attr
    def organisation(cls):
        return relationship("PartyOrganization", foreign_keys=[cls.organisation_id])

    @classmethod
    def scope_clause(cls, scope):
        return cls.organisation_id.in_(scope.org_ids)
