"""Users, roles, their organisation/region grants, and login attempts (for throttling)."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, String, Table, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import Scoped, Timestamped, utcnow
from pbadmin.security.passwords import hash_password, verify_password


class Role(Timestamped, db.Model):
    __tablename__ = "role"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(60))
    permissions: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self) -> str:
        return self.title


user_org_grant = Table(
    "user_org_grant",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("party_organization.id", ondelete="CASCADE"), primary_key=True, index=True),
)
user_region_grant = Table(
    "user_region_grant",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("region.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class User(UserMixin, Scoped, Timestamped, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(256))
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    role = relationship("Role", lazy="joined")
    organisations = relationship("PartyOrganization", secondary=user_org_grant)
    regions = relationship("Region", secondary=user_region_grant)

    # password_hash is never shown, exported or audited in clear
    SECRET_COLUMNS = ("password_hash",)

    def __str__(self) -> str:
        return self.username

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return bool(self.active)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def can(self, permission: str) -> bool:
        return self.role is not None and permission in (self.role.permissions or ())

    @property
    def role_name(self) -> str:
        return self.role.name if self.role else ""

    @classmethod
    def scope_clause(cls, scope):
        return or_(
            cls.id.in_(select(user_org_grant.c.user_id).where(user_org_grant.c.organisation_id.in_(scope.org_ids))),
            cls.id.in_(select(user_region_grant.c.user_id).where(user_region_grant.c.region_id.in_(scope.region_ids))),
        )

    def scope_organisation_id(self) -> int | None:
        return self.organisations[0].id if self.organisations else None


class LoginAttempt(db.Model):
    """One login attempt; recent failures per username and per address throttle logins."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
