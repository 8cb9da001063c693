"""The settings page's "test connection": fetch the gateway's catalogue and say plainly what happened."""

from __future__ import annotations

import requests

from pbadmin.plugins.settings import PROFILE_SETTINGS
from pbadmin.sync.auth import TIMEOUT, authorise


def check_connection(profile: str | None, settings: dict) -> tuple[bool, str]:
    if profile not in PROFILE_SETTINGS:
        return False, f"插件没有声明网关类型 / the plugin declares no gateway profile ({profile!r})"
    needed = ["base_url", *(spec.key for spec in PROFILE_SETTINGS[profile] if spec.required)]
    missing = [key for key in needed if not settings.get(key)]
    if missing:
        return False, f"缺少设置 / missing settings: {', '.join(missing)}"
    url = f"{settings['base_url']}/api/dataElements"
    with requests.Session() as session:
        try:
            headers = authorise(session, profile, settings, "GET", url)
            answer = session.get(url, headers=headers, timeout=TIMEOUT)
        except requests.ConnectionError:
            return False, f"无法连接到网关 {settings['base_url']}：地址或网络不通 / cannot connect to the gateway"
        except requests.Timeout:
            return False, "网关响应超时 / the gateway did not answer in time"
        except requests.HTTPError as exc:  # the OAuth token request was refused
            status = exc.response.status_code if exc.response is not None else "?"
            return False, f"获取令牌被拒绝（HTTP {status}）：请检查 client_id / client_secret"
    if answer.status_code in (401, 403):
        return False, f"网关拒绝了凭据（HTTP {answer.status_code}）：请检查令牌、账号或密钥 / credentials refused"
    if answer.status_code == 404:
        return False, "网关没有目录接口（HTTP 404）：base_url 可能填错 / wrong base_url?"
    if answer.status_code >= 400:
        return False, f"网关返回错误 HTTP {answer.status_code} / the gateway answered with an error"
    try:
        count = len(answer.json()["dataElements"])
    except (ValueError, KeyError, TypeError):
        return False, "网关的回答不是数据元目录 / the answer is not a data element catalogue"
    return True, f"连接成功：网关目录含 {count} 个数据元 / connected: {count} data elements in the catalogue"
