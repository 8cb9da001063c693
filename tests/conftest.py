"""Fixtures: a migrated database per run (SQLite, or PostgreSQL when asked), emptied per test.

``PBADMIN_TEST_BACKEND=postgresql`` with ``PBADMIN_TEST_DATABASE_URL`` runs the same suite on a
database of its own, created for this run and dropped after it.
"""

from __future__ import annotations

import copy
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

from flask import Flask  # noqa: E402

from pbadmin import create_app  # noqa: E402
from pbadmin.extensions import db  # noqa: E402
from tests import snapshots  # noqa: E402
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


class SharedApp:
    """One app for a module's tests (building one costs ~0.15 s), as good as new for each of them.

    After each test the app's configuration is put back as it was built; a test that changed the app
    itself (a plugin's health, the admin's views, the routes) makes the next test get a new one.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.app: Flask | None = None

    def get(self) -> Flask:
        if self.app is None:
            self.app = make_app(self.database_url)
            self.config = copy.deepcopy(dict(self.app.config))
            self.fingerprint = _fingerprint(self.app)
        return self.app

    def reset(self) -> None:
        app = self.app
        if app is None:
            return
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        if _fingerprint(app) != self.fingerprint:
            self.close()

    def close(self) -> None:
        if self.app is not None:
            with self.app.app_context():
                db.engine.dispose()
        self.app = None


def _fingerprint(app: Flask) -> tuple:
    """What a test may change on an app besides its configuration."""
    registry = app.extensions["pbadmin_plugins"]
    plugins = tuple((r.name, r.healthy, tuple(r.errors)) for r in registry.records.values())
    return plugins, len(app.extensions["pbadmin_admin"]._views), len(list(app.url_map.iter_rules())), app.jinja_loader


@pytest.fixture(scope="module")
def shared_app(migrated_url):
    holder = SharedApp(migrated_url)
    yield holder
    holder.close()


@pytest.fixture
def app(shared_app):
    app = shared_app.get()
    yield app
    with app.app_context():
        db.session.remove()
        snapshots.empty()
        db.engine.dispose()
    shared_app.reset()


@pytest.fixture
def plugins_dir(tmp_path):
    """An empty plugins folder for throwaway plugins (``tests.plugin_system.conftest.write_plugin``)."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def world_snapshot(migrated_url) -> tuple[World, snapshots.Snapshot]:
    """The test world, built once per run and kept as rows (``tests.snapshots``)."""
    app = make_app(migrated_url)
    with app.app_context():
        world = build_world()
        snapshot = snapshots.take()
        db.session.remove()
        snapshots.empty()
        db.engine.dispose()
    return world, snapshot


@pytest.fixture
def world(app, world_snapshot) -> World:
    world, snapshot = world_snapshot
    with app.app_context():
        snapshots.restore(snapshot)
    return world


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
