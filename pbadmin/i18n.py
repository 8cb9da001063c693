"""Locale selection: Chinese (zh_Hans_CN) by default, English when the user asks for it."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale

from pbadmin.extensions import babel

SUPPORTED = {"zh_Hans_CN": "中文", "en": "English"}
DEFAULT_LOCALE = "zh_Hans_CN"
ALIASES = {"zh": "zh_Hans_CN", "zh_CN": "zh_Hans_CN", "zh-CN": "zh_Hans_CN", "en_US": "en", "en-US": "en"}


def normalise_locale(value: str | None) -> str | None:
    if not value:
        return None
    value = ALIASES.get(value, value)
    return value if value in SUPPORTED else None


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LOCALE
    asked = normalise_locale(request.args.get("lang"))
    if asked:
        session["lang"] = asked
        return asked
    return normalise_locale(session.get("lang")) or DEFAULT_LOCALE


def init_app(app: Flask) -> None:
    translations = str(Path(__file__).parent / "translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translations)
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT_LOCALE)
    app.jinja_env.globals["pb_locales"] = SUPPORTED
    app.jinja_env.globals["get_locale"] = get_locale
