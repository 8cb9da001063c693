"""The login page, logout (POST with CSRF), the language switch, and when a session ends.

Sessions are Flask's signed cookies, which the server cannot revoke one by one. Instead each session
carries the user's ``session_version`` from the moment it was opened and is honoured only while that
still matches the database: bumping the number (``User.end_sessions``) ends every session of the user.
It is bumped on logout — a deliberate choice: logging out on one device logs the user out on all of
them, which is also what makes a copied cookie worthless — on a new password and on (de)activation.
Inactive users never load. A session idle for ``PBADMIN_IDLE_MINUTES`` is ended too; its last-seen
stamp is renewed at most once a minute, so the time-out is exact to within that minute. And whatever its
use, a session ends ``PERMANENT_SESSION_LIFETIME`` after its login: Flask re-signs a permanent session's
cookie on every response, so the cookie's own expiry alone would slide for ever.
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from pbadmin.auth.credentials import authenticate
from pbadmin.auth.throttle import client_key, finish_attempt, start_attempt
from pbadmin.extensions import db, login_manager
from pbadmin.i18n import normalise_locale
from pbadmin.models import User
from pbadmin.models.base import utcnow

bp = Blueprint("auth", __name__)

#: the user's session_version when this session was opened
SESSION_VERSION_KEY = "_pb_version"
#: when this session last made a request (Unix time, renewed at most once a minute)
LAST_SEEN_KEY = "_pb_seen"
#: when this session logged in (Unix time)
LOGGED_IN_KEY = "_pb_login"
SEEN_RESOLUTION_SECONDS = 60


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


@login_manager.user_loader
def load_user(user_id: str):
    """The session's user, unless the user is inactive or the session predates a bump of their version."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    return redirect(url_for("auth.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a user off pbadmin after login. No control characters
    (CR/LF would split the Location header) and no backslash (browsers read ``/\\host`` as ``//host``)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and not any(ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in target)
    ):
        return target
    return url_for("admin.index")


def _fresh_session() -> None:
    """Empty the session, keeping only the chosen language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _is_static() -> bool:
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


@bp.before_app_request
def _end_stale_sessions():
    """End a session that idled too long, outlived its lifetime, or whose user logged out, changed password
    or was deactivated."""
    if "_user_id" not in session or _is_static():
        return None
    now = int(time.time())
    seen = session.get(LAST_SEEN_KEY)
    idle_minutes = current_app.config.get("PBADMIN_IDLE_MINUTES") or 0
    if idle_minutes and (not isinstance(seen, int) or now - seen > idle_minutes * 60):
        return _end_session(_("You have been inactive for too long. Please log in again."))
    logged_in = session.get(LOGGED_IN_KEY)
    too_old = not isinstance(logged_in, int) or now - logged_in > current_app.permanent_session_lifetime.total_seconds()
    if too_old or not current_user.is_authenticated:
        return _end_session(_("Your session has ended. Please log in again."))
    if not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_KEY] = now
    return None


def _end_session(message: str):
    logout_user()
    _fresh_session()
    flash(message, "warning")
    if request.endpoint in ("auth.login", "auth.set_language"):
        return None
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _wait_message(seconds: int) -> str:
    if seconds >= 120:
        minutes = math.ceil(seconds / 60)
        return _("Too many failed attempts. Please wait %(minutes)s minutes and try again.", minutes=minutes)
    return _("Too many failed attempts. Please wait %(seconds)s seconds and try again.", seconds=seconds)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not form.validate():
        if form.csrf_token.errors:
            flash(_("The form's security token is missing or expired. Reload the page and try again."), "error")
        return render_template("pbadmin/login.html", form=form), 400
    if request.method == "POST":
        username = form.username.data.strip()
        attempt, wait = start_attempt(username, client_key(request.remote_addr))
        if attempt is None:
            flash(_wait_message(wait), "error")
            answer = make_response(render_template("pbadmin/login.html", form=form), 429)
            answer.headers["Retry-After"] = str(wait)
            return answer
        user = authenticate(username, form.password.data)  # one hash checked, whoever the name is
        finish_attempt(attempt, success=user is not None)
        if user is None:
            flash(_("Wrong username or password."), "error")
            return render_template("pbadmin/login.html", form=form), 401
        _fresh_session()  # a fresh session on login: nothing from before carries over
        login_user(user)
        session.permanent = True
        session[SESSION_VERSION_KEY] = user.session_version
        session[LOGGED_IN_KEY] = session[LAST_SEEN_KEY] = int(time.time())
        user.last_login_at = utcnow()
        db.session.commit()
        return redirect(_safe_next(form.next.data))
    return render_template("pbadmin/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out, and with it every other session of the user (a copied cookie among them)."""
    if not LogoutForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
def set_language(code: str):
    locale = normalise_locale(code)
    if locale:
        session["lang"] = locale
    return redirect(_safe_next(request.args.get("next")))


@bp.app_context_processor
def _logout_form():
    return {"pb_logout_form": LogoutForm if current_user.is_authenticated else None}
