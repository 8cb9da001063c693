"""The organisation tree answers "this subtree" from its closure table, kept current by the ORM."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, org_tree
from pbadmin.models.tree import TreeCycleError


def _add(code, parent=None, region_id=None):
    org = PartyOrganization(
        code=code, name=code, kind="branch" if parent else "committee", parent=parent, region_id=region_id
    )
    db.session.add(org)
    db.session.flush()
    return org


def _subtree(org) -> set[str]:
    ids = select(PartyOrganization.code).where(PartyOrganization.id.in_(org_tree.subtree_ids([org.id])))
    return set(db.session.scalars(ids))


def _closure_rows():
    return set(db.session.execute(select(org_tree.table)).all())


def test_subtree_is_one_indexed_query(app, world):
    with app.app_context():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            committee = db.session.get(PartyOrganization, world["committee"])
            statements.clear()
            assert _subtree(committee) == {"R", "A", "B"}
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) == 1
        assert "party_organization_closure" in statements[0]


def test_moving_an_organisation_moves_its_whole_subtree(app, world):
    with app.app_context():
        root = db.session.get(PartyOrganization, world["committee"])
        region = root.region_id
        a = db.session.get(PartyOrganization, world["org_a"])
        group = _add("A-1", parent=a, region_id=region)
        _add("A-1-x", parent=group, region_id=region)
        other_root = _add("Q", region_id=region)
        a.parent = other_root
        db.session.flush()
        assert _subtree(other_root) == {"Q", "A", "A-1", "A-1-x"}
        assert _subtree(root) == {"R", "B"}
        depths = dict(
            db.session.execute(
                select(org_tree.table.c.ancestor_id, org_tree.table.c.depth).where(
                    org_tree.table.c.descendant_id
                    == db.session.scalar(select(PartyOrganization.id).where(PartyOrganization.code == "A-1-x"))
                )
            ).all()
        )
        assert sorted(depths.values()) == [0, 1, 2, 3]


def test_an_organisation_cannot_move_under_its_own_descendant(app, world):
    with app.app_context():
        root = db.session.get(PartyOrganization, world["committee"])
        a = db.session.get(PartyOrganization, world["org_a"])
        root.parent = a
        with pytest.raises(TreeCycleError):
            db.session.flush()
        db.session.rollback()


def test_rebuilding_the_closure_gives_what_the_events_maintained(app, world):
    with app.app_context():
        a = db.session.get(PartyOrganization, world["org_a"])
        _add("A-2", parent=a, region_id=a.region_id)
        db.session.flush()
        maintained = _closure_rows()
        org_tree.rebuild(db.session.connection())
        assert _closure_rows() == maintained
        db.session.rollback()
