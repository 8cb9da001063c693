"""Hooks go through pluggy: registered with @hookimpl, checked at load, called one plugin at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pbadmin.extensions import db
from pbadmin.models import DataElement
from pbadmin.plugins.registry import PluginError
from tests.helpers import login
from tests.plugin_system.conftest import good_plugin_source, write_plugin

MISSPELT = """

@hookimpl
def register_brand():
    return []
"""


def test_a_misspelt_hook_is_a_load_error_shown_in_the_admin_and_in_plugins_list(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    write_plugin(plugins_dir, "misspelt", good_plugin_source(name="misspelt", prefix="MS") + MISSPELT)
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    record = registry.get("misspelt")
    assert not record.healthy
    assert record.errors == [
        "implements register_brand(), which is not a pbadmin hook (did you mean register_brands?):"
        " see pbadmin/hookspecs.py"
    ]
    assert registry.get("testregion").healthy
    listing = app.test_cli_runner().invoke(args=["pbadmin", "plugins", "list"]).output
    assert "misspelt  1.0.0  disabled  errors: implements register_brand(), which is not a pbadmin hook" in listing
    client = app.test_client()
    login(client, "root")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "implements register_brand(), which is not a pbadmin hook" in page


def test_a_plugin_with_a_misspelt_hook_leaves_the_manager_and_cannot_be_enabled(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "misspelt", good_plugin_source(name="misspelt", prefix="MS") + MISSPELT)
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    assert registry.manager.get_plugin("misspelt") is None
    registry.manager.check_pending()  # nothing left that pluggy would refuse
    with pytest.raises(PluginError, match="not loaded"):
        registry.hooks("misspelt")
    refused = app.test_cli_runner().invoke(args=["pbadmin", "plugins", "enable", "misspelt"])
    assert refused.exit_code == 1 and "cannot be enabled" in refused.output


def test_a_hook_function_without_hookimpl_is_a_load_error(plugin_app, plugins_dir):
    source = good_plugin_source().replace("@hookimpl\ndef register_brands():", "def register_brands():")
    write_plugin(plugins_dir, "testregion", source)
    record = plugin_app().extensions["pbadmin_plugins"].get("testregion")
    assert record.errors == ["register_brands() is not marked @hookimpl, so it would never be called: add @hookimpl"]


def test_an_argument_the_spec_lacks_is_a_load_error(plugin_app, plugins_dir):
    source = good_plugin_source().replace("def register_brands():", "def register_brands(region):")
    write_plugin(plugins_dir, "testregion", source)
    record = plugin_app().extensions["pbadmin_plugins"].get("testregion")
    assert not record.healthy and "its hooks cannot be registered" in record.errors[0]
    assert "region" in record.errors[0]


def test_first_result_wins_for_a_firstresult_hook(plugin_app, plugins_dir):
    source = (
        good_plugin_source()
        + """

@hookimpl(specname="gateway_profile", tryfirst=True)
def gateway_profile_of_the_new_contract():
    return "sichuan"


@hookimpl(specname="gateway_profile", trylast=True)
def gateway_profile_never_asked():
    raise AssertionError("a later implementation of a firstresult hook must not run")
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    record = plugin_app().extensions["pbadmin_plugins"].get("testregion")
    assert record.healthy, record.errors
    assert record.profile == "sichuan"


def test_a_list_hook_joins_the_lists_of_the_plugins_implementations(plugin_app, plugins_dir, world):
    source = (
        good_plugin_source()
        + """

@hookimpl(specname="register_data_elements")
def more_data_elements():
    return [DataElementSpec("TR_EXTRA", "另一组数据元", "flow")]
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    assert app.test_cli_runner().invoke(args=["pbadmin", "plugins", "enable", "testregion"]).exit_code == 0
    with app.app_context():
        codes = set(db.session.scalars(select(DataElement.code).where(DataElement.plugin == "testregion")))
    assert codes == {"TR_A", "TR_B", "TR_EXTRA"}


def test_an_implementation_may_declare_fewer_arguments_than_its_spec(plugin_app, plugins_dir):
    source = (
        good_plugin_source()
        + """

import click

SEEN = {}


@hookimpl
def register_cli_commands():
    SEEN["register_cli_commands"] = "no arguments"


@hookimpl
def shyk_rules(app):
    SEEN["shyk_rules"] = app
    return None
"""
    )
    write_plugin(plugins_dir, "testregion", source)
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    module = registry.get("testregion").module
    assert module.SEEN == {"register_cli_commands": "no arguments"}  # the spec's (app, cli): neither declared
    assert registry.hooks("testregion").shyk_rules() is None
    assert module.SEEN["shyk_rules"] is app


def test_hooks_are_called_through_pluggy_one_plugin_at_a_time(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    write_plugin(plugins_dir, "otherregion", good_plugin_source(name="otherregion", prefix="OR", elements=("OR_A",)))
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    calls = []
    undo = registry.manager.add_hookcall_monitoring(
        lambda hook, impls, kwargs: calls.append((hook, sorted({impl.plugin_name for impl in impls}), kwargs)),
        lambda outcome, hook, impls, kwargs: None,
    )
    try:
        assert app.test_cli_runner().invoke(args=["pbadmin", "plugins", "enable", "testregion"]).exit_code == 0
    finally:
        undo()
    seen = {hook: plugins for hook, plugins, _kwargs in calls}
    assert seen["register_data_elements"] == ["testregion"]
    assert seen["register_activity_types"] == ["testregion"]
    assert seen["register_brands"] == ["testregion"]
    assert all(kwargs["app"] is app for *_, kwargs in calls), "every hook receives the app"


def test_calling_a_hook_the_catalogue_lacks_fails_at_once(plugin_app, plugins_dir):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    hooks = plugin_app().extensions["pbadmin_plugins"].hooks("testregion")
    with pytest.raises(AttributeError, match="no hook 'register_brand'"):
        hooks.register_brand()


def test_a_hook_that_raises_breaks_only_its_own_plugin(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source())
    source = good_plugin_source(name="otherregion", prefix="OR", elements=("OR_A",)).replace(
        'return [BrandSpec("OR品牌", "A", "测试品牌")]', 'raise RuntimeError("brand list unreadable")'
    )
    write_plugin(plugins_dir, "otherregion", source)
    app = plugin_app()
    registry = app.extensions["pbadmin_plugins"]
    with app.app_context(), pytest.raises(PluginError, match="brand list unreadable"):
        registry.hooks("otherregion").register_brands()
    assert registry.get("otherregion").errors == ["register_brands() raised RuntimeError('brand list unreadable')"]
    assert registry.get("testregion").healthy
    assert [spec.name for spec in registry.hooks("testregion").register_brands()] == ["TR品牌"]


def test_a_list_hook_returning_something_else_breaks_its_plugin(plugin_app, plugins_dir):
    source = good_plugin_source().replace(
        'return [BrandSpec("TR品牌", "A", "测试品牌")]', 'return BrandSpec("TR品牌", "A")'
    )
    write_plugin(plugins_dir, "testregion", source)
    registry = plugin_app().extensions["pbadmin_plugins"]
    with pytest.raises(PluginError, match="must return a list, not BrandSpec"):
        registry.hooks("testregion").register_brands()
    assert not registry.get("testregion").healthy
