"""Closure tables: "this subtree" as one indexed query, for any self-referencing tree.

Each tree keeps a closure table (ancestor_id, descendant_id, depth) with a row for
every ancestor/descendant pair, itself included at depth 0. Inserting a node copies
its parent's ancestor rows; moving a node re-links its whole subtree in two set-based
statements. The ORM keeps it current through mapper events, so the admin, the CLI and
imports all maintain it the same way.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    Select,
    Table,
    and_,
    delete,
    event,
    exists,
    insert,
    literal,
    select,
)
from sqlalchemy.engine import Connection

from pbadmin.extensions import db


class TreeCycleError(ValueError):
    """A node cannot be moved under itself or one of its descendants."""


class ClosureTree:
    def __init__(self, model, table_name: str) -> None:
        node_table = model.__table__
        self.model = model
        self.node_table = node_table
        self.table = Table(
            table_name,
            db.metadata,
            Column("ancestor_id", Integer, ForeignKey(node_table.c.id, ondelete="CASCADE"), primary_key=True),
            Column("descendant_id", Integer, ForeignKey(node_table.c.id, ondelete="CASCADE"), primary_key=True),
            Column("depth", Integer, nullable=False),
            Index(f"ix_{table_name}_descendant", "descendant_id", "depth"),
        )
        event.listen(model, "after_insert", self._after_insert)
        event.listen(model, "after_update", self._after_update)

    # --- queries -------------------------------------------------------------------
    def subtree_ids(self, ancestor_ids) -> Select:
        """SELECT of every node id at or below any of ``ancestor_ids`` (ids or a SELECT)."""
        return select(self.table.c.descendant_id).where(self.table.c.ancestor_id.in_(ancestor_ids))

    def ancestor_ids(self, node_id: int) -> Select:
        return select(self.table.c.ancestor_id).where(self.table.c.descendant_id == node_id)

    def is_within(self, connection: Connection, node_id: int, ancestor_id: int) -> bool:
        query = select(
            exists().where(and_(self.table.c.ancestor_id == ancestor_id, self.table.c.descendant_id == node_id))
        )
        return bool(connection.execute(query).scalar())

    # --- maintenance ---------------------------------------------------------------
    def attach(self, connection: Connection, node_id: int, parent_id: int | None) -> None:
        c = self.table.c
        connection.execute(insert(self.table).values(ancestor_id=node_id, descendant_id=node_id, depth=0))
        if parent_id is not None:
            connection.execute(
                insert(self.table).from_select(
                    ["ancestor_id", "descendant_id", "depth"],
                    select(c.ancestor_id, literal(node_id), c.depth + 1).where(c.descendant_id == parent_id),
                )
            )

    def move(self, connection: Connection, node_id: int, new_parent_id: int | None) -> None:
        c = self.table.c
        if new_parent_id is not None and self.is_within(connection, new_parent_id, node_id):
            raise TreeCycleError(node_id)
        subtree = select(c.descendant_id).where(c.ancestor_id == node_id)
        old_ancestors = select(c.ancestor_id).where(c.descendant_id == node_id, c.ancestor_id != node_id)
        connection.execute(delete(self.table).where(c.descendant_id.in_(subtree), c.ancestor_id.in_(old_ancestors)))
        if new_parent_id is None:
            return
        above = self.table.alias("above")
        below = self.table.alias("below")
        connection.execute(
            insert(self.table).from_select(
                ["ancestor_id", "descendant_id", "depth"],
                select(above.c.ancestor_id, below.c.descendant_id, above.c.depth + below.c.depth + 1)
                .select_from(above.join(below, literal(True)))
                .where(above.c.descendant_id == new_parent_id, below.c.ancestor_id == node_id),
            )
        )

    def rebuild(self, connection: Connection) -> None:
        """Recompute the whole closure from parent_id (repair tool; O(depth) statements)."""
        c = self.table.c
        nodes = self.node_table
        connection.execute(delete(self.table))
        connection.execute(
            insert(self.table).from_select(
                ["ancestor_id", "descendant_id", "depth"], select(nodes.c.id, nodes.c.id, literal(0))
            )
        )
        depth = 0
        while True:
            connection.execute(
                insert(self.table).from_select(
                    ["ancestor_id", "descendant_id", "depth"],
                    select(c.ancestor_id, nodes.c.id, literal(depth + 1))
                    .select_from(nodes.join(self.table, c.descendant_id == nodes.c.parent_id))
                    .where(c.depth == depth),
                )
            )
            depth += 1
            # rowcount of INSERT … SELECT is not reliable across drivers: ask the table instead
            if not connection.execute(select(exists().where(c.depth == depth))).scalar():
                break

    # --- ORM events ----------------------------------------------------------------
    def _after_insert(self, mapper, connection, target) -> None:
        self.attach(connection, target.id, target.parent_id)

    def _after_update(self, mapper, connection, target) -> None:
        # Compare with the closure itself rather than attribute history: the parent may
        # have been set through the relationship, whose FK sync leaves no history.
        c = self.table.c
        linked_parent = connection.execute(
            select(c.ancestor_id).where(c.descendant_id == target.id, c.depth == 1)
        ).scalar()
        if linked_parent != target.parent_id:
            self.move(connection, target.id, target.parent_id)
