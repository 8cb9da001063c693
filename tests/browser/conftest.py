"""Browser fixtures: the test's own app served on 127.0.0.1, and Debian's headless chromium.

No browser is ever downloaded: without /usr/bin/chromium (``apt-get install chromium``) or
the playwright package, the browser tests are skipped. The page may only talk to 127.0.0.1;
a failing test leaves a screenshot and the page's HTML in /tmp.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAILURE_DIR = Path("/tmp")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"pb_report_{report.when}", report)


@pytest.fixture
def live_server(app, world):
    """The per-test ``app`` (with its ``world``) served on an ephemeral port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="pbadmin-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _local_only(route):
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort("blockedbyclient")


@pytest.fixture
def browser_page(request):
    """A fresh zh-CN page in headless chromium; closed with its context and browser after the test."""
    if shutil.which("chromium") is None or not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN")
            context.route("**/*", _local_only)
            try:
                page = context.new_page()
                page.set_default_timeout(10_000)
                yield page
                report = getattr(request.node, "pb_report_call", None)
                if report is not None and report.failed:
                    stem = FAILURE_DIR / f"pbadmin-browser-{request.node.name}"
                    page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
            finally:
                context.close()
        finally:
            browser.close()
