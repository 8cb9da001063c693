"""How the gateway answers: the import summary of docs/gateway-contract.md, and refusals with a reason.

Every refusal carries ``{"status": "ERROR", "message": "中文 / English"}`` so the client can show
the province's own words to whoever has to fix the configuration.
"""

from __future__ import annotations

from flask import Response, jsonify


class Refusal(Exception):
    """An answer other than 200, raised wherever the gateway decides it; the app turns it into JSON."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, **extra) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict:
        return {**self.extra, "status": "ERROR", "message": self.message}

    def response(self) -> Response:
        answer = jsonify(self.body())
        answer.status_code = self.status
        answer.headers.update(self.headers)
        return answer


def import_summary(
    status: str,
    reference: str | None,
    counts: dict[str, int] | None = None,
    conflicts: list[dict[str, str]] | None = None,
) -> dict:
    """The contract's import summary; ``reference`` is None when nothing was accepted."""
    counts = counts or {}
    return {
        "status": status,
        "reference": reference,
        "importCount": {
            "imported": counts.get("imported", 0),
            "updated": counts.get("updated", 0),
            "ignored": counts.get("ignored", 0),
            "deleted": 0,
        },
        "conflicts": list(conflicts or []),
    }


def conflict(subject: str, why: str) -> dict[str, str]:
    return {"object": subject, "value": why}
