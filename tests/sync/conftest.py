"""A region plugin of each gateway profile, configured to a sandbox gateway served on 127.0.0.1.

``gateway(profile)`` writes a throwaway plugin for region 331004 (the ``world``'s county) that
reports the core catalogue, starts a sandbox province for it over real HTTP, enables and
configures the plugin, and gives the committee R of the world a report code. Retries and
time-outs are shortened so the error paths run in a fraction of a second.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Report
from pbadmin.plugins import enablement
from pbadmin.sandbox.app import SandboxConfig
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.pbadmin_source import org_units_from_database
from pbadmin.sandbox.server import SandboxControl, SandboxServer
from tests.conftest import BACKEND, TEST_DATA_KEY, make_app
from tests.plugin_system.conftest import write_plugin

ROOT = Path(__file__).resolve().parents[2]
SEED = "test-sandbox-seed"
ORG_UNIT = "331004-R"
FAST = {
    "PBADMIN_SYNC_RETRY_BASE": 0.05,
    "PBADMIN_SYNC_RETRY_CAP": 0.2,
    "PBADMIN_SYNC_MAX_ATTEMPTS": 4,
    "PBADMIN_SYNC_CONNECT_TIMEOUT": 2.0,
    "PBADMIN_SYNC_READ_TIMEOUT": 3.0,
    "PBADMIN_SYNC_CLAIM_SECONDS": 30,
    "PBADMIN_CATALOGUE_MAX_AGE": 0,
    "PBADMIN_OUTBOX_POLL": 0.05,
}

SYNC_PLUGIN = """
from pbadmin.toolkit import DataElementSpec, PluginInfo, hookimpl, measures, standard_schedules, standard_settings


@hookimpl
def plugin_info():
    return PluginInfo(name="{name}", title="同步测试区", version="1.0.0", region_code="331004")


@hookimpl
def gateway_profile():
    return "{profile}"


@hookimpl
def register_settings():
    return standard_settings()


@hookimpl
def register_schedules():
    return standard_schedules("{name}")


@hookimpl
def register_data_elements():
    return [DataElementSpec(code, "测试数据元", "stock", measure=measures.venues()) for code in {extra!r}]
"""


@dataclass
class Gateway:
    """A configured plugin and the sandbox province it reports to."""

    app: Flask
    server: SandboxServer
    plugin: str
    profile: str

    @property
    def control(self) -> SandboxControl:
        return SandboxControl(self.server.url)

    def cli(self, *args: str):
        return self.app.test_cli_runner().invoke(args=["pbadmin", *args])

    def reports(self) -> list[Report]:
        with self.app.app_context():
            rows = db.session.scalars(select(Report).options(selectinload(Report.attempts)).order_by(Report.id)).all()
            db.session.expunge_all()
            return rows

    def pushes(self) -> list[dict]:
        """The requests the province received at its push endpoint (not catalogue reads or tokens)."""
        log = self.control.state()["requests"].get(self.profile, [])
        return [entry for entry in log if entry["method"] == "POST" and not entry["path"].endswith("/oauth/token")]


@pytest.fixture
def gateway(migrated_url, plugins_dir, app, world):
    """``gateway(profile, extra_elements=(), **config)`` → a ready ``Gateway``; servers stop afterwards."""
    started: list[SandboxServer] = []

    def build(profile: str = "zhejiang", extra_elements: tuple[str, ...] = (), **config) -> Gateway:
        name = f"sync{profile[:2]}"
        write_plugin(plugins_dir, name, SYNC_PLUGIN.format(name=name, profile=profile, extra=list(extra_elements)))
        plugin_app = make_app(migrated_url, PBADMIN_PLUGINS_DIR=str(plugins_dir), **{**FAST, **config})
        server = SandboxServer(
            SandboxConfig(credentials=sandbox_credentials(SEED), org_units=org_units_from_database(plugin_app))
        ).start()
        started.append(server)
        with plugin_app.app_context(), acting_as("test-setup"):
            db.session.scalar(select(PartyOrganization).filter_by(code="R")).report_code = ORG_UNIT
            enablement.apply_core()
            enablement.enable(name)
            settings = {"base_url": server.base_url(profile), "require_approval": "false"}
            enablement.configure(name, {**settings, **sandbox_credentials(SEED)[profile]})
            db.session.commit()
        gateway = Gateway(plugin_app, server, name, profile)
        if profile != "zhejiang":  # the sandbox knows the org units of its own province (33 is zhejiang)
            gateway.control.add_org_unit(profile, ORG_UNIT, "区中医院党委")
        return gateway

    yield build
    for server in started:
        server.stop()


def subprocess_env(app: Flask, plugins_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a separate pbadmin process needs to share this test's database and plugins."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://"),
        PBADMIN_DATA_KEY=TEST_DATA_KEY,
        SECRET_KEY="test-secret-key",
        PBADMIN_PLUGINS_DIR=str(plugins_dir),
        PBADMIN_SCHEDULER="off",
        PBADMIN_TEST_BACKEND=BACKEND,
    )
    env.update({key: str(value) for key, value in FAST.items()})
    env.update(extra)
    return env


_STARTED: list[subprocess.Popen] = []


def start_pbadmin(env: dict[str, str], *args: str) -> subprocess.Popen:
    """``flask --app wsgi pbadmin ARGS`` as a process of its own, its output going to a file.

    A file, not a pipe: a process whose pipe nobody reads blocks on its next log line.
    """
    output = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "pbadmin", *args],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.output_file = output
    _STARTED.append(process)
    return process


def stop_pbadmin(process: subprocess.Popen, how: int = signal.SIGTERM, timeout: float = 45) -> str:
    """Signal the process, wait for it, and return what it printed; a process that will not stop is killed."""
    if process.poll() is None:
        process.send_signal(how)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"pbadmin {process.args[5:]} ignored signal {how}:\n{output_of(process)}") from None
    return output_of(process)


def output_of(process: subprocess.Popen) -> str:
    process.output_file.seek(0)
    return process.output_file.read()


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test():
    """A pbadmin process left running would hold the lease and claim the next tests' reports."""
    yield
    while _STARTED:
        process = _STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait()
        process.output_file.close()
