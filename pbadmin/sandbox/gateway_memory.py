"""What one sandbox gateway remembers, in memory, behind one lock (the server answers from many threads).

Stored cells and receipts, the answers remembered per Idempotency-Key, sichuan's seen nonces,
shandong's tokens, the request log, and the switches the control API sets. Every public method
takes the lock itself, so callers never hold it while they wait on a database or a sleep. There is
one of each per profile of pbadmin.sync.profiles.
"""

from __future__ import annotations

import copy
import datetime as dt
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pbadmin.sandbox.answers import import_summary
from pbadmin.sandbox.imports import Verdict
from pbadmin.sandbox.published_elements import published_elements
from pbadmin.sync.profiles import PROFILE_NAMES as PROFILES

REQUEST_LOG_SIZE = 1000


@dataclass(frozen=True)
class Remembered:
    """The first answer given to an Idempotency-Key, and the SHA-256 of the body it answered."""

    body_sha256: str
    status: int
    answer: dict


class GatewayState:
    def __init__(self, token_ttl: int, max_clock_skew: int) -> None:
        self.lock = threading.Lock()
        self.default_token_ttl = token_ttl
        self.max_clock_skew = max_clock_skew
        self.reset()

    def reset(self) -> None:
        """Forget everything, switches included: as fresh as a new app."""
        with self.lock:
            self.cells: dict[tuple[str, str, str, str, str], str] = {}
            self.complete_dates: dict[tuple[str, str, str, str], str] = {}
            self.receipts: list[dict] = []
            self.remembered: dict[tuple[str, str], Remembered] = {}
            self.nonces: dict[str, float] = {}
            self.tokens: dict[str, float] = {}
            self.requests: dict[str, deque] = {p: deque(maxlen=REQUEST_LOG_SIZE) for p in PROFILES}
            self.pushes: Counter[tuple[str, str, str, str]] = Counter()
            #: requests that reached the gateway, by (profile, method), counted before any latency:
            #: a test waits for "the request is in flight" on this, never on a fixed sleep
            self.arrivals: Counter[tuple[str, str]] = Counter()
            self.latency: dict[str, float] = dict.fromkeys(PROFILES, 0.0)
            self.failures: dict[str, list[dict]] = {p: [] for p in PROFILES}
            self.clock_offset = 0.0
            self.token_ttl = self.default_token_ttl
            self.added_elements: dict[str, dict[str, str]] = {p: {} for p in PROFILES}
            self.removed_elements: dict[str, set[str]] = {p: set() for p in PROFILES}
            self.added_org_units: dict[str, dict[str, dict]] = {p: {} for p in PROFILES}
            self.removed_org_units: dict[str, set[str]] = {p: set() for p in PROFILES}
            self.locked_periods: dict[str, set[str]] = {p: set() for p in PROFILES}

    # --- switches -------------------------------------------------------------------------------
    def set_latency(self, seconds: float, profile: str | None = None) -> None:
        with self.lock:
            for name in [profile] if profile else PROFILES:
                self.latency[name] = seconds

    def latency_for(self, profile: str) -> float:
        with self.lock:
            return self.latency[profile]

    def add_failures(self, failures: list[dict], profile: str | None = None) -> None:
        with self.lock:
            for name in [profile] if profile else PROFILES:
                self.failures[name].extend(copy.deepcopy(failures))

    def take_failure(self, profile: str, method: str, path: str) -> dict | None:
        """The next injected failure that matches this request, counted down by one; None when there is none."""
        with self.lock:
            for failure in self.failures[profile]:
                if failure.get("method", method) == method and failure.get("path", path) == path:
                    failure["times"] -= 1
                    if failure["times"] <= 0:
                        self.failures[profile].remove(failure)
                    return dict(failure)
            return None

    def set_clock_offset(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset = seconds

    def clock(self) -> float:
        """The gateway's clock (sichuan checks timestamps against it): real time plus the offset switch."""
        with self.lock:
            return time.time() + self.clock_offset

    def set_token_ttl(self, seconds: int) -> None:
        with self.lock:
            self.token_ttl = seconds

    # --- credentials that change ----------------------------------------------------------------
    def first_use_of_nonce(self, nonce: str) -> bool:
        """Record ``nonce``; False when it was seen within twice the skew window (any older one is stale anyway)."""
        now = time.time()
        with self.lock:
            cutoff = now - 2 * self.max_clock_skew
            while self.nonces and next(iter(self.nonces.values())) < cutoff:
                del self.nonces[next(iter(self.nonces))]
            if nonce in self.nonces:
                return False
            self.nonces[nonce] = now
            return True

    def issue_token(self) -> tuple[str, int]:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.time() + self.token_ttl
            return token, self.token_ttl

    def token_expiry(self, token: str) -> float | None:
        with self.lock:
            return self.tokens.get(token)

    def expire_tokens(self) -> int:
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0.0
            return len(self.tokens)

    # --- catalogue ------------------------------------------------------------------------------
    def change_elements(self, profile: str, add: dict[str, str], remove: Iterable[str]) -> None:
        with self.lock:
            for code, name in add.items():
                self.added_elements[profile][code] = name
                self.removed_elements[profile].discard(code)
            for code in remove:
                self.added_elements[profile].pop(code, None)
                self.removed_elements[profile].add(code)

    def elements(self, profile: str) -> dict[str, str]:
        """code → name of what the province publishes now: its catalogue, plus additions, minus removals."""
        with self.lock:
            merged = {**published_elements(profile), **self.added_elements[profile]}
            return {code: name for code, name in merged.items() if code not in self.removed_elements[profile]}

    def change_org_units(self, profile: str, add: list[dict], remove: Iterable[str]) -> None:
        with self.lock:
            for unit in add:
                self.added_org_units[profile][unit["code"]] = dict(unit)
                self.removed_org_units[profile].discard(unit["code"])
            for code in remove:
                self.added_org_units[profile].pop(code, None)
                self.removed_org_units[profile].add(code)

    def org_units(self, profile: str, known: Iterable[dict]) -> dict[str, dict]:
        """code → org unit: ``known`` (from the config) plus additions, minus removals."""
        units = {
            unit["code"]: {"code": unit["code"], "name": unit["name"], "parent": unit.get("parent")} for unit in known
        }
        with self.lock:
            units.update(copy.deepcopy(self.added_org_units[profile]))
            return {code: unit for code, unit in units.items() if code not in self.removed_org_units[profile]}

    def lock_periods(self, profile: str, periods: Iterable[str], locked: bool = True) -> None:
        """Periods the province has closed for data entry: every value for them is refused."""
        with self.lock:
            if locked:
                self.locked_periods[profile].update(periods)
            else:
                self.locked_periods[profile].difference_update(periods)

    def is_locked(self, profile: str, period: str) -> bool:
        with self.lock:
            return period in self.locked_periods[profile]

    # --- pushes ---------------------------------------------------------------------------------
    def settle_push(self, profile: str, key: str, body_sha256: str, verdict: Verdict) -> tuple[int, dict]:
        """Replay, refuse (409) or store, in one locked step so two requests with one key cannot both store."""
        with self.lock:
            previous = self.remembered.get((profile, key))
            if previous is not None:
                if previous.body_sha256 == body_sha256:
                    return previous.status, copy.deepcopy(previous.answer)
                return 409, {
                    "status": "ERROR",
                    "message": "该 Idempotency-Key 已用于另一请求体 / this Idempotency-Key came with another body",
                }
            if verdict.status == 200:
                reference, counts = self._store(profile, verdict)
                answer = import_summary(
                    "WARNING" if verdict.warnings else "SUCCESS", reference, counts, verdict.warnings
                )
            else:
                answer = verdict.answer
            self.remembered[(profile, key)] = Remembered(body_sha256, verdict.status, copy.deepcopy(answer))
            return verdict.status, answer

    def store(self, profile: str, verdict: Verdict) -> tuple[str, Counter]:
        """Store an accepted verdict's cells without any Idempotency-Key (dhis2): its receipt and counts."""
        with self.lock:
            return self._store(profile, verdict)

    def _store(self, profile: str, verdict: Verdict) -> tuple[str, Counter]:
        counts = Counter()
        for (data_set, org_unit, period, element), value in verdict.cells.items():
            cell = (profile, data_set, org_unit, period, element)
            old = self.cells.get(cell)
            if old is None:
                counts["imported"] += 1
            elif Decimal(old) == Decimal(value):
                counts["ignored"] += 1
                continue
            else:
                counts["updated"] += 1
            self.cells[cell] = value
        for (data_set, org_unit, period), complete_date in verdict.complete_dates.items():
            self.complete_dates[(profile, data_set, org_unit, period)] = complete_date
        reports = sorted(verdict.reports or ({cell[:3] for cell in verdict.cells} | set(verdict.complete_dates)))
        for report in reports:
            self.pushes[(profile, *report)] += 1
        reference = f"{profile}-{secrets.token_hex(8)}"
        self.receipts.append(
            {
                "reference": reference,
                "profile": profile,
                "received": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "reports": [{"dataSet": ds, "orgUnit": ou, "period": pe} for ds, ou, pe in reports],
                "importCount": {key: counts.get(key, 0) for key in ("imported", "updated", "ignored", "deleted")},
            }
        )
        return reference, counts

    def read_back(
        self, profile: str, data_set: str, period: str, org_unit: str, cells_under: str | None = None
    ) -> dict:
        """The stored report, in the shape of a push (no values when nothing was stored).

        ``cells_under``: the data set the cells are stored under when it is not ``data_set`` (dhis2: "")."""
        stored_under = data_set if cells_under is None else cells_under
        with self.lock:
            values = [
                {"dataElement": element, "value": value}
                for (p, ds, ou, pe, element), value in sorted(self.cells.items())
                if (p, ds, ou, pe) == (profile, stored_under, org_unit, period)
            ]
            complete_date = self.complete_dates.get((profile, data_set, org_unit, period))
        report = {"dataSet": data_set, "period": period, "orgUnit": org_unit}
        if complete_date:
            report["completeDate"] = complete_date
        report["dataValues"] = values
        return report

    # --- what the control API shows -------------------------------------------------------------
    def note_arrival(self, profile: str, method: str) -> None:
        with self.lock:
            self.arrivals[(profile, method)] += 1

    def log_request(self, profile: str, method: str, path: str, query: str, key: str | None, status: int) -> None:
        with self.lock:
            self.requests[profile].append(
                {"method": method, "path": path, "query": query, "idempotencyKey": key, "status": status}
            )

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "cells": [
                    {"profile": p, "dataSet": ds, "orgUnit": ou, "period": pe, "dataElement": de, "value": v}
                    for (p, ds, ou, pe, de), v in sorted(self.cells.items())
                ],
                "receipts": copy.deepcopy(self.receipts),
                "requests": {profile: list(log) for profile, log in self.requests.items()},
                "arrivals": [{"profile": p, "method": m, "count": n} for (p, m), n in sorted(self.arrivals.items())],
                "pushes": [
                    {"profile": p, "dataSet": ds, "orgUnit": ou, "period": pe, "count": n}
                    for (p, ds, ou, pe), n in sorted(self.pushes.items())
                ],
                "switches": {
                    "latency": dict(self.latency),
                    "failures": copy.deepcopy(self.failures),
                    "clockOffset": self.clock_offset,
                    "tokenTtl": self.token_ttl,
                    "lockedPeriods": {profile: sorted(periods) for profile, periods in self.locked_periods.items()},
                },
            }
