"""The login page, logout (POST with CSRF) and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from pbadmin.auth.throttle import is_throttled, record_attempt
from pbadmin.extensions import db, login_manager
from pbadmin.i18n import normalise_locale
from pbadmin.models import User
from pbadmin.models.base import utcnow

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    pass


@login_manager.user_loader
def load_user(user_id: str):
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


@login_manager.unauthorized_handler
def unauthorized():
    return redirect(url_for("auth.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a user off pbadmin after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not form.validate():
        if form.csrf_token.errors:
            flash(_("The form's security token is missing or expired. Reload the page and try again."), "error")
        return render_template("pbadmin/login.html", form=form), 400
    if request.method == "POST":
        username = form.username.data.strip()
        ip = request.remote_addr or "unknown"
        if is_throttled(username, ip):
            flash(_("Too many failed attempts. Please wait 15 minutes and try again."), "error")
            return render_template("pbadmin/login.html", form=form), 429
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active or not user.check_password(form.password.data):
            record_attempt(username, ip, success=False)
            flash(_("Wrong username or password."), "error")
            return render_template("pbadmin/login.html", form=form), 401
        record_attempt(username, ip, success=True)
        language = session.get("lang")
        session.clear()  # a fresh session on login: nothing from before carries over
        if language:
            session["lang"] = language
        login_user(user)
        session.permanent = True
        user.last_login_at = utcnow()
        db.session.commit()
        return redirect(_safe_next(form.next.data))
    return render_template("pbadmin/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if not LogoutForm().validate_on_submit():
        abort(400)
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
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
