"""Users, roles, their organisation/region grants, and login attempts (for throttling)."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    and_,
    event,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import NO_VALUE

from pbadmin.extensions import db
from pbadmin.models.base import Scoped, Timestamped, utcnow
from pbadmin.security.passwords import hash_password, verify_password

# The four built-in roles. Only superadmins manage superadmins and region admins; anyone else
# who holds manage_users manages only the roles below, and only inside their own scope.
SUPERADMIN = "superadmin"
REGION_ADMIN = "region_admin"
STAFF = "staff"
VIEWER = "viewer"
DELEGATED_ROLES = (STAFF, VIEWER)


class Role(Scoped, Timestamped, db.Model):
    """Visible to all (``Scoped``'s default); which ones a user may grant is ``User``'s rule, not scope."""

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
    # Every session stores the version it was opened under and is honoured only while it matches
    # (pbadmin.auth.views): bumping it ends every session of the user at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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
        """Set a new password; replacing an existing one ends every session of the user."""
        if self.password_hash is not None:
            self.end_sessions()
        self.password_hash = hash_password(password)

    def end_sessions(self) -> None:
        """Log the user out everywhere: no session opened before this is honoured again."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def can(self, permission: str) -> bool:
        return self.role is not None and permission in (self.role.permissions or ())

    @property
    def role_name(self) -> str:
        return self.role.name if self.role else ""

    @classmethod
    def scope_clause(cls, scope):
        """The users someone with this scope may see and manage: staff and viewers holding at least one
        grant inside the scope and none outside it. A user with no grants is nobody's but a superadmin's."""
        org_grant, region_grant = user_org_grant.c, user_region_grant.c
        return and_(
            cls.role_id.in_(select(Role.id).where(Role.name.in_(DELEGATED_ROLES))),
            or_(
                cls.id.in_(select(org_grant.user_id).where(org_grant.organisation_id.in_(scope.org_ids))),
                cls.id.in_(select(region_grant.user_id).where(region_grant.region_id.in_(scope.region_ids))),
            ),
            cls.id.not_in(select(org_grant.user_id).where(org_grant.organisation_id.not_in(scope.org_ids))),
            cls.id.not_in(select(region_grant.user_id).where(region_grant.region_id.not_in(scope.region_ids))),
        )

    def scope_organisation_id(self) -> int | None:
        return self.organisations[0].id if self.organisations else None


@event.listens_for(User.active, "set", active_history=True)
def _active_flag_changes_end_sessions(user, value, previous, initiator) -> None:
    """Deactivating a user (the user form, the bulk action, the CLI, anything through the ORM) ends
    their sessions; so does reactivating, so a session from before a deactivation never comes back."""
    if previous is not NO_VALUE and previous is not None and bool(previous) != bool(value):
        user.end_sessions()


class LoginAttempt(db.Model):
    """One login attempt; recent failures per account and address, and per address, delay logins."""

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
