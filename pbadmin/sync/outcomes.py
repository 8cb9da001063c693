"""What an answer means for a report, exactly as the contract's error list says, and when to try again.

- 200 with status SUCCESS or WARNING: accepted (WARNING's conflicts are kept and shown);
  200 with status ERROR, or 422: rejected, with the province's conflicts;
- 400, 401, 403, 409 and any other 4xx: failed for good; the reason goes to the admin;
- 429: retry after the gateway's Retry-After;
- 5xx, connection errors and time-outs: retry with exponential backoff and jitter.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass

from pbadmin.sync.gateways import Answer

RETRYABLE_STATUSES = {500, 502, 503, 504}
NEVER_RETRY = {
    400: "请求格式错误，省平台拒收（HTTP 400），不会重试 / malformed request (HTTP 400), not retried",
    401: "网关拒绝了凭据（HTTP 401）：请检查插件设置中的令牌、密钥或账号 / credentials refused (HTTP 401)",
    403: "省平台禁止此操作（HTTP 403）：请检查账号权限和插件设置 / forbidden (HTTP 403): check account and settings",
    409: "幂等键冲突（HTTP 409）：同一 Idempotency-Key 已用于不同内容，不会重试 / idempotency conflict (HTTP 409)",
}
STAGES = {"token": "获取令牌 / token request: ", "catalogue": "拉取目录 / catalogue pull: ", "push": ""}


@dataclass(frozen=True)
class Outcome:
    kind: str  # "accepted", "rejected", "retry" or "failed"
    message: str
    receipt: str | None = None
    retry_after: float | None = None
    summary: dict | None = None


def classify(answer: Answer) -> Outcome:
    prefix = STAGES.get(answer.stage, "")
    if answer.status is None:
        return Outcome("retry", prefix + (answer.error or "no answer"))
    summary = answer.json()
    if answer.status == 429:
        wait = retry_after_seconds(answer.headers.get("Retry-After"))
        return Outcome(
            "retry", prefix + f"省平台限流（HTTP 429），{wait or 0:g} 秒后重试 / rate limited", retry_after=wait
        )
    if answer.status in RETRYABLE_STATUSES or answer.status >= 500:
        return Outcome("retry", prefix + f"省平台暂时不可用（HTTP {answer.status}）/ gateway unavailable")
    if answer.status == 422:
        return Outcome("rejected", prefix + _rejection(summary), summary=summary)
    if 200 <= answer.status < 300 and answer.stage == "push":
        return _summary_outcome(summary, answer)
    if answer.status in NEVER_RETRY:
        return Outcome("failed", prefix + NEVER_RETRY[answer.status] + _gateway_says(summary), summary=summary)
    return Outcome(
        "failed",
        prefix + f"省平台返回 HTTP {answer.status}，不会重试 / HTTP {answer.status}, not retried",
        summary=summary,
    )


def _summary_outcome(summary: dict | None, answer: Answer) -> Outcome:
    status = (summary or {}).get("status")
    if status in ("SUCCESS", "WARNING"):
        message = "省平台已接收 / accepted"
        if status == "WARNING":
            message += "（有警告 / with warnings）：" + _conflicts(summary)
        return Outcome("accepted", message, receipt=summary.get("reference"), summary=summary)
    if status == "ERROR":
        return Outcome("rejected", _rejection(summary), summary=summary)
    # a 2xx that is not an import summary: the body cannot be trusted; the same key makes a retry safe
    return Outcome("retry", f"省平台的回答不是导入摘要 / the answer is not an import summary: {answer.text(200)}")


def _rejection(summary: dict | None) -> str:
    return "省平台退回了报告内容 / the gateway rejected the content: " + (
        _conflicts(summary) or "（无说明 / no reason given）"
    )


def _conflicts(summary: dict | None) -> str:
    conflicts = (summary or {}).get("conflicts") or []
    return "；".join(f"{item.get('object')}: {item.get('value')}" for item in conflicts if isinstance(item, dict))


def _gateway_says(summary: dict | None) -> str:
    said = (summary or {}).get("message") or (summary or {}).get("error")
    return f"。省平台说明 / the gateway says: {said}" if said else ""


def retry_after_seconds(header: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not header:
        return None
    text = header.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with equal jitter: ``base * 2**(n-1)`` capped, half of it fixed, half random."""

    base: float = 5.0
    cap: float = 900.0
    max_attempts: int = 10

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return retry_after
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    @classmethod
    def from_config(cls, config) -> RetryPolicy:
        return cls(
            base=float(config.get("PBADMIN_SYNC_RETRY_BASE", cls.base)),
            cap=float(config.get("PBADMIN_SYNC_RETRY_CAP", cls.cap)),
            max_attempts=int(config.get("PBADMIN_SYNC_MAX_ATTEMPTS", cls.max_attempts)),
        )
