"""Configuration read from the environment, with safe defaults for a newcomer.

Secrets that are not given in the environment (SECRET_KEY, PBADMIN_DATA_KEY) are
generated once into ``instance/`` with owner-only permissions, so a fresh clone runs
without set-up and nothing secret is ever committed.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PBADMIN_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "on", "true", "yes"}


def instance_secret(filename: str, generate) -> str:
    """Return the secret stored in ``instance/filename``, creating it on first use."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / filename
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate())
    return path.read_text().strip()


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


class Config:
    """Everything the app reads from the environment, in one place."""

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'pbadmin.sqlite'}")
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or instance_secret("secret_key", lambda: secrets.token_hex(32))
        self.PBADMIN_DATA_KEY = os.environ.get("PBADMIN_DATA_KEY") or instance_secret("data_key", _new_fernet_key)
        self.PBADMIN_HOST = os.environ.get("PBADMIN_HOST", "127.0.0.1")
        self.PBADMIN_PORT = int(os.environ.get("PBADMIN_PORT", "5000"))
        self.PBADMIN_SCHEDULER = _env_flag("PBADMIN_SCHEDULER", True)
        self.SESSION_COOKIE_SECURE = _env_flag("PBADMIN_SECURE_COOKIES", False)
        self.PBADMIN_PLUGINS_DIR = os.environ.get("PBADMIN_PLUGINS_DIR", str(BASE_DIR / "plugins"))
        # Safe mode loads no plugin at all: the way back in when a plugin breaks start-up.
        self.PBADMIN_SAFE_MODE = _env_flag("PBADMIN_SAFE_MODE", False)
        # Mount the sandbox provincial gateway at /sandbox (``make run`` turns it on; never in production).
        self.PBADMIN_SANDBOX = _env_flag("PBADMIN_SANDBOX", False)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    # Uploads above this size are refused with HTTP 413 before they reach a view.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "PBADMIN_MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "WTF_CSRF_TIME_LIMIT": None,
    # Login throttling (pbadmin.auth.throttle): failures per account and address, and per address
    # across all names, are free up to a number, then each further one doubles the wait (1 s, 2 s, 4 s…)
    # up to the cap. Never a lock for everyone: the owner logs in from elsewhere. Older failures are forgotten.
    "PBADMIN_LOGIN_FREE_FAILURES": 5,
    "PBADMIN_LOGIN_ADDRESS_FREE_FAILURES": 20,
    "PBADMIN_LOGIN_MAX_DELAY_SECONDS": 15 * 60,
    "PBADMIN_LOGIN_WINDOW_SECONDS": 24 * 3600,
    # Sessions end after this many minutes without a request (0: never; PERMANENT_SESSION_LIFETIME still applies).
    "PBADMIN_IDLE_MINUTES": 30,
    # ID numbers registered outside a user's scope (docs/security.md): how many such members one user
    # may run into per window before every new ID number they enter is refused.
    "PBADMIN_ID_COLLISION_LIMIT": 5,
    "PBADMIN_ID_COLLISION_WINDOW_SECONDS": 3600,
    # Rows on an admin list page; the page's own choice (?page_size= of 20, 50 or 100) overrides it.
    "PBADMIN_PAGE_SIZE": 20,
    # Reports to the provinces (docs/sync.md): retries, time-outs, claims, the scheduler lease.
    "PBADMIN_SYNC_RETRY_BASE": 5.0,
    "PBADMIN_SYNC_RETRY_CAP": 900.0,
    "PBADMIN_SYNC_MAX_ATTEMPTS": 10,
    "PBADMIN_SYNC_CONNECT_TIMEOUT": 5.0,
    "PBADMIN_SYNC_READ_TIMEOUT": 20.0,
    "PBADMIN_SYNC_CLAIM_SECONDS": 120,
    "PBADMIN_CATALOGUE_MAX_AGE": 900,
    "PBADMIN_OUTBOX_WORKERS": 2,
    "PBADMIN_OUTBOX_POLL": 2.0,
    "PBADMIN_SCHEDULER_LEASE_SECONDS": 30,
    # Excel/CSV imports (docs/staff-workflows.md): the largest file, and when a silent job is taken over.
    "PBADMIN_IMPORT_MAX_ROWS": 20_000,
    # What an uploaded .xlsx may unpack to, all its parts together: a workbook bomb is refused before
    # it is read. 20,000 roster rows take about 14 MB; raise it together with PBADMIN_IMPORT_MAX_ROWS.
    "PBADMIN_IMPORT_MAX_UNCOMPRESSED_BYTES": 32 * 1024 * 1024,
    "PBADMIN_IMPORT_STALE_SECONDS": 120,
    "PBADMIN_IMPORT_KEEP_DAYS": 7,
}


def _numbers_from_environment() -> dict:
    """Numeric PBADMIN_* defaults may be overridden by an environment variable of the same name."""
    overrides = {}
    for key, default in DEFAULTS.items():
        raw = os.environ.get(key)
        if key.startswith("PBADMIN_") and raw is not None and isinstance(default, (int, float)):
            overrides[key] = type(default)(raw)
    return overrides


def load_config() -> dict:
    """Defaults overlaid with what the environment says."""
    settings = dict(DEFAULTS)
    settings.update(_numbers_from_environment())
    env = Config()
    settings.update({k: v for k, v in vars(env).items() if k.isupper()})
    return settings


MIGRATIONS_DIR = BASE_DIR / "migrations"
