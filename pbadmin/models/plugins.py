"""What the database keeps about plugins: their state and settings, and the data elements they define."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pbadmin.extensions import db
from pbadmin.models.base import Scoped, Timestamped
from pbadmin.models.choices import Choices
from pbadmin.models.types import EncryptedText

ELEMENT_KINDS = Choices(("stock", "stock"), ("flow", "flow"))


class PluginState(Timestamped, db.Model):
    """One row per plugin ever seen: enabled or not, the version whose definitions are applied,
    its settings (secrets encrypted, in their own column) and the last load error."""

    __tablename__ = "plugin_state"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_version: Mapped[str | None] = mapped_column(String(40))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: JSON object of secret settings, encrypted at rest with PBADMIN_DATA_KEY
    secrets: Mapped[str | None] = mapped_column(EncryptedText)
    last_error: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    SECRET_COLUMNS = ("secrets",)

    def __str__(self) -> str:
        return self.name


class DataElement(Scoped, Timestamped, db.Model):
    """A report data element (provincial-api.md's catalogue): core, or a plugin's region element."""

    __tablename__ = "data_element"
    __table_args__ = (ELEMENT_KINDS.check("kind", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))
    value_type: Mapped[str] = mapped_column(String(16), default="NUMBER")
    #: None for the core catalogue
    plugin: Mapped[str | None] = mapped_column(String(40), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
