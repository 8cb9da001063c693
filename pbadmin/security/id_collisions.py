"""ID numbers are no oracle: what happens when someone enters a number that belongs to a member they cannot see.

The answer names neither the fact that the number is registered nor where. The attempt is recorded
(``IdNumberCollision``, audited like any record) in a transaction of its own, so it stays even though
the user's save is refused, and is listed for the administrators above either side. Each user may hit
only ``PBADMIN_ID_COLLISION_LIMIT`` such members per ``PBADMIN_ID_COLLISION_WINDOW_SECONDS``; past that,
every new ID number they enter is refused with one answer, whether it is registered or not, so the
limit itself tells nothing either.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pbadmin.audit import current_actor
from pbadmin.extensions import db
from pbadmin.models import IdNumberCollision, Member
from pbadmin.models.base import utcnow


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; forms translate it with gettext, the import when it shows the problem."""
    return msgid


NOT_HERE = N_(
    "this ID number cannot be registered here; the attempt has been recorded for your superior "
    "administrators, who can check it (for example as a transfer of the member's organisation)"
)
TOO_MANY = N_(
    "too many ID numbers that cannot be registered here were entered recently, so new ID numbers are "
    "refused for now; try again later or ask your superior administrator"
)


class IdNumberRefused(Exception):
    """``message`` is the msgid of the one answer the user gets."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def holder_of(index: str, exclude_member_id: int | None = None) -> Member | None:
    """The member who holds the ID number with this blind index, if any (whoever may see them)."""
    query = select(Member).where(Member.id_number_index == index)
    if exclude_member_id is not None:
        query = query.where(Member.id != exclude_member_id)
    return db.session.scalar(query)


class IdNumberGate:
    """One user's new ID numbers during one request or one import: free ones pass, others are refused.

    The limit is looked up once, and again only after a collision, so an import of thousands of new
    members costs one query here, not one per row."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.actor = current_actor()
        self._limited: bool | None = None

    @property
    def limited(self) -> bool:
        if self._limited is None:
            self._limited = is_limited(self.actor[0])
        return self._limited

    def check(self, hidden_holder: Member | None, organisation_id: int | None, entered_name: str | None) -> None:
        """``hidden_holder``: the member holding the number whom the user may not see, or None when the
        number is free. Raises IdNumberRefused unless the number may be used."""
        if hidden_holder is None:
            if self.limited:
                raise IdNumberRefused(TOO_MANY)
            return
        if organisation_id is not None:
            record(hidden_holder.id, organisation_id, entered_name, self.source, self.actor)
            self._limited = None
        raise IdNumberRefused(TOO_MANY if self.limited else NOT_HERE)


def is_limited(actor_id: int | None) -> bool:
    if actor_id is None:
        return False
    config = current_app.config
    since = utcnow() - dt.timedelta(seconds=config["PBADMIN_ID_COLLISION_WINDOW_SECONDS"])
    hits = db.session.scalar(
        select(func.count(func.distinct(IdNumberCollision.existing_member_id))).where(
            IdNumberCollision.actor_id == actor_id, IdNumberCollision.last_at >= since
        )
    )
    return (hits or 0) >= config["PBADMIN_ID_COLLISION_LIMIT"]


def record(holder_id: int, organisation_id: int, entered_name: str | None, source: str, actor) -> None:
    """Count one more attempt, committed on its own: the refused save is rolled back, this is not."""
    with Session(db.engine) as session, session.begin():
        open_one = session.scalar(
            select(IdNumberCollision).where(
                IdNumberCollision.actor_id == actor[0],
                IdNumberCollision.existing_member_id == holder_id,
                IdNumberCollision.organisation_id == organisation_id,
                IdNumberCollision.status == "open",
            )
        )
        if open_one is None:
            session.add(
                IdNumberCollision(
                    actor_id=actor[0],
                    actor=actor[1],
                    source=source,
                    entered_name=(entered_name or "")[:50] or None,
                    existing_member_id=holder_id,
                    organisation_id=organisation_id,
                )
            )
        else:
            open_one.attempts += 1
            open_one.last_at = utcnow()
