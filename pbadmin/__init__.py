"""pbadmin: party-building administration for hospitals and county medical communities."""

from __future__ import annotations

from flask import Flask

from config import INSTANCE_DIR, MIGRATIONS_DIR, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build an app: configuration, then extensions, then core blueprints, then the admin.

    Everything stateful is created here, so calling it twice gives two independent apps.
    """
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.update(load_config())
    if config:
        app.config.update(config)

    from pbadmin import audit, database, i18n, web
    from pbadmin.extensions import db, login_manager, migrate

    database.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    i18n.init_app(app)
    login_manager.init_app(app)
    audit.install()

    from pbadmin.auth import views as auth_views

    app.register_blueprint(auth_views.bp)
    web.init_app(app)

    from pbadmin.plugin_setup import init_plugins

    init_plugins(app)

    from pbadmin.admin import init_admin

    init_admin(app)

    from pbadmin.cli import register_cli

    register_cli(app)
    if app.config.get("PBADMIN_SANDBOX"):
        from pbadmin.sandbox.mount import mount_sandbox

        mount_sandbox(app)  # the demo's province at /sandbox (make run); never in production
    return app
