"""A region admin builds a period's report, previews it, approves it and sends it, in the Chinese UI."""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers import PASSWORD
from tests.sync.conftest import ORG_UNIT, gateway  # noqa: F401  (the fixture)


@pytest.fixture
def sync_server(gateway):  # noqa: F811
    """The gateway plugin's app served on 127.0.0.1, reporting to its sandbox province."""
    gw = gateway()
    server = make_server("127.0.0.1", 0, gw.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gw, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_region_admin_approves_and_sends_a_report_from_the_sync_page(sync_server, browser_page):
    gw, base = sync_server
    page = browser_page
    from pbadmin.extensions import db
    from pbadmin.plugins import enablement

    with gw.app.app_context():
        enablement.configure(gw.plugin, {"require_approval": "true"})
        db.session.commit()

    page.goto(f"{base}/login")
    page.locator("#username").fill("region_admin")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/"))

    page.goto(f"{base}/admin/sync/{gw.plugin}/")
    assert page.locator("h5").first.inner_text() == "定时任务"
    page.locator("#pb-build input[name=period]").fill("202403")
    page.locator("#pb-build button[type=submit]").click()
    assert "已生成 202403" in page.locator(".alert").first.inner_text()
    row = page.locator("#pb-recent tr[data-report]").first
    assert row.locator("[data-status]").inner_text() == "待审核"

    row.locator("a").click()
    assert page.locator("tr[data-element=PB_BRANCHES] [data-value]").inner_text() == "2"
    assert "党支部" in page.locator("tr[data-element=PB_BRANCHES]").inner_text()
    page.locator("#pb-approve").click()
    assert "已审核" in page.locator(".alert").first.inner_text()
    page.locator("#pb-send-now").click()
    assert "省平台已接收" in page.locator(".alert").first.inner_text()
    assert page.locator("h4 [data-status]").inner_text() == "已接收"
    receipt = page.locator("#pb-receipt").inner_text()
    assert receipt.startswith("zhejiang-")
    [report] = gw.reports()
    assert (report.org_unit, report.status, report.receipt) == (ORG_UNIT, "accepted", receipt)
