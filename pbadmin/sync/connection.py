"""The settings page's "test connection": fetch the gateway's catalogue and say plainly what happened."""

from __future__ import annotations

from pbadmin.sync.gateways import make_client
from pbadmin.sync.outcomes import classify
from pbadmin.sync.profiles import PROFILES


def check_connection(profile: str | None, settings: dict) -> tuple[bool, str]:
    spec = PROFILES.get(profile or "")
    if spec is None:
        return False, f"插件没有声明网关类型 / the plugin declares no gateway profile ({profile!r})"
    missing = ([] if settings.get("base_url") else ["base_url"]) + spec.missing_credentials(settings)
    if missing:
        return False, f"缺少设置 / missing settings: {', '.join(missing)}"
    client = make_client(profile, settings)
    try:
        answer = client.data_elements()
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
