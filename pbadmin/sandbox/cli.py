"""``pbadmin sandbox-gateway``: the sandbox provinces in the foreground, knowing this database's org units.

Credentials come from the instance's ``sandbox_seed``, so the demo's plugin settings (derived from
the same seed) work against it unchanged. It only listens on loopback: it has no real security.
"""

from __future__ import annotations

import ipaddress
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from pbadmin.sandbox.app import SandboxConfig
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.pbadmin_source import org_units_from_database
from pbadmin.sandbox.server import SandboxServer
from pbadmin.sync.profiles import PROFILE_NAMES


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("sandbox-gateway")
@click.option("--port", default=5050, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address to listen on.")
@with_appcontext
def sandbox_gateway(port: int, host: str) -> None:
    """Serve the sandbox provincial gateways (every profile) until Ctrl-C."""
    if not _is_loopback(host):
        raise click.UsageError(f"沙箱网关只监听本机回环地址 / the sandbox only listens on loopback, not {host}")
    from config import instance_secret

    credentials = sandbox_credentials(instance_secret("sandbox_seed", lambda: secrets.token_hex(32)))
    app = current_app._get_current_object()
    config = SandboxConfig(credentials=credentials, org_units=org_units_from_database(app), control=True)
    server = SandboxServer(config, port=port, host=host).start()
    click.echo("沙箱省级上报网关 / sandbox provincial gateways:")
    for profile in PROFILE_NAMES:
        settings = " ".join(f"{key}={value}" for key, value in credentials[profile].items())
        click.echo(f"  {profile:9} base_url={server.base_url(profile)} {settings}")
    click.echo(f"  control API: {server.url}/_control/state")
    click.echo("按 Ctrl-C 停止 / press Ctrl-C to stop")
    try:
        server.wait()
    except KeyboardInterrupt:
        click.echo("已停止 / stopped")
    finally:
        server.stop()
