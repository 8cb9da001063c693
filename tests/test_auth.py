"""Logging in and out: redirects, scrypt hashes, throttling, CSRF, cookies, security headers,
safe ``next`` targets, inactive users, read-only viewers and oversized uploads."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pbadmin.extensions import db
from pbadmin.models import Activity, LoginAttempt, Member, User
from tests.conftest import make_app
from tests.helpers import PASSWORD, csrf_token, login, submit

WRONG = "not the password"


def is_logged_in(client) -> bool:
    answer = client.get("/admin/members/")
    assert answer.status_code in (200, 302)
    return answer.status_code == 200


def logout_token(client) -> str:
    """The Flask-WTF token of the navbar's logout form."""
    body = client.get("/admin/").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/logout"[^>]*>(.*?)</form>', body, re.S)
    assert form, "the page has a logout form"
    token = re.search(r'value="([^"]+)"', form.group(1))
    assert token
    return token.group(1)


def set_user(app, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def location_path(answer) -> str:
    parts = urlsplit(answer.headers["Location"])
    assert parts.netloc in ("", "localhost"), answer.headers["Location"]
    return parts.path


# --- logging in ---------------------------------------------------------------------------


def test_unauthenticated_requests_to_the_admin_redirect_to_login(client, world):
    answer = client.get("/admin/members/")
    assert answer.status_code == 302
    assert location_path(answer) == "/login"
    assert parse_qs(urlsplit(answer.headers["Location"]).query)["next"][0].startswith("/admin/members/")


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/members/details/?id=1", "/admin/members/export/csv/", "/admin/audit/"]
)
def test_unauthenticated_requests_never_see_admin_pages(client, world, url):
    answer = client.get(url)
    assert answer.status_code == 302
    assert location_path(answer) == "/login"


def test_login_with_the_right_password_redirects_into_the_admin(client, world):
    answer = login(client, "staff_a")
    assert answer.status_code == 302
    assert location_path(answer) == "/admin/"
    assert is_logged_in(client)


def test_login_returns_to_the_page_asked_for(client, world):
    token = csrf_token(client, "/login?next=/admin/members/")
    answer = client.post(
        "/login",
        data={
            "username": "staff_a",
            "password": PASSWORD,
            "next": "/admin/members/",
            "csrf_token": token,
        },
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/admin/members/"


def test_login_with_a_wrong_password_is_refused_with_401_and_a_message(client, world):
    answer = login(client, "staff_a", WRONG)
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    assert "用户名或密码错误" in page or "Wrong username or password" in page
    assert not is_logged_in(client)


def test_login_of_an_unknown_user_gets_the_same_answer(client, world):
    answer = login(client, "nobody", WRONG)
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    assert "用户名或密码错误" in page or "Wrong username or password" in page
    assert not is_logged_in(client)


def test_passwords_are_hashed_with_scrypt_unless_configured_otherwise(app, world):
    with app.app_context():
        for user in db.session.scalars(select(User)):
            assert user.password_hash.startswith("pbkdf2:sha256:1$")  # the suite's cheap setting
            assert PASSWORD not in user.password_hash
            assert user.check_password(PASSWORD) and not user.check_password(WRONG)
    production = make_app(app.config["SQLALCHEMY_DATABASE_URI"], PBADMIN_PASSWORD_METHOD=None)
    with production.app_context():
        user = User(username="prod")
        user.set_password(PASSWORD)
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password(PASSWORD) and not user.check_password(WRONG)


def test_a_successful_login_records_last_login_time(app, client, world):
    login(client, "staff_a")
    with app.app_context():
        assert db.session.scalar(select(User.last_login_at).where(User.username == "staff_a")) is not None


# --- throttling -------------------------------------------------------------------------------


def test_too_many_failures_delay_this_address_even_for_the_right_password(app, client, world):
    free = app.config["PBADMIN_LOGIN_FREE_FAILURES"]
    assert free == 5
    for _ in range(free):
        assert login(client, "staff_a", WRONG).status_code == 401
    answer = login(client, "staff_a")
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) >= 1
    page = answer.get_data(as_text=True)
    assert "登录失败次数过多" in page or "Too many failed attempts" in page
    assert not is_logged_in(client)


def test_too_many_failures_from_one_address_do_not_lock_the_account_for_other_addresses(app, client, world):
    for _ in range(app.config["PBADMIN_LOGIN_FREE_FAILURES"]):
        login(client, "staff_a", WRONG)
    assert login(client, "staff_a").status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert login(elsewhere, "staff_a").status_code == 302
    assert is_logged_in(elsewhere)


def test_fewer_failures_than_the_free_allowance_do_not_delay(app, client, world):
    for _ in range(app.config["PBADMIN_LOGIN_FREE_FAILURES"] - 1):
        login(client, "staff_a", WRONG)
    assert login(client, "staff_a").status_code == 302
    assert is_logged_in(client)


def test_a_delayed_username_does_not_delay_other_usernames(app, client, world):
    for _ in range(app.config["PBADMIN_LOGIN_FREE_FAILURES"]):
        login(client, "staff_a", WRONG)
    assert login(client, "staff_a").status_code == 429
    other = app.test_client()
    assert login(other, "viewer_a").status_code == 302
    assert is_logged_in(other)


def test_failed_logins_are_counted_in_the_database(app, client, world):
    login(client, "staff_a", WRONG)
    login(client, "staff_a", WRONG)
    with app.app_context():
        failures = db.session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username == "staff_a", LoginAttempt.success.is_(False))
        )
    assert failures == 2


# --- CSRF, logout, cookies, headers -------------------------------------------------------


def test_login_without_a_csrf_token_is_refused(client, world):
    client.get("/login")
    answer = client.post("/login", data={"username": "staff_a", "password": PASSWORD})
    assert answer.status_code == 400
    assert not is_logged_in(client)


def test_login_with_a_forged_csrf_token_is_refused(client, world):
    client.get("/login")
    answer = client.post("/login", data={"username": "staff_a", "password": PASSWORD, "csrf_token": "forged"})
    assert answer.status_code == 400
    assert not is_logged_in(client)


def test_logout_by_get_is_not_allowed(staff_a_client):
    assert staff_a_client.get("/logout").status_code == 405
    assert is_logged_in(staff_a_client)


def test_logout_without_the_csrf_token_is_refused(staff_a_client):
    answer = staff_a_client.post("/logout")
    assert answer.status_code == 400
    assert is_logged_in(staff_a_client)


def test_logout_with_the_csrf_token_logs_out(staff_a_client):
    answer = staff_a_client.post("/logout", data={"csrf_token": logout_token(staff_a_client)})
    assert answer.status_code == 302
    assert location_path(answer) == "/login"
    assert not is_logged_in(staff_a_client)


def session_cookie_header(answer) -> str:
    cookies = [value for value in answer.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert cookies, answer.headers.getlist("Set-Cookie")
    return cookies[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, world):
    header = session_cookie_header(login(client, "staff_a"))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() == "samesite=lax"


def test_the_session_changes_on_login(client, world):
    before = session_cookie_header(client.get("/login"))
    after = session_cookie_header(login(client, "staff_a"))
    assert before.split(";")[0] != after.split(";")[0]


@pytest.mark.parametrize(
    "url",
    [
        "/login",
        "/admin/",
        "/admin/members/",
        "/admin/members/new/",
        "/admin/members/export/csv/",
        "/admin/does-not-exist/",
    ],
)
def test_pages_carry_security_headers(staff_a_client, url):
    answer = staff_a_client.get(url)
    answer.get_data()  # read streamed exports to the end, so the request's session is released
    csp = answer.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"
    assert answer.headers.get("X-Frame-Options") == "DENY"
    assert answer.headers.get("Referrer-Policy")


def test_the_login_page_carries_security_headers_before_login(client):
    answer = client.get("/login")
    assert answer.status_code == 200
    assert "frame-ancestors 'none'" in answer.headers.get("Content-Security-Policy", "")
    assert answer.headers.get("X-Content-Type-Options") == "nosniff"
    assert answer.headers.get("X-Frame-Options") == "DENY"
    assert answer.headers.get("Referrer-Policy")


# --- the next parameter ---------------------------------------------------------------------

OFF_SITE = [
    "//evil.example",
    "http://evil.example",
    "https://evil.example/admin/",
    "//evil.example/admin/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, world, target):
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login", data={"username": "staff_a", "password": PASSWORD, "next": target, "csrf_token": token}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/admin/"


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "/\t/evil.example"])
def test_login_never_redirects_to_a_path_browsers_read_as_another_host(client, world, target):
    """Browsers treat a backslash as a slash and drop tabs, so "/\\evil.example" leaves the site."""
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login", data={"username": "staff_a", "password": PASSWORD, "next": target, "csrf_token": token}
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    browser_view = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    assert not browser_view.startswith("//"), location
    assert urlsplit(browser_view).netloc == ""


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_redirects_off_site(client, target):
    answer = client.get("/lang/en", query_string={"next": target})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/admin/"


# --- inactive users -----------------------------------------------------------------------------


def test_an_inactive_user_cannot_log_in(app, client, world):
    set_user(app, "staff_a", active=False)
    answer = login(client, "staff_a")
    assert answer.status_code == 401
    assert not is_logged_in(client)


def test_a_user_deactivated_while_logged_in_loses_access(app, staff_a_client):
    assert is_logged_in(staff_a_client)
    set_user(app, "staff_a", active=False)
    assert not is_logged_in(staff_a_client)


# --- read-only viewers -------------------------------------------------------------------------


def test_a_viewer_can_list_members(viewer_a_client, world):
    answer = viewer_a_client.get("/admin/members/")
    assert answer.status_code == 200
    assert "党员A0" in answer.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_viewer_can_export_members(viewer_a_client, world, kind):
    answer = viewer_a_client.get(f"/admin/members/export/{kind}/")
    assert answer.status_code == 200
    assert answer.headers.get("Content-Disposition", "").startswith("attachment")
    if kind == "csv":
        cells = {cell for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) for cell in row}
    else:
        workbook = load_workbook(io.BytesIO(answer.data), read_only=True)
        cells = {cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"党员A0", "党员A1", "党员A2"} <= cells
    assert "党员B0" not in cells


def test_a_viewer_cannot_create(app, viewer_a_client, world):
    answer = viewer_a_client.get("/admin/members/new/")
    assert answer.status_code == 302
    token = csrf_token(viewer_a_client, "/admin/members/")
    viewer_a_client.post(
        "/admin/members/new/",
        data={
            "csrf_token": token,
            "name": "观察员新建",
            "gender": "male",
            "organisation": world["org_a"],
            "status": "full",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.name == "观察员新建")) is None


def test_a_viewer_cannot_edit(app, viewer_a_client, world):
    answer = viewer_a_client.get(f"/admin/members/edit/?id={world['member_a']}")
    assert answer.status_code == 302
    token = csrf_token(viewer_a_client, "/admin/members/")
    viewer_a_client.post(
        f"/admin/members/edit/?id={world['member_a']}",
        data={
            "csrf_token": token,
            "name": "被改名",
            "gender": "male",
            "organisation": world["org_a"],
            "status": "full",
        },
    )
    with app.app_context():
        assert db.session.get(Member, world["member_a"]).name == "党员A0"


def test_a_viewer_cannot_delete(app, viewer_a_client, world):
    token = csrf_token(viewer_a_client, "/admin/members/")
    viewer_a_client.post("/admin/members/delete/", data={"id": world["member_a"], "csrf_token": token})
    viewer_a_client.post(
        "/admin/members/action/",
        data={
            "action": "delete",
            "rowid": [world["member_a"]],
            "csrf_token": token,
        },
    )
    with app.app_context():
        assert db.session.get(Member, world["member_a"]) is not None


def test_a_viewer_sees_no_create_edit_or_delete_controls(viewer_a_client, world):
    body = viewer_a_client.get("/admin/members/").get_data(as_text=True)
    assert "/admin/members/new/" not in body
    assert "/admin/members/edit/" not in body
    assert "/admin/members/delete/" not in body


# --- oversized uploads -------------------------------------------------------------------------


def test_an_upload_larger_than_the_limit_gets_a_friendly_413(app, staff_a_client, world):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 16 * 1024 * 1024
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Activity))
    token = csrf_token(staff_a_client, "/admin/activities/new/")
    answer = staff_a_client.post(
        "/admin/activities/new/",
        data={
            "csrf_token": token,
            "title": "超大附件",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-05-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "new_attachments": (io.BytesIO(b"\0" * (17 * 1024 * 1024)), "big.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    page = answer.get_data(as_text=True)
    assert "文件过大" in page or "File too large" in page
    assert "16 MB" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Activity)) == before


def test_an_upload_within_the_limit_is_accepted(app, staff_a_client, world):
    answer = submit(
        staff_a_client,
        "/admin/activities/new/",
        {
            "title": "带附件的活动",
            "activity_type": world["type_theme"],
            "organisation": world["org_a"],
            "starts_at": "2024-05-01 09:00:00",
            "people_served": "0",
            "volunteer_hours": "0",
            "new_attachments": (io.BytesIO(b"%PDF-1.4 minutes"), "minutes.pdf"),
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.title == "带附件的活动"))
        assert [a.filename for a in activity.attachments] == ["minutes.pdf"]
