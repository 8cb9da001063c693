"""Extra accounts some security tests need beside the world's, made the way the CLI would."""

from __future__ import annotations

from sqlalchemy import select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, Role, User
from tests.helpers import PASSWORD, login


def add_user(app, username: str, role: str, orgs: tuple[str, ...] = (), regions: tuple[str, ...] = ()) -> int:
    """A user of ``role`` holding the organisations (by code) and regions (by code) given; returns its id."""
    with app.app_context(), acting_as("test-setup"):
        user = User(
            username=username,
            role=db.session.scalar(select(Role).where(Role.name == role)),
            organisations=list(db.session.scalars(select(PartyOrganization).where(PartyOrganization.code.in_(orgs)))),
            regions=list(db.session.scalars(select(Region).where(Region.code.in_(regions)))),
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def client_of(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def user_row(app, user_id: int) -> dict | None:
    """What is stored of the user, to compare before and after a refused request."""
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is None:
            return None
        return {
            "username": user.username,
            "role": user.role.name,
            "active": user.active,
            "password_hash": user.password_hash,
            "organisations": sorted(o.code for o in user.organisations),
            "regions": sorted(r.code for r in user.regions),
        }
