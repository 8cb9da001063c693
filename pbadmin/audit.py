"""Audit trail: every create, update and delete through the ORM, from the web or the CLI.

One ``after_flush`` listener sees the flush's new, dirty and deleted objects with their
attribute history and writes one ``audit_entry`` row per change on the flush's own
connection, so an entry exists exactly when its change commits. PII is masked and
secrets are replaced before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from contextvars import ContextVar
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session

from pbadmin.models import AuditEntry, LoginAttempt
from pbadmin.models.base import utcnow
from pbadmin.security.pii import mask_id_number, mask_phone

NOT_AUDITED = (AuditEntry, LoginAttempt)
SKIPPED_FIELDS = {"created_at", "updated_at", "id_number_index", "session_version"}
MASKS = {"id": mask_id_number, "phone": mask_phone}

_actor: ContextVar[tuple[int | None, str, str] | None] = ContextVar("pbadmin_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(name: str, source: str = "cli", user_id: int | None = None):
    """Attribute changes made inside the block to ``name`` (CLI commands, jobs)."""
    token = _actor.set((user_id, name, source))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[int | None, str, str]:
    """(user id, name, source) of whoever is making changes now: a CLI block, the web user, or the system."""
    explicit = _actor.get()
    if explicit is not None:
        return explicit
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.username, "web"
    return None, "system", "system"


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _protect(model, field: str, value):
    if value is None:
        return None
    if field in getattr(model, "SECRET_COLUMNS", ()):
        return "******"
    mask = MASKS.get(getattr(model, "PII_COLUMNS", {}).get(field))
    return mask(value) if mask else _plain(value)


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    model = type(obj)
    changes = {}
    for prop in state.mapper.iterate_properties:
        key = prop.key
        if key in SKIPPED_FIELDS:
            continue
        if isinstance(prop, ColumnProperty):
            if action == "update":
                history = state.attrs[key].history
                if not history.has_changes():
                    continue
                before = history.deleted[0] if history.deleted else None
                after = history.added[0] if history.added else None
            else:
                value = state.dict.get(key)
                before, after = (None, value) if action == "create" else (value, None)
            if before != after:
                changes[key] = [_protect(model, key, before), _protect(model, key, after)]
        elif isinstance(prop, RelationshipProperty) and prop.secondary is not None and action == "update":
            history = state.attrs[key].history
            if history.added or history.deleted:
                changes[key] = [[str(o) for o in history.deleted], [str(o) for o in history.added]]
    return changes


def _label(obj) -> str | None:
    try:
        return str(obj)[:200]
    except Exception:  # a deleted row whose relationships can no longer load
        return None


def _entry(obj, action: str, actor) -> dict | None:
    changes = _changes(obj, action)
    if action == "update" and not changes:
        return None
    try:
        organisation_id = obj.scope_organisation_id()
    except Exception:
        organisation_id = inspect(obj).dict.get("organisation_id")
    # for a new row the identity key is only set after the flush completes; the id attribute is already there
    record_id = inspect(obj).dict.get("id")
    return {
        "at": utcnow(),
        "actor_id": actor[0],
        "actor": actor[1],
        "source": actor[2],
        "action": action,
        "table_name": obj.__tablename__,
        "record_id": record_id,
        "record_label": _label(obj),
        "organisation_id": organisation_id,
        "changes": changes,
    }


def _audited(obj) -> bool:
    """Records are audited unless they are logs themselves (``__audited__ = False``)."""
    return hasattr(obj, "__tablename__") and not isinstance(obj, NOT_AUDITED) and getattr(obj, "__audited__", True)


def _after_flush(session: Session, flush_context) -> None:
    actor = None
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not _audited(obj):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=True):
                continue
            actor = actor or current_actor()
            entry = _entry(obj, action, actor)
            if entry:
                rows.append(entry)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
