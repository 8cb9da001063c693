"""The four roles and the permissions each holds by default.

Roles live in the database so a superadmin can grant or withdraw a permission (for
example ``view_pii``) without a release; ``ensure_roles`` creates missing ones and
never overwrites permissions an administrator has changed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from pbadmin.extensions import db
from pbadmin.models import Role
from pbadmin.models.auth import DELEGATED_ROLES, REGION_ADMIN, STAFF, SUPERADMIN, VIEWER  # noqa: F401 (the role names)

# Permissions
VIEW = "view"
EDIT = "edit"
EXPORT = "export"
VIEW_PII = "view_pii"
MANAGE_SYSTEM = "manage_system"  # regions, activity types, roles: shared by every region
MANAGE_REFERENCE = "manage_reference"  # institutions and medical communities of one's region
MANAGE_ORGANISATIONS = "manage_organisations"
MANAGE_USERS = "manage_users"
VIEW_AUDIT = "view_audit"
MANAGE_PLUGINS = "manage_plugins"
APPROVE_REPORTS = "approve_reports"

ALL_PERMISSIONS = (
    VIEW,
    EDIT,
    EXPORT,
    VIEW_PII,
    MANAGE_SYSTEM,
    MANAGE_REFERENCE,
    MANAGE_ORGANISATIONS,
    MANAGE_USERS,
    VIEW_AUDIT,
    MANAGE_PLUGINS,
    APPROVE_REPORTS,
)

#: from the least to the most powerful: the order pickers offer them in
ROLE_ORDER = (STAFF, VIEWER, REGION_ADMIN, SUPERADMIN)

DEFAULT_ROLES: dict[str, tuple[object, tuple[str, ...]]] = {
    SUPERADMIN: (_l("System administrator"), ALL_PERMISSIONS),
    # everything but what is shared by every region (regions, activity types, roles)
    REGION_ADMIN: (_l("Region administrator"), tuple(p for p in ALL_PERMISSIONS if p != MANAGE_SYSTEM)),
    STAFF: (_l("Party affairs staff"), (VIEW, EDIT, EXPORT)),
    VIEWER: (_l("Viewer"), (VIEW, EXPORT)),
}


def ensure_roles() -> dict[str, Role]:
    """Create the default roles that do not exist yet; return every role by name."""
    existing = {role.name: role for role in db.session.scalars(db.select(Role))}
    for name, (title, permissions) in DEFAULT_ROLES.items():
        if name not in existing:
            role = Role(name=name, title=str(title), permissions=list(permissions))
            db.session.add(role)
            existing[name] = role
    db.session.flush()
    return existing
