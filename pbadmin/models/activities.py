"""Activities and what hangs off them: types, attendance, attachments, brands, venues, teams."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Scoped, Timestamped
from pbadmin.models.choices import ACTIVITY_CATEGORIES, ATTENDANCE_STATUSES, VENUE_KINDS


class ActivityType(Scoped, Timestamped, db.Model):
    """活动类型: the 三会一课 core types plus what each plugin defines."""

    __tablename__ = "activity_type"
    __table_args__ = (
        ACTIVITY_CATEGORIES.check("category", "category"),
        CheckConstraint("shyk_kind IS NULL OR category = 'shyk'", name="shyk_kind_only_for_shyk"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(16))
    shyk_kind: Mapped[str | None] = mapped_column(String(16))
    #: extra figures this type records, e.g. [{"key": "donations", "label": "捐赠次数"}]
    extra_figures: Mapped[list | None] = mapped_column(JSON)
    plugin: Mapped[str | None] = mapped_column(String(40), index=True)
    #: the data element an activity of this type counts towards (e.g. PB_SHYK_GENERAL)
    counts_towards: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Brand(OrgScoped, Timestamped, db.Model):
    """党建品牌: one branch, one brand (一支部一特色)."""

    __tablename__ = "brand"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    plugin: Mapped[str | None] = mapped_column(String(40), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    launched_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class Venue(OrgScoped, Timestamped, db.Model):
    """党建阵地: activity rooms, stations, expert studios."""

    __tablename__ = "venue"
    __table_args__ = (UniqueConstraint("organisation_id", "name"), VENUE_KINDS.check("kind", "kind"))
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="RESTRICT"), index=True)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    institution = relationship("Institution")

    def __str__(self) -> str:
        return self.name


volunteer_team_member = Table(
    "volunteer_team_member",
    db.metadata,
    Column("team_id", ForeignKey("volunteer_team.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class VolunteerTeam(OrgScoped, Timestamped, db.Model):
    """志愿服务队. ``headcount`` counts every volunteer, party member or not."""

    __tablename__ = "volunteer_team"
    __table_args__ = (UniqueConstraint("organisation_id", "name"), CheckConstraint("headcount >= 0", name="headcount"))
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brand.id", ondelete="SET NULL"), index=True)
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    headcount: Mapped[int] = mapped_column(Integer, default=0)
    brand = relationship("Brand")
    members = relationship("Member", secondary=volunteer_team_member)

    def __str__(self) -> str:
        return self.name


class Activity(OrgScoped, Timestamped, db.Model):
    """活动: a meeting, lecture, themed day, free clinic or volunteer service."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("people_served >= 0", name="people_served"),
        CheckConstraint("volunteer_hours >= 0", name="volunteer_hours"),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="times"),
        Index("ix_activity_org_starts", "organisation_id", "starts_at"),
        Index("ix_activity_type_starts", "activity_type_id", "starts_at"),
        Index("ix_activity_starts", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id", ondelete="RESTRICT"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brand.id", ondelete="RESTRICT"), index=True)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    place: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[str | None] = mapped_column(Text)
    people_served: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_hours: Mapped[Decimal] = mapped_column(Numeric(10, 1), default=0)
    #: the extra figures of the activity type, keyed as the type declares them
    extra_figures: Mapped[dict | None] = mapped_column(JSON)

    activity_type = relationship("ActivityType")
    brand = relationship("Brand")
    venue = relationship("Venue")
    attendance = relationship("Attendance", back_populates="activity", cascade="all, delete-orphan")
    attachments = relationship("ActivityAttachment", back_populates="activity", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.title


class ActivityScoped(Scoped):
    """A record that belongs to an activity and is visible wherever the activity is."""

    @classmethod
    def scope_clause(cls, scope):
        return cls.activity_id.in_(select(Activity.id).where(Activity.organisation_id.in_(scope.org_ids)))

    def scope_organisation_id(self) -> int | None:
        return self.activity.organisation_id if self.activity else None


class Attendance(ActivityScoped, Timestamped, db.Model):
    """出勤: one member's attendance at one activity."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("activity_id", "member_id"), ATTENDANCE_STATUSES.check("status", "status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="present")
    activity = relationship("Activity", back_populates="attendance")
    member = relationship("Member")

    def __str__(self) -> str:
        return f"{self.member} · {ATTENDANCE_STATUSES.label(self.status)}"


class ActivityAttachment(ActivityScoped, Timestamped, db.Model):
    """A file attached to an activity, kept in the database so every host sees it."""

    __tablename__ = "activity_attachment"
    __table_args__ = (CheckConstraint("size >= 0", name="size"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    activity = relationship("Activity", back_populates="attachments")

    def __str__(self) -> str:
        return self.filename
