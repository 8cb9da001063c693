"""The settings page's "test connection": fetch the gateway's catalogue and say plainly what happened."""

from __future__ import annotations

from pbadmin.plugins.settings import PROFILE_SETTINGS
from pbadmin.sync.gateways import CLIENTS
from pbadmin.sync.outcomes import classify


def check_connection(profile: str | None, settings: dict) -> tuple[bool, str]:
    if profile not in PROFILE_SETTINGS:
        return False, f"插件没有声明网关类型 / the plugin declares no gateway profile ({profile!r})"
    needed = ["base_url", *(spec.key for spec in PROFILE_SETTINGS[profile] if spec.required)]
    missing = [key for key in needed if not settings.get(key)]
    if missing:
        return False, f"缺少设置 / missing settings: {', '.join(missing)}"
    client = CLIENTS[profile](settings)
    try:
        answer = client.get_json("/api/dataElements")
    finally:
        client.close()
    if answer.status == 404:
        return False, "网关没有目录接口（HTTP 404）：base_url 可能填错 / wrong base_url?"
    if answer.status != 200:
        return False, classify(answer).message
    try:
        count = len(answer.json()["dataElements"])
    except (KeyError, TypeError):
        return False, "网关的回答不是数据元目录 / the answer is not a data element catalogue"
    return True, f"连接成功：网关目录含 {count} 个数据元 / connected: {count} data elements in the catalogue"
