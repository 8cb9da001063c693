"""Enabling, disabling, upgrading and configuring plugins; which are on, what they applied and their
settings are kept in the database (``PluginState``).

Enabling applies the plugin's definitions (data elements, activity types, brands) by
upsert; a new plugin version re-applies them, marking what it no longer declares inactive;
disabling marks them inactive. Nothing a plugin defined is ever deleted, so records that
use it stay intact.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import ActivityType, Brand, DataElement, PartyOrganization, PluginState
from pbadmin.models.base import assign_changed, utcnow
from pbadmin.plugins.registry import PluginError, PluginRegistry
from pbadmin.plugins.settings import (
    SettingsError,
    join_secrets,
    missing_required,
    schema_for,
    secrets_to_retype,
    split_secrets,
    validate,
)

CORE = "core"


def registry() -> PluginRegistry:
    return current_app.extensions["pbadmin_plugins"]


def state_of(name: str) -> PluginState:
    state = db.session.get(PluginState, name)
    if state is None:
        state = PluginState(name=name, enabled=False, settings={})
        db.session.add(state)
    return state


def enabled_names() -> set[str]:
    return set(db.session.scalars(select(PluginState.name).where(PluginState.enabled.is_(True))))


def is_enabled(name: str) -> bool:
    state = db.session.get(PluginState, name)
    return bool(state and state.enabled)


def enable(name: str) -> list[str]:
    """Enable a healthy plugin and apply its definitions; returns notes for the user."""
    record = registry().get(name)
    if name == CORE:
        raise PluginError("the core catalogue is always on")
    if not record.healthy:
        raise PluginError(f"plugin {name} cannot be enabled: {'; '.join(record.errors) or 'not loaded'}")
    state = state_of(name)
    notes = apply_definitions(name)
    if not state.enabled:
        state.enabled = True
        state.changed_at = utcnow()
    if state.last_error is not None:
        state.last_error = None
    return notes


def disable(name: str) -> None:
    """Hide the plugin's definitions from new records; existing records keep them."""
    state = state_of(name)
    state.enabled = False
    state.changed_at = utcnow()
    for model in (DataElement, ActivityType, Brand):
        for row in db.session.scalars(select(model).where(model.plugin == name, model.active.is_(True))):
            row.active = False


def apply_core() -> list[str]:
    return apply_definitions(CORE)


def apply_definitions(name: str) -> list[str]:
    """Upsert everything the plugin declares; mark what it stopped declaring inactive."""
    reg = registry()
    record = reg.get(name)
    hooks = reg.hooks(name)
    notes: list[str] = []
    owner = None if name == CORE else name

    elements = hooks.register_data_elements()
    _sync(
        DataElement,
        owner,
        {spec.code: spec for spec in elements},
        lambda spec: {
            "name": spec.name,
            "kind": spec.kind,
            "description": spec.description or None,
        },
    )
    types = hooks.register_activity_types()
    _sync(
        ActivityType,
        owner,
        {spec.code: spec for spec in types},
        lambda spec: {
            "name": spec.name,
            "category": spec.category,
            "shyk_kind": spec.shyk_kind,
            "counts_towards": spec.counts_towards,
            "extra_figures": [
                {"key": f.key, "label": f.label, "data_element": f.data_element} for f in spec.extra_figures
            ]
            or None,
        },
    )
    brands = hooks.register_brands()
    declared = set()
    for spec in brands:
        org = db.session.scalar(select(PartyOrganization).where(PartyOrganization.code == spec.organisation_code))
        if org is None:
            notes.append(
                f"品牌 {spec.name} 待组织 {spec.organisation_code} 建立后创建"
                f" / brand {spec.name} waits for organisation {spec.organisation_code}"
            )
            continue
        declared.add((org.id, spec.name))
        brand = db.session.scalar(select(Brand).where(Brand.organisation_id == org.id, Brand.name == spec.name))
        if brand is None:
            brand = Brand(organisation=org, name=spec.name)
            db.session.add(brand)
        assign_changed(
            brand,
            {"plugin": owner, "description": spec.description or None, "launched_on": spec.launched_on, "active": True},
        )
    if owner is not None:
        for brand in db.session.scalars(select(Brand).where(Brand.plugin == owner, Brand.active.is_(True))):
            if (brand.organisation_id, brand.name) not in declared:
                brand.active = False
        state_of(name).applied_version = record.info.version
    db.session.flush()
    return notes


def _sync(model, owner, declared: dict, values_of) -> None:
    existing = {row.code: row for row in db.session.scalars(select(model).where(model.code.in_(list(declared))))}
    for code, spec in declared.items():
        row = existing.get(code)
        if row is None:
            row = model(code=code)
            db.session.add(row)
        assign_changed(row, {**values_of(spec), "plugin": owner, "active": True})
    if owner is not None:
        stale = select(model).where(model.plugin == owner, model.active.is_(True), model.code.not_in(list(declared)))
        for row in db.session.scalars(stale):
            row.active = False


def upgrade_all() -> list[str]:
    """Re-apply definitions of enabled plugins whose version changed since they were applied."""
    reg = registry()
    upgraded = []
    for name in sorted(enabled_names()):
        record = reg.records.get(name)
        if record is None or not record.healthy:
            continue
        if state_of(name).applied_version != record.info.version:
            apply_definitions(name)
            upgraded.append(name)
    return upgraded


# --- settings ------------------------------------------------------------------------------
def schema(name: str):
    reg = registry()
    record = reg.get(name)
    return schema_for(record.profile, reg.hooks(name).register_settings())


def settings_of(name: str) -> dict:
    """Every setting with its secrets, for the gateway adapters. Never show or log this."""
    state = db.session.get(PluginState, name)
    if state is None:
        return {}
    return join_secrets(schema(name), state.settings, state.secrets)


def configure(name: str, changes: dict) -> list[str]:
    """Validate and store ``changes``; returns the keys that changed (never secret values).

    A change of where requests go must bring the secrets with it (``secrets_to_retype``)."""
    specs = schema(name)
    state = state_of(name)
    current = join_secrets(specs, state.settings, state.secrets)
    updated = validate(specs, current, changes)
    retype = secrets_to_retype(specs, current, updated, changes)
    if retype:
        raise SettingsError(retype)
    plain, secret_text = split_secrets(specs, updated)
    changed = sorted(key for key in set(current) | set(updated) if current.get(key) != updated.get(key))
    if plain != (state.settings or {}):
        state.settings = plain
    if secret_text != state.secrets:
        state.secrets = secret_text
    return changed


def missing_settings(name: str) -> list[str]:
    return missing_required(schema(name), settings_of(name))
