"""Throwaway plugins written into a temporary plugins folder, and an app that discovers them."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import make_app

GOOD_PLUGIN = """
from pbadmin.toolkit import (ActivityTypeSpec, BrandSpec, DataElementSpec, FigureSpec, PluginInfo,
                             ScheduleSpec, SettingSpec, hookimpl)

VERSION = "{version}"


@hookimpl
def plugin_info():
    return PluginInfo(name="{name}", title="测试区域", version=VERSION, region_code="331004")


@hookimpl
def gateway_profile():
    return "zhejiang"


@hookimpl
def register_data_elements(app):
    return [DataElementSpec(code, "测试数据元 " + code, "stock") for code in {elements!r}]


@hookimpl
def register_activity_types():
    return [ActivityTypeSpec("{prefix}_CLINIC", "测试义诊", "service", counts_towards="{prefix}_A",
                             extra_figures=(FigureSpec("patients", "患者数"),))]


@hookimpl
def register_brands():
    return [BrandSpec("{prefix}品牌", "A", "测试品牌")]


@hookimpl
def register_settings():
    return [
        SettingSpec("monthly_cron", "cron", default="0 2 1 * *"),
        SettingSpec("require_approval", "bool", default=True),
    ]


@hookimpl
def register_schedules():
    return [ScheduleSpec("{name}:monthly", "0 2 1 * *", "build_and_push:PB_MONTHLY")]
"""


def write_plugin(folder, name, source):
    package = folder / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(textwrap.dedent(source))
    return package


def good_plugin_source(name="testregion", version="1.0.0", prefix="TR", elements=("TR_A", "TR_B")):
    return GOOD_PLUGIN.format(name=name, version=version, prefix=prefix, elements=list(elements))


@pytest.fixture
def plugin_app(migrated_url, plugins_dir, app):
    """An app (sharing the per-test database cleanup of ``app``) that discovers ``plugins_dir``."""

    def build(**overrides):
        return make_app(migrated_url, PBADMIN_PLUGINS_DIR=str(plugins_dir), **overrides)

    return build
