"""``flask --app wsgi pbadmin plugins ...``: list, enable, disable, configure."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from pbadmin.audit import acting_as
from pbadmin.extensions import db
from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.plugins.scaffold import scaffold_plugin
from pbadmin.plugins.settings import SettingsError
from pbadmin.plugins.specs import PROFILES

plugins_cli = AppGroup("plugins", help="Region plugins: list, enable, disable, configure.")


@plugins_cli.command("list")
def list_plugins():
    """One line per plugin: name, version, enabled or disabled, errors."""
    registry = enablement.registry()
    enabled = enablement.enabled_names()
    for name, record in sorted(registry.records.items()):
        if name == enablement.CORE:
            continue
        version = record.info.version if record.info else "?"
        status = "enabled" if name in enabled else "disabled"
        errors = f"  errors: {' | '.join(record.errors)}" if record.errors else ""
        click.echo(f"{name}  {version}  {status}{errors}")


@plugins_cli.command("enable")
@click.argument("names", nargs=-1, required=True)
def enable_plugins(names):
    """Enable plugins and apply their brands, activity types and data elements."""
    failed = False
    with acting_as("cli"):
        enablement.apply_core()
        for name in names:
            try:
                notes = enablement.enable(name)
            except PluginError as exc:
                db.session.rollback()
                click.echo(f"{name}: not enabled: {exc}", err=True)
                failed = True
                continue
            db.session.commit()
            click.echo(f"{name}: enabled")
            for note in notes:
                click.echo(f"  note: {note}")
    if failed:
        raise SystemExit(1)


@plugins_cli.command("disable")
@click.argument("names", nargs=-1, required=True)
def disable_plugins(names):
    """Disable plugins: their definitions are hidden from new records, never deleted."""
    with acting_as("cli"):
        for name in names:
            try:
                enablement.registry().get(name)
            except PluginError as exc:
                raise click.UsageError(str(exc)) from exc
            enablement.disable(name)
            db.session.commit()
            click.echo(f"{name}: disabled")


@plugins_cli.command("configure")
@click.argument("name")
@click.argument("assignments", nargs=-1, required=True)
def configure_plugin(name, assignments):
    """Set settings as KEY=VALUE (e.g. base_url=https://… token=…). Secrets are stored encrypted."""
    changes = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"{item!r} is not KEY=VALUE")
        changes[key.strip()] = value
    try:
        enablement.registry().get(name)
        with acting_as("cli"):
            changed = enablement.configure(name, changes)
            db.session.commit()
    except PluginError as exc:
        raise click.UsageError(str(exc)) from exc
    except SettingsError as exc:
        db.session.rollback()
        for key, why in exc.problems.items():
            click.echo(f"{name}: {key}: {why}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"{name}: updated {', '.join(changed) if changed else 'nothing'}")
    missing = enablement.missing_settings(name)
    if missing:
        click.echo(f"{name}: still missing {', '.join(missing)}")


@plugins_cli.command("upgrade")
def upgrade_plugins():
    """Re-apply the definitions of enabled plugins whose version changed."""
    with acting_as("cli"):
        upgraded = enablement.upgrade_all()
        db.session.commit()
    click.echo("upgraded: " + (", ".join(upgraded) if upgraded else "nothing"))


@plugins_cli.command("new")
@click.argument("name")
@click.option("--region", default="000000", show_default=True, help="GB/T 2260 code of the region.")
@click.option("--profile", type=click.Choice(PROFILES), default="zhejiang", show_default=True)
@click.option("--title", default=None, help="Chinese title (defaults to the name).")
@click.option("--dir", "folder", default=None, help="Where to write it (default: the plugins folder).")
def new_plugin(name, region, profile, title, folder):
    """Write a working plugin package NAME with a passing test."""
    from flask import current_app

    target = Path(folder or current_app.config["PBADMIN_PLUGINS_DIR"])
    try:
        written = scaffold_plugin(target, name, region, profile, title or name)
    except (ValueError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: .venv/bin/pytest {target / name} ; flask --app wsgi pbadmin plugins enable {name}")
