"""Point 10: plugin views are safe by default, and every /admin page needs a login.

A plugin that follows docs/plugins.md builds its views from the toolkit (``PbModelView`` for records,
``PbView`` for pages, ``current_scope`` and ``user_can`` inside them). A view that derives from
neither would skip login, permissions and scoping: it is refused and the plugin is marked broken.
"""

from __future__ import annotations

from flask_admin import BaseView, expose

from tests.helpers import login
from tests.plugin_system.conftest import good_plugin_source, write_plugin

TOOLKIT_VIEWS = """

from flask_admin import expose

from pbadmin.models import Brand
from pbadmin.toolkit import PbModelView, PbView, current_scope, roles, user_can


class BrandsHere(PbModelView):
    column_list = ["name", "organisation"]


class Overview(PbView):
    view_permission = roles.EDIT

    @expose("/")
    def index(self):
        return "scope is empty" if current_scope().is_empty else f"may export: {user_can(roles.EXPORT)}"


@hookimpl
def register_admin_views(admin):
    return [
        BrandsHere(Brand, name="本区品牌", endpoint="testregion_brands"),
        Overview(name="概览", endpoint="testregion_overview"),
    ]
"""

BARE_VIEW = """

from flask_admin import BaseView, expose


class Open(BaseView):
    @expose("/")
    def index(self):
        return "anyone may read this"


@hookimpl
def register_admin_views(admin):
    return [Open(name="公开", endpoint="testregion_open")]
"""


def test_a_plugin_builds_scoped_views_from_the_toolkit(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source() + TOOLKIT_VIEWS)
    app = plugin_app()
    staff = app.test_client()
    login(staff, "staff_a")
    brands = staff.get("/admin/testregion_brands/").get_data(as_text=True)
    assert "品牌A" in brands and "品牌B" not in brands
    assert staff.get("/admin/testregion_overview/").get_data(as_text=True) == "may export: True"
    viewer = app.test_client()
    login(viewer, "viewer_a")
    assert viewer.get("/admin/testregion_overview/").status_code == 403
    anonymous = app.test_client()
    for url in ("/admin/testregion_brands/", "/admin/testregion_overview/"):
        answer = anonymous.get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_view_that_skips_the_guarded_bases_is_refused_and_the_plugin_says_why(plugin_app, plugins_dir, world):
    write_plugin(plugins_dir, "testregion", good_plugin_source() + BARE_VIEW)
    app = plugin_app()
    assert app.test_client().get("/admin/testregion_open/").status_code in (302, 404)
    root = app.test_client()
    login(root, "root")
    assert root.get("/admin/testregion_open/").status_code == 404
    page = root.get("/admin/plugins/").get_data(as_text=True)
    assert "PbModelView" in page and "Open" in page
    listing = app.test_cli_runner().invoke(args=["pbadmin", "plugins", "list"])
    assert "PbModelView" in listing.output


def test_every_admin_page_needs_a_login_even_one_added_without_a_guard(app, world):
    class Forgotten(BaseView):
        @expose("/")
        def index(self):
            return "secret"

    app.extensions["pbadmin_admin"].add_view(Forgotten(name="遗漏", endpoint="forgotten"))
    client = app.test_client()
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or "GET" not in rule.methods or rule.endpoint.endswith(".static"):
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<{argument}>", "1").replace(f"<int:{argument}>", "1").replace(f"<path:{argument}>", "1")
        answer = client.get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], url
        checked += 1
    assert checked > 50  # every list, form, details, export, ajax and page URL
    assert client.get("/admin/static/admin/js/helpers.js").status_code == 200  # the login page's styles stay open
