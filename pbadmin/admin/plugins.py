"""Plugin administration: every discovered plugin, enable/disable, settings, test connection.

Superadmins manage every plugin; a region administrator manages the plugins of regions
inside their own. Secrets are write-only: the form never shows them back.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Optional

from pbadmin.admin.base import PbView
from pbadmin.extensions import db
from pbadmin.models import PluginState, Region, region_tree
from pbadmin.plugins import enablement
from pbadmin.plugins.registry import PluginError
from pbadmin.plugins.settings import SettingsError
from pbadmin.security import roles
from pbadmin.sync.connection import check_connection


class ActionForm(FlaskForm):
    """Enable, disable and test-connection buttons: a POST with a CSRF token, nothing else."""


def may_manage(plugin_region_code: str | None) -> bool:
    if not (current_user.is_authenticated and current_user.can(roles.MANAGE_PLUGINS)):
        return False
    if current_user.role_name == roles.SUPERADMIN:
        return True
    if not plugin_region_code:
        return False
    granted = [region.id for region in current_user.regions]
    query = select(Region.id).where(Region.code == plugin_region_code, Region.id.in_(region_tree.subtree_ids(granted)))
    return db.session.scalar(query) is not None


def settings_form(specs, values: dict, formdata=None):
    class SettingsForm(FlaskForm):
        pass

    for spec in specs:
        label = f"{spec.key}{' *' if spec.required else ''}"
        description = spec.description
        if spec.secret:
            stored = bool(values.get(spec.key))
            hint = _("Stored; leave blank to keep it.") if stored else _("Not set.")
            field = PasswordField(label, validators=[Optional()], description=f"{description} · {hint}")
        elif spec.type == "bool":
            field = BooleanField(label, description=description, default=bool(values.get(spec.key, spec.default)))
        else:
            field = StringField(
                label, validators=[Optional()], description=description, default=values.get(spec.key, spec.default)
            )
        setattr(SettingsForm, spec.key, field)
    return SettingsForm(formdata=formdata)


class PluginAdminView(PbView):
    view_permission = roles.MANAGE_PLUGINS

    def _record_or_404(self, name: str):
        try:
            record = enablement.registry().get(name)
        except PluginError:
            abort(404)
        if name == enablement.CORE:
            abort(404)
        if not may_manage(record.info.region_code if record.info else None):
            abort(403)
        return record

    @expose("/")
    def index(self):
        registry = enablement.registry()
        enabled = enablement.enabled_names()
        rows = []
        for name, record in sorted(registry.records.items()):
            if name == enablement.CORE:
                continue
            region_code = record.info.region_code if record.info else None
            if current_user.role_name != roles.SUPERADMIN and not may_manage(region_code):
                continue
            rows.append(
                {
                    "name": name,
                    "record": record,
                    "enabled": name in enabled,
                    "state": db.session.get(PluginState, name) if name in enabled else None,
                    "missing": enablement.missing_settings(name) if record.healthy else [],
                }
            )
        return self.render("pbadmin/plugins.html", rows=rows, action_form=ActionForm())

    @expose("/<plugin>/enable", methods=["POST"])
    def enable(self, plugin: str):
        name = plugin  # Flask-Admin reserves "name" for its own view argument
        self._record_or_404(name)
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            enablement.apply_core()
            notes = enablement.enable(name)
            db.session.commit()
            flash(_("Plugin %(name)s enabled.", name=name), "success")
            for note in notes:
                flash(note, "info")
        except PluginError as exc:
            db.session.rollback()
            flash(_("Plugin %(name)s could not be enabled: %(error)s", name=name, error=str(exc)), "error")
        return redirect(url_for(".index"))

    @expose("/<plugin>/disable", methods=["POST"])
    def disable(self, plugin: str):
        name = plugin  # Flask-Admin reserves "name" for its own view argument
        self._record_or_404(name)
        if not ActionForm().validate_on_submit():
            abort(400)
        enablement.disable(name)
        db.session.commit()
        flash(_("Plugin %(name)s disabled; its existing records are kept.", name=name), "success")
        return redirect(url_for(".index"))

    @expose("/<plugin>/settings", methods=["GET", "POST"])
    def settings(self, plugin: str):
        name = plugin  # Flask-Admin reserves "name" for its own view argument
        record = self._record_or_404(name)
        specs = enablement.schema(name)
        values = enablement.settings_of(name)
        form = settings_form(specs, values, formdata=request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate():
            changes = {}
            for spec in specs:
                field = form[spec.key]
                if spec.secret and not field.data:
                    continue  # blank secret: keep what is stored
                changes[spec.key] = field.data if spec.type != "bool" else bool(field.data)
            try:
                changed = enablement.configure(name, changes)
                missing = enablement.missing_settings(name)
                if missing:
                    raise SettingsError({key: _("This setting is required.") for key in missing})
                db.session.commit()
            except SettingsError as exc:
                db.session.rollback()
                for key, why in exc.problems.items():
                    if key in form:
                        form[key].errors = [*form[key].errors, why]
                flash(_("Nothing was saved: %(problems)s", problems=str(exc)), "error")
            else:
                flash(_("Settings saved: %(keys)s", keys=", ".join(changed) or _("no change")), "success")
                return redirect(url_for(".settings", plugin=name))
        return self.render(
            "pbadmin/plugin_settings.html",
            record=record,
            form=form,
            action_form=ActionForm(),
            missing=enablement.missing_settings(name),
        )

    @expose("/<plugin>/test", methods=["POST"])
    def test_connection(self, plugin: str):
        name = plugin  # Flask-Admin reserves "name" for its own view argument
        record = self._record_or_404(name)
        if not ActionForm().validate_on_submit():
            abort(400)
        ok, message = check_connection(record.profile, enablement.settings_of(name))
        flash(message, "success" if ok else "error")
        return redirect(url_for(".settings", plugin=name))
