"""Fixtures: a migrated database per run (SQLite, or PostgreSQL when asked), emptied per test.

``PBADMIN_TEST_BACKEND=postgresql`` with ``PBADMIN_TEST_DATABASE_URL`` runs the same suite on a
database of its own, created for this run and dropped after it.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import pytest

_INSTANCE = tempfile.mkdtemp(prefix="pbadmin-test-instance-")
os.environ["PBADMIN_INSTANCE_DIR"] = _INSTANCE
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("PBADMIN_SCHEDULER", "off")

BACKEND = os.environ.get("PBADMIN_TEST_BACKEND", "sqlite")
TEST_DATA_KEY = "tL2yYhR2C8q3kV3m0d5bq7l2n8ZJc3G0k4W9l1x6Qe8="  # a test-only Fernet key

from sqlalchemy import text  # noqa: E402

from pbadmin import create_app  # noqa: E402
from pbadmin.extensions import db  # noqa: E402
from tests.helpers import World, build_world, login  # noqa: E402


def _postgres_database():
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(os.environ["PBADMIN_TEST_DATABASE_URL"])
    name = f"pbadmin_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False), admin_dsn, name


@pytest.fixture(scope="session")
def database_url():
    if BACKEND == "postgresql":
        import psycopg

        url, admin_dsn, name = _postgres_database()
        yield url
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        folder = tempfile.mkdtemp(prefix="pbadmin-test-db-")
        yield f"sqlite:///{Path(folder) / 'test.sqlite'}"


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "PBADMIN_DATA_KEY": TEST_DATA_KEY,
        "PBADMIN_SCHEDULER": False,
        "SERVER_NAME": None,
        # one PBKDF2 round: production keeps scrypt (pbadmin.security.passwords)
        "PBADMIN_PASSWORD_METHOD": "pbkdf2:sha256:1",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_url(database_url):
    """The schema comes from the Alembic migrations, exactly as in production."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # A response a test never read to the end (a streamed export) can leave a
            # connection idle in its transaction, holding locks TRUNCATE would wait on forever.
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for table in tables:
                conn.execute(table.delete())
        conn.commit()


@pytest.fixture
def app(migrated_url):
    app = make_app(migrated_url)
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def plugins_dir(tmp_path):
    """An empty plugins folder for throwaway plugins (``tests.plugin_system.conftest.write_plugin``)."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    return folder


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        return build_world()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _client_for(app, username):
    client = app.test_client()
    login(client, username)
    return client


@pytest.fixture
def superadmin_client(app, world):
    return _client_for(app, "root")


@pytest.fixture
def region_admin_client(app, world):
    return _client_for(app, "region_admin")


@pytest.fixture
def staff_a_client(app, world):
    return _client_for(app, "staff_a")


@pytest.fixture
def viewer_a_client(app, world):
    return _client_for(app, "viewer_a")
