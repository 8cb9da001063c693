"""The throwaway-plugin app of the plugin tests, for the tests of plugin settings and views."""

from tests.plugin_system.conftest import plugin_app  # noqa: F401 (a fixture)
