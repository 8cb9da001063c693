"""Plugin settings: the schema (gateway credentials per profile plus the plugin's own), validation,
and storage with secrets encrypted at rest and never shown or logged."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger

from pbadmin.plugins.specs import SettingSpec
from pbadmin.sync.profiles import PROFILES as GATEWAY_PROFILES

#: each gateway profile's credentials as settings (pbadmin.sync.profiles holds the profiles)
PROFILE_SETTINGS: dict[str, tuple[SettingSpec, ...]] = {
    name: tuple(
        SettingSpec(c.key, "str", required=c.required, secret=c.secret, description=c.description)
        for c in spec.credentials
    )
    for name, spec in GATEWAY_PROFILES.items()
}
BASE_URL = SettingSpec("base_url", "url", required=True, description="省级上报网关地址，如 https://gateway.example.cn")
TRUE_WORDS = {"1", "true", "yes", "on", "是", "开"}
FALSE_WORDS = {"0", "false", "no", "off", "否", "关"}


class SettingsError(ValueError):
    """Carries one message per bad key, for the form or the CLI to show."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {why}" for key, why in problems.items()))
        self.problems = problems


def schema_for(profile: str | None, own: list[SettingSpec]) -> list[SettingSpec]:
    specs = [BASE_URL, *PROFILE_SETTINGS.get(profile or "", ())]
    known = {spec.key for spec in specs}
    return specs + [spec for spec in own if spec.key not in known]


def parse_value(spec: SettingSpec, raw):
    """Turn what a form or the command line gave into the typed value, or raise ValueError."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if spec.type == "url":
        return _parse_url(str(text))
    if spec.type == "cron":
        try:
            CronTrigger.from_crontab(str(text))
        except ValueError as exc:
            raise ValueError(f"不是有效的 cron 表达式 / not a valid cron expression ({exc})") from exc
        return str(text)
    if spec.type == "int":
        try:
            return int(text)
        except (TypeError, ValueError) as exc:
            raise ValueError("应为整数 / must be a whole number") from exc
    if spec.type == "bool":
        if isinstance(text, bool):
            return text
        word = str(text).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("应为 是/否 (true/false)")
    return str(text)


def _parse_url(text: str) -> str:
    """Only plain http(s) addresses: no other scheme, no credentials inside, no spaces or control characters."""
    not_an_address = ValueError("不是有效的 http(s) 地址 / not an http(s) URL")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise not_an_address from None
    has_blank_or_control = any(ord(char) < 33 or ord(char) == 127 for char in text)
    if has_blank_or_control or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise not_an_address
    if parts.username is not None or parts.password is not None:
        raise ValueError("地址中不能包含账号或密码，请填在对应的设置项中 / no user or password inside the address")
    return text.rstrip("/")


def validate(schema: list[SettingSpec], current: dict, changes: dict) -> dict:
    """The full settings after applying ``changes`` over ``current``; every problem at once."""
    by_key = {spec.key: spec for spec in schema}
    problems: dict[str, str] = {}
    result = dict(current)
    for key, raw in changes.items():
        spec = by_key.get(key)
        if spec is None:
            problems[key] = f"未知的设置项 / unknown setting (known: {', '.join(by_key)})"
            continue
        try:
            value = parse_value(spec, raw)
        except ValueError as exc:
            problems[key] = str(exc)
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    for spec in schema:
        if spec.key not in result and spec.default is not None:
            result[spec.key] = spec.default
    if problems:
        raise SettingsError(problems)
    return result


def missing_required(schema: list[SettingSpec], values: dict) -> list[str]:
    return [spec.key for spec in schema if spec.required and values.get(spec.key) in (None, "")]


def destination(schema: list[SettingSpec], values: dict) -> dict:
    """The settings that decide where requests go (every ``url`` setting, ``base_url`` first among them)."""
    return {spec.key: values.get(spec.key) for spec in schema if spec.type == "url"}


def split_secrets(schema: list[SettingSpec], values: dict) -> tuple[dict, str | None]:
    """Plain settings for the JSON column, and the secrets as one JSON text for the encrypted column.

    The secrets are stored with the destination they were entered for: ``join_secrets`` hands them
    out only while the plain settings still point there, so no request carries them elsewhere."""
    secret_keys = {spec.key for spec in schema if spec.secret}
    plain = {k: v for k, v in values.items() if k not in secret_keys}
    secret = {k: v for k, v in values.items() if k in secret_keys}
    if not secret:
        return plain, None
    return plain, json.dumps({"entered_for": destination(schema, plain), "values": secret}, sort_keys=True)


def join_secrets(schema: list[SettingSpec], plain: dict | None, secret_text: str | None) -> dict:
    """The plain settings with the secrets that were entered for the destination they name now."""
    values = dict(plain or {})
    if not secret_text:
        return values
    stored = json.loads(secret_text)
    if "entered_for" not in stored:  # written before secrets were bound: bound to where they are now
        values.update(stored)
    elif stored["entered_for"] == destination(schema, values):
        values.update(stored["values"])
    return values


def secrets_to_retype(schema: list[SettingSpec], current: dict, updated: dict, changes: dict) -> dict[str, str]:
    """When the destination changes, every stored secret must be typed again in the same change."""
    if destination(schema, current) == destination(schema, updated):
        return {}
    why = (
        "网关地址已更改：请重新输入此项，已保存的值不会发往新地址 / the gateway address changed: type this secret again"
    )
    return {
        spec.key: why
        for spec in schema
        if spec.secret and current.get(spec.key) not in (None, "") and changes.get(spec.key) in (None, "")
    }
