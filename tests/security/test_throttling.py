"""Point 6: throttling cannot lock a user out, and cannot tell who exists.

The attacks: (1) five wrong passwords from anywhere used to lock any account, ``root`` included, for
everyone — a denial of service anyone could run; (2) an unknown user name was answered without
computing a hash, so the answer's speed told which names exist.

What holds now: failures are counted per account *and* address together and answered with a delay
that doubles with each further failure (HTTP 429 saying how long to wait); the owner logging in from
elsewhere is not affected. One address spraying many names is delayed the same way across all of
them. Every attempt that is let through checks exactly one password hash, real or dummy.

No test here measures or waits for time: the clock is moved by ageing the recorded attempts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from pbadmin.auth import throttle
from pbadmin.extensions import db
from pbadmin.models import LoginAttempt, User
from pbadmin.models.base import utcnow
from pbadmin.security import passwords
from tests.conftest import make_app
from tests.helpers import PASSWORD, login

WRONG = "not the password"
HAMMER = "203.0.113.66"
OWNER = "198.51.100.7"


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.fixture(autouse=True)
def the_clock_stands_still(monkeypatch):
    """The throttle's clock stops for each test: on a slow machine a one-second delay could otherwise run
    out between two steps. Time passes only where a test says so (``let_time_pass``)."""
    moment = utcnow()
    monkeypatch.setattr(throttle, "database_now", lambda: moment)


@pytest.fixture
def hammer(app, world):
    return client_from(app, HAMMER)


@pytest.fixture
def owner(app, world):
    return client_from(app, OWNER)


def free(app) -> int:
    return app.config["PBADMIN_LOGIN_FREE_FAILURES"]


def fail(client, username: str, times: int = 1) -> None:
    for _ in range(times):
        assert login(client, username, WRONG).status_code == 401


def keep_failing(app, client, username: str, times: int) -> None:
    """Fail ``times`` times, each time waiting out whatever delay is asked (by ageing the attempts)."""
    for _ in range(times):
        answer = login(client, username, WRONG)
        if answer.status_code == 429:
            let_time_pass(app, wait_asked(answer))
            answer = login(client, username, WRONG)
        assert answer.status_code == 401


def wait_asked(answer) -> int:
    """The seconds a refused attempt is told to wait."""
    assert answer.status_code == 429, answer.status_code
    return int(answer.headers["Retry-After"])


def let_time_pass(app, seconds: float) -> None:
    """Move every recorded attempt into the past instead of sleeping."""
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.at -= dt.timedelta(seconds=seconds)
        db.session.commit()


def attempts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LoginAttempt))


def is_logged_in(client) -> bool:
    return client.get("/admin/members/").status_code == 200


# --- one address hammering one account --------------------------------------------------------


def test_the_free_failures_default_to_five_and_delays_are_capped_at_fifteen_minutes(app):
    assert app.config["PBADMIN_LOGIN_FREE_FAILURES"] == 5
    assert app.config["PBADMIN_LOGIN_MAX_DELAY_SECONDS"] == 15 * 60
    assert "PBADMIN_LOGIN_MAX_FAILURES" not in app.config  # the fixed lock is gone


def test_a_hammering_address_is_delayed_while_the_owner_logs_in_from_another_address(app, hammer, owner):
    fail(hammer, "staff_a", free(app))
    assert wait_asked(login(hammer, "staff_a", WRONG)) >= 1
    assert login(owner, "staff_a").status_code == 302
    assert is_logged_in(owner)
    assert wait_asked(login(hammer, "staff_a", WRONG)) >= 1


def test_hammering_the_superadmin_cannot_lock_the_superadmin_out(app, hammer, owner):
    keep_failing(app, hammer, "root", free(app) + 3)
    assert login(hammer, "root").status_code == 429
    assert login(owner, "root").status_code == 302
    assert is_logged_in(owner)


def test_a_delayed_address_is_refused_even_with_the_right_password(app, hammer):
    """Otherwise the delay would still answer "right" or "wrong" at full speed."""
    fail(hammer, "staff_a", free(app))
    answer = login(hammer, "staff_a")
    assert answer.status_code == 429
    assert not is_logged_in(hammer)


def test_the_refusal_says_in_chinese_how_long_to_wait(app, hammer):
    fail(hammer, "staff_a", free(app))
    answer = login(hammer, "staff_a", WRONG)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 429
    assert "登录失败次数过多，请等待 1 秒后再试" in page


def test_long_waits_are_given_in_minutes(app, hammer):
    with app.app_context():
        for _ in range(free(app) + 20):
            db.session.add(LoginAttempt(username="staff_a", ip=HAMMER, success=False, at=throttle.database_now()))
        db.session.commit()
    answer = login(hammer, "staff_a", WRONG)
    assert wait_asked(answer) == 15 * 60
    assert "登录失败次数过多，请等待 15 分钟后再试" in answer.get_data(as_text=True)


def test_the_delay_doubles_with_each_further_failure(app, hammer):
    fail(hammer, "staff_a", free(app))
    asked = []
    for _ in range(5):
        asked.append(wait_asked(login(hammer, "staff_a", WRONG)))
        let_time_pass(app, asked[-1])
        fail(hammer, "staff_a")
    assert asked == [1, 2, 4, 8, 16]
    assert wait_asked(login(hammer, "staff_a", WRONG)) == 32


def test_the_delay_never_exceeds_the_cap(app, hammer):
    with app.app_context():
        for _ in range(200):
            db.session.add(LoginAttempt(username="staff_a", ip=HAMMER, success=False, at=throttle.database_now()))
        db.session.commit()
    assert wait_asked(login(hammer, "staff_a", WRONG)) == app.config["PBADMIN_LOGIN_MAX_DELAY_SECONDS"]


def test_once_the_delay_has_passed_the_address_may_try_again(app, hammer):
    keep_failing(app, hammer, "staff_a", free(app) + 1)
    wait = wait_asked(login(hammer, "staff_a"))
    let_time_pass(app, wait)
    assert login(hammer, "staff_a").status_code == 302
    assert is_logged_in(hammer)


def test_attempts_refused_during_a_delay_neither_count_nor_lengthen_it(app, hammer):
    fail(hammer, "staff_a", free(app))
    recorded = attempts(app)
    for _ in range(10):
        assert wait_asked(login(hammer, "staff_a", WRONG)) == 1
    assert attempts(app) == recorded


def test_failures_older_than_the_window_are_forgotten(app, hammer):
    keep_failing(app, hammer, "staff_a", free(app) + 4)
    let_time_pass(app, app.config["PBADMIN_LOGIN_WINDOW_SECONDS"] + 1)
    assert login(hammer, "staff_a").status_code == 302


def test_the_owners_login_elsewhere_does_not_reset_the_hammering_address(app, hammer, owner):
    keep_failing(app, hammer, "staff_a", free(app) + 2)
    assert login(owner, "staff_a").status_code == 302
    assert wait_asked(login(hammer, "staff_a", WRONG)) == 4


def test_a_successful_login_clears_the_failures_of_that_address_for_that_account(app, hammer):
    fail(hammer, "staff_a", free(app) - 1)
    assert login(hammer, "staff_a").status_code == 302
    fail(hammer, "staff_a", free(app) - 1)  # a fresh allowance: the earlier failures were cleared
    assert login(hammer, "staff_a").status_code == 302


def test_failures_against_one_account_do_not_delay_another_from_the_same_address(app, hammer):
    fail(hammer, "staff_a", free(app))
    assert login(hammer, "viewer_a").status_code == 302


def test_the_delay_is_kept_in_the_database_for_every_process(app, migrated_url, hammer):
    """Another worker process (another app on the same database) sees the same delay."""
    fail(hammer, "staff_a", free(app))
    other_process = make_app(migrated_url)
    try:
        answer = client_from(other_process, HAMMER).post("/login")  # warm-up: no token, refused with 400
        assert answer.status_code == 400
        assert wait_asked(login(client_from(other_process, HAMMER), "staff_a")) >= 1
    finally:
        with other_process.app_context():
            db.session.remove()
            db.engine.dispose()


def test_ipv6_addresses_of_one_network_share_their_delay(app, world):
    """An IPv6 user holds a whole /64: hopping between its addresses must not reset the count."""
    for host in range(free(app)):
        fail(client_from(app, f"2001:db8:1:2::{host + 1:x}"), "staff_a")
    assert login(client_from(app, "2001:db8:1:2::beef"), "staff_a").status_code == 429
    assert login(client_from(app, "2001:db8:1:3::1"), "staff_a").status_code == 302


# --- one address spraying many accounts ---------------------------------------------------------


def test_one_address_spraying_many_names_is_delayed_across_all_of_them(app, hammer, owner):
    limit = app.config["PBADMIN_LOGIN_ADDRESS_FREE_FAILURES"]
    assert limit > free(app)
    for number in range(limit):
        fail(hammer, f"guess{number}")
    assert wait_asked(login(hammer, "staff_a")) >= 1  # even a name it never tried
    assert login(owner, "staff_a").status_code == 302


def test_the_address_wide_delay_grows_too(app, hammer):
    limit = app.config["PBADMIN_LOGIN_ADDRESS_FREE_FAILURES"]
    for number in range(limit):
        fail(hammer, f"guess{number}")
    asked = []
    for number in range(3):
        asked.append(wait_asked(login(hammer, f"another{number}", WRONG)))
        let_time_pass(app, asked[-1])
        fail(hammer, f"another{number}")
    assert asked == [1, 2, 4]


# --- who exists cannot be told --------------------------------------------------------------------


@pytest.fixture
def verifications(monkeypatch):
    """Every password hash the login checks, in order."""
    seen = []
    real = passwords.verify_password

    def counting(password_hash, password):
        seen.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return seen


@pytest.mark.parametrize(
    "username,password,status",
    [
        ("nobody", WRONG, 401),
        ("staff_a", WRONG, 401),
        ("staff_a", PASSWORD, 302),
    ],
    ids=["unknown-name", "known-name-wrong-password", "known-name-right-password"],
)
def test_every_login_checks_exactly_one_password_hash(app, hammer, verifications, username, password, status):
    assert login(hammer, username, password).status_code == status
    assert len(verifications) == 1


def test_an_inactive_user_is_checked_like_anyone_then_refused(app, hammer, verifications):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "staff_a")).active = False
        db.session.commit()
    answer = login(hammer, "staff_a")
    assert answer.status_code == 401
    assert "用户名或密码错误" in answer.get_data(as_text=True)
    assert len(verifications) == 1


def test_an_unknown_name_is_checked_against_a_hash_of_the_configured_method(app, hammer, verifications):
    login(hammer, "nobody", WRONG)
    login(hammer, "nobody-either", WRONG)
    method = app.config["PBADMIN_PASSWORD_METHOD"]
    assert verifications[0].startswith(method + "$")
    assert verifications[1] == verifications[0]  # made once per method, not per attempt
    app.config["PBADMIN_PASSWORD_METHOD"] = "pbkdf2:sha256:2"
    login(hammer, "nobody", WRONG)
    assert verifications[2].startswith("pbkdf2:sha256:2$")


def test_an_unknown_name_and_a_known_one_get_the_same_answer_and_the_same_count(app, world):
    unknown, known = client_from(app, "192.0.2.1"), client_from(app, "192.0.2.2")
    fail(unknown, "nobody", free(app))
    fail(known, "staff_a", free(app))
    first, second = login(unknown, "nobody", WRONG), login(known, "staff_a", WRONG)
    assert first.status_code == second.status_code == 429
    assert first.headers["Retry-After"] == second.headers["Retry-After"]
