"""Links from the supervision pages to the ordinary admin views, offered only where the user may go.

A dashboard card or a compliance row should not lead to a 403: these helpers ask the registered
view itself (its ``is_accessible`` and ``can_create``) before a page shows a link to it.
"""

from __future__ import annotations

from flask import current_app
from flask_admin import BaseView


def view_for(endpoint: str) -> BaseView | None:
    """The registered admin view of that endpoint, or None."""
    admin = current_app.extensions.get("pbadmin_admin")
    return next((view for view in getattr(admin, "_views", ()) if view.endpoint == endpoint), None)


def may_open(endpoint: str) -> bool:
    view = view_for(endpoint)
    return view is not None and view.is_accessible()


def may_create(endpoint: str) -> bool:
    view = view_for(endpoint)
    return view is not None and view.is_accessible() and bool(getattr(view, "can_create", False))
