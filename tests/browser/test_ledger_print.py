"""The ledger printed from Chromium: the screen chrome is gone, A4 pages, a page per section."""

from __future__ import annotations

import re

from tests.helpers import PASSWORD

#: A4 in PostScript points (210 × 297 mm), as Chromium writes it into a PDF's MediaBox
A4_POINTS = (595, 842)


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#username").fill("staff_a")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/"))


def test_printed_ledger_hides_the_navbar_and_controls(live_server, browser_page, world):
    page = browser_page
    _log_in(page, live_server)
    page.goto(f"{live_server}/admin/ledger/?org={world['org_a']}&year=2024")
    assert page.locator("nav.navbar").is_visible()
    assert page.locator("#pb-ledger-form").is_visible()

    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#pb-ledger-form").is_visible()
    assert page.locator("#pb-ledger .pb-ledger-title").is_visible()
    assert page.locator("#pb-ledger-members").is_visible()
    breaks = page.locator("section.pb-ledger-section").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["auto", "page", "page", "page", "page"]
    header_display = page.locator("#pb-ledger-members thead").evaluate("head => getComputedStyle(head).display")
    assert header_display == "table-header-group"


def test_printed_ledger_is_a4_with_a_page_per_section(live_server, browser_page, world):
    page = browser_page
    _log_in(page, live_server)
    page.goto(f"{live_server}/admin/ledger/?org={world['org_a']}&year=2024")
    pdf = page.pdf(prefer_css_page_size=True).decode("latin-1")
    boxes = re.findall(r"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes, "no page sizes in the PDF"
    assert {(round(float(width)), round(float(height))) for width, height in boxes} == {A4_POINTS}
    assert len(boxes) >= 5
