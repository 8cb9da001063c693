"""Where a plugin's reports go: its gateway profile, settings and client, or why it cannot send yet."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.sync.gateways import TIMEOUT, GatewayClient, client_for
from pbadmin.sync.profiles import profile_spec


class NotReady(RuntimeError):
    """The plugin cannot send: disabled, broken, without a gateway profile or missing settings."""


@dataclass(frozen=True)
class Target:
    plugin: str
    profile: str
    settings: dict
    client: GatewayClient


def profile_of(plugin: str) -> str:
    try:
        record = enablement.registry().get(plugin)
    except PluginError as exc:
        raise NotReady(f"没有名为 {plugin} 的插件 / no plugin named {plugin}") from exc
    if not record.healthy:
        raise NotReady(f"插件 {plugin} 加载失败 / plugin {plugin} is broken: {'; '.join(record.errors)}")
    if not record.profile:
        raise NotReady(f"插件 {plugin} 没有声明省级网关类型 / plugin {plugin} declares no gateway profile")
    return record.profile


def target_for(plugin: str) -> Target:
    profile = profile_of(plugin)
    if not enablement.is_enabled(plugin):
        raise NotReady(f"插件 {plugin} 未启用 / plugin {plugin} is not enabled")
    settings = enablement.settings_of(plugin)
    missing = enablement.missing_settings(plugin) or profile_spec(profile).missing_credentials(settings)
    if missing:
        raise NotReady(f"插件 {plugin} 缺少设置 / plugin {plugin} is missing settings: {', '.join(missing)}")
    config = current_app.config
    timeout = (
        float(config.get("PBADMIN_SYNC_CONNECT_TIMEOUT", TIMEOUT[0])),
        float(config.get("PBADMIN_SYNC_READ_TIMEOUT", TIMEOUT[1])),
    )
    return Target(plugin, profile, settings, client_for(plugin, profile, settings, timeout))


def approval_required(plugin: str) -> bool:
    """Plugins declare ``require_approval`` (default on): reports then wait for a region admin."""
    value = enablement.settings_of(plugin).get("require_approval")
    return True if value is None else bool(value)
