"""What an answer means for a report, exactly as the contract's error list says, and when to try again.

- 200 with status SUCCESS or WARNING: accepted (WARNING's conflicts are kept and shown);
  200 with status ERROR, or 422: rejected, with the province's conflicts;
- 400, 401, 403, 409 and any other 4xx: failed for good; the reason goes to the admin;
- 429: retry after the gateway's Retry-After;
- 5xx, connection errors and time-outs: retry with exponential backoff and jitter.

A dhis2 answer (``Answer.dialect``) is DHIS2's: the import summary bare or inside a WebMessage's
``response``; an import with conflicts (HTTP 409, or a summary listing conflicts) is rejected content
with the conflicts as the reason, never an idempotency conflict. ``read_back_outcome`` says whether a
read-back shows the gateway already holds a report.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pbadmin.sync.gateways import Answer
from pbadmin.sync.profiles import DHIS2_WEB_MESSAGE

RETRYABLE_STATUSES = {500, 502, 503, 504}
NEVER_RETRY = {
    400: "请求格式错误，省平台拒收（HTTP 400），不会重试 / malformed request (HTTP 400), not retried",
    401: "网关拒绝了凭据（HTTP 401）：请检查插件设置中的令牌、密钥或账号 / credentials refused (HTTP 401)",
    403: "省平台禁止此操作（HTTP 403）：请检查账号权限和插件设置 / forbidden (HTTP 403): check account and settings",
    409: "幂等键冲突（HTTP 409）：同一 Idempotency-Key 已用于不同内容，不会重试 / idempotency conflict (HTTP 409)",
}
STAGES = {
    "token": "获取令牌 / token request: ",
    "catalogue": "拉取目录 / catalogue pull: ",
    "read-back": "读回核对 / read-back: ",
    "push": "",
}
ALREADY_HELD = (
    "读回核对：省平台已保存本报告的全部数值，未重新发送 / read back: the gateway already holds every value "
    "of this report; not sent again"
)


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
    if answer.dialect == DHIS2_WEB_MESSAGE:
        return _dhis2_outcome(answer, summary, prefix)
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


def dhis2_import_summary(body: dict | None) -> dict | None:
    """DHIS2's import summary: the body itself, or the ``response`` of a WebMessage wrapping one."""
    if not isinstance(body, dict):
        return None
    inner = body.get("response")
    if isinstance(inner, dict) and (inner.get("responseType") == "ImportSummary" or "importCount" in inner):
        return inner
    if body.get("responseType") == "ImportSummary" or "importCount" in body:
        return body
    return None


def _dhis2_outcome(answer: Answer, body: dict | None, prefix: str) -> Outcome:
    status = answer.status
    summary = dhis2_import_summary(body)
    if answer.stage == "push" and (200 <= status < 300 or status == 409):
        if summary is None:
            if status == 409:
                said = _gateway_says(body) or "（无说明 / no reason given）"
                return Outcome("rejected", "DHIS2 拒收了报告内容（HTTP 409）/ DHIS2 refused the content" + said)
            return Outcome("retry", f"DHIS2 的回答不是导入摘要 / not an import summary: {answer.text(200)}")
        if status == 409 or summary.get("conflicts") or summary.get("status") == "ERROR":
            return Outcome("rejected", _rejection(summary), summary=summary)
        if summary.get("status") in ("SUCCESS", "WARNING"):
            message = "DHIS2 已导入 / imported by DHIS2"
            return Outcome("accepted", message, receipt=summary.get("reference"), summary=summary)
        return Outcome("retry", f"DHIS2 导入摘要状态未知 / unknown import status {summary.get('status')!r}")
    if status in (400, 401, 403):
        return Outcome("failed", prefix + NEVER_RETRY[status] + _gateway_says(body), summary=summary)
    return Outcome(
        "failed",
        prefix + f"DHIS2 返回 HTTP {status}，不会重试 / HTTP {status}, not retried" + _gateway_says(body),
        summary=summary,
    )


def read_back_outcome(answer: Answer, values: list[tuple[str, str]]) -> Outcome | None:
    """After a read-back: accepted when the gateway holds every one of ``values`` already, None when it
    does not (send the report), or why the read-back itself failed (retry or failed)."""
    if answer.status != 200:
        outcome = classify(answer)
        return outcome if outcome.kind in ("retry", "failed") else Outcome("retry", outcome.message)
    stored = (answer.json() or {}).get("dataValues", [])
    if not isinstance(stored, list):
        return Outcome("retry", STAGES["read-back"] + "回答不是数据值集 / the answer is not a data value set")
    held = {
        item["dataElement"]: item.get("value")
        for item in stored
        if isinstance(item, dict) and isinstance(item.get("dataElement"), str)
    }
    if all(_same_number(held.get(code), value) for code, value in values):
        return Outcome("accepted", ALREADY_HELD)
    return None


def _same_number(stored: object, sent: str) -> bool:
    try:
        return stored is not None and Decimal(str(stored)) == Decimal(sent)
    except (InvalidOperation, ValueError):
        return str(stored) == sent


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
