"""The demo's wiring: the sandbox mounted at /sandbox of the pbadmin app, and plugins pointed at it.

``make run`` sets ``PBADMIN_SANDBOX=on`` and runs ``sync use-sandbox``, so a newcomer's demo
plugins report to a province that answers, inside the same process. Credentials come from the
instance's ``sandbox_seed``, the same seed ``sandbox-gateway`` uses.
"""

from __future__ import annotations

import secrets

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from config import instance_secret
from pbadmin.sandbox.app import SandboxConfig, create_sandbox_app
from pbadmin.sandbox.credentials import sandbox_credentials
from pbadmin.sandbox.pbadmin_source import org_units_from_database

MOUNT_POINT = "/sandbox"


def instance_credentials() -> dict[str, dict[str, str]]:
    return sandbox_credentials(instance_secret("sandbox_seed", lambda: secrets.token_hex(32)))


def mount_sandbox(app: Flask) -> None:
    """Serve the sandbox province at /sandbox/<profile>/… beside the admin."""
    # no control API here: it would let anyone who reaches the app reset the province
    config = SandboxConfig(credentials=instance_credentials(), org_units=org_units_from_database(app), control=False)
    sandbox = create_sandbox_app(config)
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {MOUNT_POINT: sandbox})


def sandbox_settings(base_url: str, profile: str) -> dict[str, str]:
    """The plugin settings that point a plugin of ``profile`` at the sandbox served from ``base_url``."""
    return {"base_url": f"{base_url.rstrip('/')}/{profile}", **instance_credentials()[profile]}
