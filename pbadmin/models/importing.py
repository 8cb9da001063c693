"""Import jobs: one uploaded roster or activity file, its check, its preview and its commit.

The uploaded bytes live in the row (not on a disk of one host), so whichever web process
picks the job up can continue it; they are cleared once the job is done. A job is not
audited itself: the members and activities it writes are, attributed to its user.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pbadmin.extensions import db
from pbadmin.models.base import OrgScoped, Timestamped
from pbadmin.models.choices import Choices

IMPORT_KINDS = Choices(("members", _l("Members")), ("activities", _l("Activities")))

IMPORT_STATUSES = Choices(
    ("validating", _l("Checking")),
    ("invalid", _l("Has errors")),
    ("valid", _l("Ready to import")),
    ("committing", _l("Importing")),
    ("done", _l("Imported")),
    ("failed", _l("Failed")),
)
#: a worker is (or should be) busy with a job in one of these states
RUNNING_STATUSES = ("validating", "committing")


class ImportJob(OrgScoped, Timestamped, db.Model):
    """An import into one target organisation's subtree, by one user."""

    __tablename__ = "import_job"
    __table_args__ = (
        IMPORT_KINDS.check("kind", "kind"),
        IMPORT_STATUSES.check("status", "status"),
        Index("ix_import_job_user_created", "user_id", "created_at"),
    )
    __label__ = "import job"
    __audited__ = False  # it is the log of the import; what it writes is audited

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a job is a log: it goes with its organisation rather than keeping the organisation alive
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("party_organization.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200))
    #: the uploaded file; NULL once the job is done (or the upload has been kept long enough)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(16), default="validating")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    rows_processed: Mapped[int] = mapped_column(Integer, default=0)
    #: rows with at least one problem
    bad_rows: Mapped[int] = mapped_column(Integer, default=0)
    #: every problem: [row, column, value (masked), msgid, params]; see pbadmin.importing.problems
    errors: Mapped[list | None] = deferred(mapped_column(JSON))
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    #: why the job failed or was sent back, as a problem (same shape as an entry of ``errors``)
    message: Mapped[list | None] = mapped_column(JSON)
    #: the process working on it, and when it last said so (a stale job is taken over)
    worker: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    validated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user = relationship("User")

    def __str__(self) -> str:
        return f"{self.filename} ({IMPORT_KINDS.label(self.kind)})"
