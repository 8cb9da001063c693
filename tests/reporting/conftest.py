"""Fixtures for the metrics engine: a throwaway plugin in the app's own registry."""

from __future__ import annotations

import types

import pytest

from pbadmin.toolkit import PluginInfo, hookimpl


@pytest.fixture
def with_plugin(app):
    """``register(name, elements=(), rules=None)`` adds a plugin declaring those data elements (and,
    when ``rules`` is given, a ``shyk_rules`` hook returning it) to the app's registry; it is always
    removed again."""
    registry = app.extensions["pbadmin_plugins"]
    added: list[str] = []

    def register(name: str, elements=(), rules=None):
        plugin = types.ModuleType(f"with_plugin_{name}")  # hashable, as pluggy needs (a SimpleNamespace is not)
        vars(plugin).update(
            plugin_info=hookimpl(
                lambda: PluginInfo(name=name, title="测试插件", version="1.0.0", region_code="331004")
            ),
            register_data_elements=hookimpl(lambda: list(elements)),
        )
        if rules is not None:
            plugin.shyk_rules = hookimpl(lambda: rules)
        record = registry.register(name, plugin)
        added.append(name)
        assert record.healthy, record.errors
        return record

    yield register
    for name in added:
        registry.unregister(name)
