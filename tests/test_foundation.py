"""The app factory, configuration from the environment, and the migrations agreeing with the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pbadmin.extensions import db
from tests.conftest import make_app
from tests.helpers import login

ROOT = Path(__file__).resolve().parents[1]


def test_layout_has_every_required_file():
    for name in (
        "wsgi.py",
        "config.py",
        "pbadmin/__init__.py",
        "plugins",
        "migrations/env.py",
        "tests",
        "requirements.txt",
        "README.md",
        "Makefile",
        ".ci/run",
    ):
        assert (ROOT / name).exists(), name


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert "==" in line, f"unpinned requirement: {line}"


def test_two_apps_from_the_factory_are_independent(app, world, migrated_url):
    """Each app has its own admin, whose list pages show its own PBADMIN_PAGE_SIZE rows."""
    small = make_app(migrated_url, PBADMIN_PAGE_SIZE=2)
    assert small.extensions["pbadmin_admin"] is not app.extensions["pbadmin_admin"]
    rows = []
    for each in (app, small):
        client = each.test_client()
        login(client, "root")
        rows.append(client.get("/admin/members/").get_data(as_text=True).count('name="rowid"'))
    assert rows[0] > 2 and rows[1] == 2


def test_configuration_comes_from_the_environment(tmp_path):
    env = dict(
        os.environ,
        PBADMIN_INSTANCE_DIR=str(tmp_path),
        PBADMIN_HOST="127.0.0.9",
        PBADMIN_PORT="5123",
        PBADMIN_SCHEDULER="off",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite",
    )
    env.pop("SECRET_KEY", None)
    env.pop("PBADMIN_DATA_KEY", None)
    code = (
        "from wsgi import app; c = app.config; "
        "print(c['PBADMIN_HOST'], c['PBADMIN_PORT'], c['PBADMIN_SCHEDULER'], c['SQLALCHEMY_DATABASE_URI'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["127.0.0.9", "5123", "False", f"sqlite:///{tmp_path}/x.sqlite"]
    # secrets were generated into the instance folder, readable by the owner only
    for name in ("secret_key", "data_key"):
        path = tmp_path / name
        assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    again = subprocess.run(
        [sys.executable, "-c", "from wsgi import app; print(app.config['SECRET_KEY'])"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.strip() == (tmp_path / "secret_key").read_text().strip()


def test_defaults_are_sqlite_under_instance_and_loopback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PBADMIN_HOST", "PBADMIN_PORT")}
    env["PBADMIN_INSTANCE_DIR"] = str(tmp_path)
    code = (
        "from wsgi import app; c = app.config; "
        "print(c['SQLALCHEMY_DATABASE_URI'], c['PBADMIN_HOST'], c['PBADMIN_PORT'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [f"sqlite:///{tmp_path}/pbadmin.sqlite", "127.0.0.1", "5000"]


def test_migrations_and_models_agree(app):
    """No pending autogenerate diff: the migrations build exactly what the models declare."""
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == [], diff
