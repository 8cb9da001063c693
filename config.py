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
    "PBADMIN_LOGIN_MAX_FAILURES": 5,
    "PBADMIN_LOGIN_WINDOW_SECONDS": 15 * 60,
    "PBADMIN_PAGE_SIZE": 20,
}


def load_config() -> dict:
    """Defaults overlaid with what the environment says."""
    settings = dict(DEFAULTS)
    env = Config()
    settings.update({k: v for k, v in vars(env).items() if k.isupper()})
    return settings


MIGRATIONS_DIR = BASE_DIR / "migrations"
