"""Build a database state once, then restore it per test: emptying and refilling beats rebuilding.

A test world takes ~0.1 s to build through the ORM (plus demos that take seconds); copying its rows
back with one ``executemany`` per table takes a few milliseconds. Emptying deletes from the tables
that hold rows only: PostgreSQL's TRUNCATE of every table costs ~0.35 s a test, a DELETE of a
handful of small tables a few milliseconds. Foreign keys are not checked while a state is emptied
or restored (SQLite's ``foreign_keys`` pragma, PostgreSQL's ``session_replication_role``), so the
order of tables never matters; the rows themselves came from a consistent database.

Sequences are not reset: a snapshot's rows keep the ids they were built with, and every id a test
creates afterwards is above them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pbadmin.extensions import db


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table, by table name, in the metadata's dependency order."""

    rows: dict[str, list[dict]]


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def _tables_with_rows(conn: Connection) -> list[sa.Table]:
    tables = _tables()
    probes = sa.union_all(
        *(
            sa.select(sa.literal(table.name).label("name")).where(sa.exists(sa.select(1).select_from(table)))
            for table in tables
        )
    )
    filled = set(conn.execute(probes).scalars())
    return [table for table in tables if table.name in filled]


def _without_foreign_key_checks(conn: Connection) -> None:
    """For this transaction (PostgreSQL) or until ``_with_foreign_key_checks`` (SQLite, whose pragma
    must be set outside a transaction and lasts for the pooled connection)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    else:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")


def _with_foreign_key_checks(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def is_empty() -> bool:
    with db.engine.connect() as conn:
        return not _tables_with_rows(conn)


def take() -> Snapshot:
    """Read the current database into memory (committed rows, through a connection of its own)."""
    with db.engine.connect() as conn:
        return Snapshot(
            {table.name: [dict(row._mapping) for row in conn.execute(sa.select(table))] for table in _tables()}
        )


def empty() -> None:
    """Delete every row of every table that has one."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # A response a test never read to the end (a streamed export) can leave a connection idle
            # in its transaction, holding locks a DELETE would wait on forever.
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('idle in transaction', 'idle in transaction (aborted)')"
            )
            conn.commit()
        _without_foreign_key_checks(conn)
        for table in reversed(_tables_with_rows(conn)):
            conn.execute(table.delete())
        conn.commit()
        _with_foreign_key_checks(conn)


def restore(snapshot: Snapshot) -> None:
    """Put the snapshot's rows back into tables the caller has emptied."""
    tables = {table.name: table for table in _tables()}
    with db.engine.connect() as conn:
        _without_foreign_key_checks(conn)
        for name, rows in snapshot.rows.items():
            if rows:
                conn.execute(tables[name].insert(), rows)
        conn.commit()
        _with_foreign_key_checks(conn)
