"""Point 5: logging out ends the session, and so do a password change, deactivation and idling.

The attack: someone copies a user's session cookie (a shared computer, a proxy log, malware) and replays
it from another browser. Flask's sessions are signed cookies, so the server cannot forget one; instead
every user carries a session version that each session must match, and bumping it ends every session
of that user at once.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from pbadmin.auth.views import LAST_SEEN_KEY, LOGGED_IN_KEY, SESSION_VERSION_KEY
from pbadmin.extensions import db
from pbadmin.models import User
from tests.helpers import PASSWORD, csrf_token, login

NEW_PASSWORD = "an entirely new password"


def is_logged_in(client) -> bool:
    answer = client.get("/admin/members/")
    assert answer.status_code in (200, 302)
    return answer.status_code == 200


def logout(client):
    body = client.get("/admin/").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/logout"[^>]*>(.*?)</form>', body, re.S)
    assert form, "the page has a logout form"
    token = re.search(r'value="([^"]+)"', form.group(1)).group(1)
    return client.post("/logout", data={"csrf_token": token})


def copy_of_session(app, client):
    """A second browser holding the very same session cookie: the attacker's copy."""
    cookie = client.get_cookie("session")
    assert cookie is not None, "the client holds a session cookie"
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def change_user(app, username: str, change) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        change(user)
        db.session.commit()


def session_version(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.session_version).where(User.username == username))


@pytest.fixture
def staff(app, world):
    client = app.test_client()
    assert login(client, "staff_a").status_code == 302
    return client


# --- a copied cookie --------------------------------------------------------------------------


def test_a_copied_session_cookie_works_while_the_user_is_logged_in(app, staff):
    """The premise of the attack: the copy is as good as the original until something ends the session."""
    assert is_logged_in(copy_of_session(app, staff))


def test_a_copied_session_cookie_stops_working_after_logout(app, staff):
    thief = copy_of_session(app, staff)
    assert logout(staff).status_code == 302
    assert not is_logged_in(staff)
    assert not is_logged_in(thief)


def test_logout_ends_every_session_of_the_user_on_every_device(app, world):
    """The documented choice: logging out on one device logs the user out everywhere."""
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "staff_a")
    login(phone, "staff_a")
    logout(laptop)
    assert not is_logged_in(phone)


def test_logout_of_one_user_leaves_other_users_logged_in(app, staff, viewer_a_client):
    logout(staff)
    assert is_logged_in(viewer_a_client)


def test_a_copied_session_cookie_stops_working_after_the_password_changes(app, staff):
    thief = copy_of_session(app, staff)
    change_user(app, "staff_a", lambda user: user.set_password(NEW_PASSWORD))
    assert not is_logged_in(thief)
    assert not is_logged_in(staff)
    assert login(app.test_client(), "staff_a", NEW_PASSWORD).status_code == 302


def test_a_copied_session_cookie_stops_working_after_deactivation(app, staff):
    thief = copy_of_session(app, staff)
    change_user(app, "staff_a", lambda user: setattr(user, "active", False))
    assert not is_logged_in(thief)
    assert not is_logged_in(staff)


def test_reactivating_a_user_does_not_bring_old_sessions_back(app, staff):
    thief = copy_of_session(app, staff)
    change_user(app, "staff_a", lambda user: setattr(user, "active", False))
    change_user(app, "staff_a", lambda user: setattr(user, "active", True))
    assert not is_logged_in(thief)
    assert login(app.test_client(), "staff_a").status_code == 302


def test_deactivation_in_the_user_admin_ends_the_users_sessions(app, staff, superadmin_client, world):
    thief = copy_of_session(app, staff)
    with app.app_context():
        staff_id = db.session.scalar(select(User.id).where(User.username == "staff_a"))
    token = csrf_token(superadmin_client, "/admin/users/")
    answer = superadmin_client.post(
        "/admin/users/action/", data={"action": "deactivate", "rowid": [staff_id], "csrf_token": token}
    )
    assert answer.status_code == 302
    assert not is_logged_in(thief)
    assert not is_logged_in(staff)


def test_an_inactive_user_with_an_unchanged_session_version_is_still_refused(app, staff):
    """Even a deactivation that bypassed the ORM (a bulk UPDATE) closes the door: inactive users load as nobody."""
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "staff_a").values(active=False))
        db.session.commit()
    assert not is_logged_in(staff)


def test_a_session_from_before_the_session_version_was_bumped_is_refused(app, staff):
    """A session carrying an old version number (a cookie copied before some logout) never comes back."""
    with staff.session_transaction() as stored:
        stored[SESSION_VERSION_KEY] -= 1
    assert not is_logged_in(staff)


def test_a_session_without_a_version_is_refused(app, staff):
    with staff.session_transaction() as stored:
        del stored[SESSION_VERSION_KEY]
    assert not is_logged_in(staff)


def test_a_user_whose_session_ended_is_told_to_log_in_again(app, staff):
    thief = copy_of_session(app, staff)
    logout(staff)
    answer = thief.get("/admin/members/", follow_redirects=True)
    assert "您的会话已结束，请重新登录" in answer.get_data(as_text=True)


# --- what bumps the session version, and what does not ----------------------------------------


def test_creating_a_user_with_a_password_starts_at_session_version_zero(app, world):
    with app.app_context():
        user = User(username="fresh", role_id=db.session.scalar(select(User.role_id).limit(1)))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        assert user.session_version == 0


def test_setting_a_new_password_bumps_the_session_version(app, world):
    before = session_version(app, "staff_a")
    change_user(app, "staff_a", lambda user: user.set_password(NEW_PASSWORD))
    assert session_version(app, "staff_a") == before + 1


def test_editing_other_fields_leaves_the_session_version_alone(app, staff):
    before = session_version(app, "staff_a")
    change_user(app, "staff_a", lambda user: setattr(user, "full_name", "新名字"))
    change_user(app, "staff_a", lambda user: setattr(user, "active", True))  # unchanged flag
    assert session_version(app, "staff_a") == before
    assert is_logged_in(staff)


def test_logging_in_again_after_logout_works(app, staff):
    logout(staff)
    assert login(staff, "staff_a").status_code == 302
    assert is_logged_in(staff)


def test_the_cli_resetting_a_password_ends_the_users_sessions(app, staff, runner):
    thief = copy_of_session(app, staff)
    result = runner.invoke(
        args=["pbadmin", "create-user", "staff_a", "--role", "staff", "--org", "A", "--password-stdin"],
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert not is_logged_in(thief)
    assert login(app.test_client(), "staff_a", NEW_PASSWORD).status_code == 302


# --- idle time-out -----------------------------------------------------------------------------


def idle_for(client, seconds: int) -> None:
    """Pretend the last request of this session was ``seconds`` ago, without waiting for it."""
    with client.session_transaction() as stored:
        stored[LAST_SEEN_KEY] = stored[LAST_SEEN_KEY] - seconds


def test_the_idle_time_out_defaults_to_thirty_minutes(app):
    assert app.config["PBADMIN_IDLE_MINUTES"] == 30


def test_a_session_idle_for_longer_than_the_time_out_is_logged_out(app, staff):
    app.config["PBADMIN_IDLE_MINUTES"] = 1
    idle_for(staff, 61)
    answer = staff.get("/admin/members/")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/login")
    page = staff.get(answer.headers["Location"]).get_data(as_text=True)
    assert "您已长时间未操作，请重新登录" in page
    assert not is_logged_in(staff)


def test_a_copied_cookie_of_an_idle_session_is_refused_too(app, staff):
    app.config["PBADMIN_IDLE_MINUTES"] = 1
    idle_for(staff, 120)
    assert not is_logged_in(copy_of_session(app, staff))


def test_a_session_used_within_the_time_out_stays_logged_in(app, staff):
    app.config["PBADMIN_IDLE_MINUTES"] = 1
    idle_for(staff, 50)
    assert is_logged_in(staff)


def test_requests_move_the_idle_deadline_on(app, staff):
    app.config["PBADMIN_IDLE_MINUTES"] = 2
    for _ in range(3):  # four and a half minutes in all, never two of them idle
        idle_for(staff, 90)
        assert is_logged_in(staff)


def test_the_last_seen_stamp_is_refreshed_at_most_once_a_minute(app, staff):
    with staff.session_transaction() as stored:
        stored[LAST_SEEN_KEY] = int(time.time()) - 30
        recent = stored[LAST_SEEN_KEY]
    assert is_logged_in(staff)
    with staff.session_transaction() as stored:
        assert stored[LAST_SEEN_KEY] == recent  # under a minute old: left alone
        stored[LAST_SEEN_KEY] = int(time.time()) - 90
        older = stored[LAST_SEEN_KEY]
    assert is_logged_in(staff)
    with staff.session_transaction() as stored:
        assert stored[LAST_SEEN_KEY] > older + 60  # over a minute old: renewed


def test_an_idle_time_out_of_zero_turns_it_off(app, staff):
    app.config["PBADMIN_IDLE_MINUTES"] = 0
    idle_for(staff, 10 * 24 * 3600)
    assert is_logged_in(staff)


# --- the session's lifetime ---------------------------------------------------------------------


def logged_in_ago(client, seconds: int) -> None:
    with client.session_transaction() as stored:
        stored[LOGGED_IN_KEY] = int(time.time()) - seconds


def test_a_busy_session_still_ends_eight_hours_after_login(app, staff):
    """Flask re-signs the cookie on every response, so without this a copied cookie kept busy lived for ever."""
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600
    logged_in_ago(staff, 8 * 3600 - 60)
    assert is_logged_in(staff)
    logged_in_ago(staff, 8 * 3600 + 1)
    answer = staff.get("/admin/members/", follow_redirects=True)
    assert "您的会话已结束，请重新登录" in answer.get_data(as_text=True)
    assert not is_logged_in(staff)
