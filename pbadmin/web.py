"""App-wide web behaviour: security headers, friendly error pages, the root redirect.

CSRF: every form carries its own token. Admin model forms use Flask-Admin's
SecureForm; pbadmin's own forms (login, logout, later pages) are Flask-WTF FlaskForms.
There is deliberately no global CSRFProtect: its template global makes Flask-Admin
render a second token ahead of SecureForm's, and the browser's form then fails
(flask-admin #1861). tests/test_csrf.py checks every POST route refuses a missing token.
"""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import gettext as _

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


def init_app(app: Flask) -> None:
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
        return _error_page(
            400, _("Bad request"), _("The form's security token is missing or expired. Reload the page and try again.")
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(403, _("Not allowed"), _("You do not have permission to do this."))

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, _("Not found"), _("The page or record does not exist, or is outside your scope."))

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(500, _("Something went wrong"), _("The error has been logged; nothing was saved."))
