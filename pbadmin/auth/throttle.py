"""Login throttling kept in the database, so it holds across processes and hosts.

Failures are counted for an account and a client address *together*: an address that keeps
guessing one account's password is slowed down, while the account's owner, logging in from
anywhere else, is not. Up to ``PBADMIN_LOGIN_FREE_FAILURES`` failures are free; after that each
attempt must wait 1 s, 2 s, 4 s… after the previous failure, up to ``PBADMIN_LOGIN_MAX_DELAY_SECONDS``.
There is never a fixed lock of an account for everyone, which anyone could otherwise impose on
``admin``. An address spraying many names is slowed the same way on its failures across all names,
from ``PBADMIN_LOGIN_ADDRESS_FREE_FAILURES`` on. Failures older than ``PBADMIN_LOGIN_WINDOW_SECONDS``
are forgotten, and a successful login clears that account's failures from that address only.

An attempt is recorded as a failure *before* its password is checked (and turned into a success
afterwards), so parallel requests cannot all slip through one gap between two delays. Attempts
refused because of a delay check no password and are not counted. Times come from the database's
clock on PostgreSQL (``database_now``), one clock for every host.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from flask import current_app
from sqlalchemy import delete, func, select

from pbadmin.extensions import db
from pbadmin.models import LoginAttempt
from pbadmin.models.base import database_now


def client_key(address: str | None) -> str:
    """The address attempts are counted under: an IPv4 address as it is, an IPv6 one by its /64
    network (one subscriber holds a whole /64, so hopping inside it must not reset the count)."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:45]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _delay(failures: int, free: int, cap: int) -> int:
    """Seconds to wait after the last of ``failures``: none while free, then doubling up to the cap."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 32), cap)


def seconds_to_wait(username: str, address: str, before_id: int | None = None) -> int:
    """How long this address must still wait before trying this username (0: it may try now).

    ``before_id`` counts only the attempts recorded before that one (the attempt asking)."""
    config = current_app.config
    now = database_now()
    conditions = [
        LoginAttempt.ip == address[:45],
        LoginAttempt.success.is_(False),
        LoginAttempt.at >= now - dt.timedelta(seconds=config["PBADMIN_LOGIN_WINDOW_SECONDS"]),
    ]
    if before_id is not None:
        conditions.append(LoginAttempt.id < before_id)
    this_account = LoginAttempt.username == username[:64]
    account_failures, account_last, address_failures, address_last = db.session.execute(
        select(
            func.count().filter(this_account),
            func.max(LoginAttempt.at).filter(this_account),
            func.count(),
            func.max(LoginAttempt.at),
        ).where(*conditions)
    ).one()
    cap = config["PBADMIN_LOGIN_MAX_DELAY_SECONDS"]
    wait = 0.0
    for failures, last, free in (
        (account_failures, account_last, config["PBADMIN_LOGIN_FREE_FAILURES"]),
        (address_failures, address_last, config["PBADMIN_LOGIN_ADDRESS_FREE_FAILURES"]),
    ):
        delay = _delay(failures, free, cap)
        if delay and last is not None:
            wait = max(wait, (last + dt.timedelta(seconds=delay) - now).total_seconds())
    return max(0, math.ceil(wait))


def start_attempt(username: str, address: str) -> tuple[LoginAttempt | None, int]:
    """``(attempt, 0)`` when this address may try this username now, the attempt already recorded as
    a failure; ``(None, seconds)`` when it must wait, nothing recorded."""
    wait = seconds_to_wait(username, address)
    if wait:
        return None, wait
    attempt = LoginAttempt(username=username[:64], ip=address[:45], success=False, at=database_now())
    db.session.add(attempt)
    db.session.commit()
    # Parallel attempts that were recorded first count against this one.
    wait = seconds_to_wait(username, address, before_id=attempt.id)
    if wait:
        db.session.delete(attempt)
        db.session.commit()
        return None, wait
    return attempt, 0


def finish_attempt(attempt: LoginAttempt, success: bool) -> None:
    """A failure stays recorded as it is; a success clears this account's failures from this address."""
    if not success:
        return
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == attempt.username,
            LoginAttempt.ip == attempt.ip,
            LoginAttempt.success.is_(False),
            LoginAttempt.id != attempt.id,
        )
    )
    attempt.success = True
    db.session.commit()
