"""The ``flask --app wsgi pbadmin`` command group."""

from __future__ import annotations

import secrets
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.models import PartyOrganization, Region, User
from pbadmin.security.roles import DEFAULT_ROLES, SUPERADMIN, ensure_roles

pbadmin_cli = AppGroup("pbadmin", help="pbadmin administration commands.")


@pbadmin_cli.command("create-user")
@click.argument("username")
@click.option("--role", "role_name", required=True, type=click.Choice(sorted(DEFAULT_ROLES)), help="Role to grant.")
@click.option(
    "--org", "org_codes", multiple=True, help="Organisation code whose subtree the user may touch (repeatable)."
)
@click.option(
    "--region", "region_codes", multiple=True, help="Region code (GB/T 2260) for a region administrator (repeatable)."
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of generating one.")
@click.option("--full-name", default=None)
def create_user(username, role_name, org_codes, region_codes, password_stdin, full_name):
    """Create USERNAME, or update its role, scope and password if it exists."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 10:
            raise click.UsageError("the password must have at least 10 characters")
    else:
        password = secrets.token_urlsafe(12)
    with acting_as("cli"):
        roles = ensure_roles()
        orgs = _resolve(PartyOrganization, PartyOrganization.code, org_codes, "organisation")
        regions = _resolve(Region, Region.code, region_codes, "region")
        if role_name != SUPERADMIN and not (orgs or regions):
            raise click.UsageError("a role other than superadmin needs --org or --region")
        user = db.session.scalar(select(User).where(User.username == username))
        created = user is None
        if created:
            user = User(username=username)
            db.session.add(user)
        user.full_name = full_name or user.full_name
        user.role = roles[role_name]
        user.organisations = orgs
        user.regions = regions
        user.set_password(password)
        db.session.commit()
    click.echo(f"{'created' if created else 'updated'} user {username} ({role_name})")
    if not password_stdin:
        click.echo(f"password: {password}")


def _resolve(model, column, codes, what):
    found = []
    for code in codes:
        row = db.session.scalar(select(model).where(column == code))
        if row is None:
            raise click.UsageError(f"no {what} with code {code!r}")
        found.append(row)
    return found


@pbadmin_cli.command("seed-demo")
def seed_demo():
    """Load the core catalogue and every enabled plugin's demo data (idempotent)."""
    from pbadmin.plugins import enablement
    from pbadmin.plugins.demo import DemoLoader
    from pbadmin.plugins.registry import PluginError

    registry = enablement.registry()
    failed = False
    with acting_as("seed-demo"):
        ensure_roles()
        enablement.apply_core()
        db.session.commit()
        enabled = sorted(enablement.enabled_names())
        if not enabled:
            click.echo("no plugin is enabled: enable one with `flask --app wsgi pbadmin plugins enable NAME`")
        for name in enabled:
            loader = DemoLoader(name)
            try:
                registry.hooks(name).load_demo_data(demo=loader)
                enablement.apply_definitions(name)  # brands whose organisations the demo just created
                db.session.commit()
            except (PluginError, LookupError) as exc:
                db.session.rollback()
                click.echo(f"{name}: demo data not loaded: {exc}", err=True)
                failed = True
                continue
            click.echo(f"{name}: demo data loaded")
            for period in loader.report_periods:
                click.echo(f"{name}: {_queue_demo_reports(name, period)}")
    if failed:
        sys.exit(1)


def _queue_demo_reports(plugin: str, period_text: str) -> str:
    """Build and queue the demo period's reports when the plugin can send; the outbox delivers them."""
    from pbadmin.reporting.periods import Period
    from pbadmin.sync.jobs import build_all, summarise
    from pbadmin.sync.target import NotReady, target_for

    try:
        target_for(plugin)
    except NotReady as exc:
        return f"demo reports of {period_text} not queued: {exc}"
    period = Period.parse(period_text)
    return "demo reports " + summarise(period, build_all(plugin, period, "seed-demo", approve=True))


@pbadmin_cli.command("ensure-admin")
@click.option("--password-env", default="PBADMIN_ADMIN_PASSWORD", show_default=True)
def ensure_admin(password_env):
    """Create the demo login ``admin`` when missing and print how to log in.

    Without PBADMIN_ADMIN_PASSWORD the password is generated once and kept, owner-only, in
    instance/admin_password, so every later `make run` can print the login again.
    """
    import os

    from config import instance_secret

    wanted = os.environ.get(password_env)
    with acting_as("cli"):
        roles = ensure_roles()
        user = db.session.scalar(select(User).where(User.username == "admin"))
        if wanted:
            password, origin = wanted, f"from {password_env}"
        else:
            password = instance_secret("admin_password", lambda: secrets.token_urlsafe(12))
            origin = "saved in instance/admin_password"
        if user is None:
            user = User(username="admin", full_name="系统管理员", role=roles[SUPERADMIN])
            user.set_password(password)
            db.session.add(user)
        elif not user.check_password(password):
            if not wanted:
                click.echo("login: admin (password changed since; set PBADMIN_ADMIN_PASSWORD to reset it)")
                return
            user.set_password(password)
        db.session.commit()
    click.echo(f"login: admin / {password} ({origin})")


@pbadmin_cli.command("is-empty")
def is_empty():
    """Exit 0 when the database holds no organisations yet (used by `make run`)."""
    sys.exit(0 if db.session.scalar(select(PartyOrganization.id).limit(1)) is None else 1)


def register_cli(app: Flask) -> None:
    from pbadmin.importing.cli import import_cli
    from pbadmin.plugin_setup import add_plugin_commands
    from pbadmin.plugins.cli import plugins_cli
    from pbadmin.sandbox.cli import sandbox_gateway
    from pbadmin.sync.cli import scheduler_command, sync_cli

    for command in (plugins_cli, sync_cli, scheduler_command, sandbox_gateway, import_cli):
        if command.name not in pbadmin_cli.commands:
            pbadmin_cli.add_command(command)
    add_plugin_commands(app, pbadmin_cli)
    app.cli.add_command(pbadmin_cli)
