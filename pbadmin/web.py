"""App-wide web behaviour: security headers, friendly error pages, the root redirect, hostile parameters.

Hostile parameters (tests/security/test_hostile_parameters.py): ``<int:...>`` in a route is a record id
(``pbadmin.params.RecordIdConverter``: a number no key can hold is a 404), a NUL byte in a path or a
form is a 400 with a message of its own, and a value the database still refuses is a 400 too, logged.

CSRF: every form carries its own token. Admin model forms use Flask-Admin's
SecureForm; pbadmin's own forms (login, logout, later pages) are Flask-WTF FlaskForms.
There is deliberately no global CSRFProtect: its template global makes Flask-Admin
render a second token ahead of SecureForm's, and the browser's form then fails
(flask-admin #1861). tests/test_csrf.py checks every POST route refuses a missing token.
"""

from __future__ import annotations

import logging

import sqlalchemy.exc
from flask import Flask, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest

from pbadmin.extensions import db
from pbadmin.params import BadParameter, RecordIdConverter, contains_nul

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    # Flask-Admin's templates use inline handlers (onclick), so inline scripts stay allowed;
    # nothing is ever loaded from another origin.
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _error_page(status: int, title: str, message: str):
    return render_template("pbadmin/error.html", status=status, title=title, message=message), status


#: Flask-Admin's return address (``?url=``): it refuses other hosts but lets CR/LF through to the Location header
RETURN_ADDRESS = "url"


def _refuse_hostile_characters():
    """NUL is never part of a path or a form field, and PostgreSQL text cannot hold it (the query
    string is left to the pages: a bad ``?period=`` falls back to the default); a control character
    in a return address would break the redirect's header."""
    form = request.form
    if contains_nul(request.path) or any(contains_nul(key, *form.getlist(key)) for key in form):
        raise BadParameter()
    for values in (request.args, form):
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in "".join(values.getlist(RETURN_ADDRESS))):
            raise BadParameter()


def init_app(app: Flask) -> None:
    # every <int:...> in a route is a record id: a number no INTEGER key can hold matches no route (404)
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(_refuse_hostile_characters)
    app.after_request(_security_headers)

    @app.route("/")
    def root():
        return redirect(url_for("admin.index"))

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _error_page(
            413, _("File too large"), _("The upload is larger than %(limit)s MB; nothing was saved.", limit=limit)
        )

    @app.errorhandler(400)
    def bad_request(error):
        if type(error) is BadRequest or isinstance(error, CSRFError):  # abort(400): a form whose token failed
            message = _("The form's security token is missing or expired. Reload the page and try again.")
        elif isinstance(error, BadParameter):
            message = str(error.description)
        else:
            message = str(BadParameter.description)
        return _error_page(400, _("Bad request"), message)

    @app.errorhandler(OverflowError)
    @app.errorhandler(sqlalchemy.exc.DataError)
    def value_the_database_refused(error):
        """The safety net: a number or text a check missed reached the database, which refused it."""
        db.session.rollback()
        log.error("the database refused a value from %s %s: %s", request.method, request.path, error, exc_info=error)
        return _error_page(400, _("Bad request"), str(BadParameter.description))

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(403, _("Not allowed"), _("You do not have permission to do this."))

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, _("Not found"), _("The page or record does not exist, or is outside your scope."))

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(500, _("Something went wrong"), _("The error has been logged; nothing was saved."))
