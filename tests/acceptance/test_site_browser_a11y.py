"""Accessibility of the page: axe-core (vendored, tests/fixtures/axe-core) finds no WCAG 2.1 A/AA or
best-practice violations in the light and dark themes, on a desktop and a phone, with the details,
the repeats, the comparison and the scatter open."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from tests.support.paths import FIXTURES
from tests.support.site_pages import base_url, browser, site_root

__all__ = ["base_url", "browser", "site_root"]  # fixtures used by name below
AXE = FIXTURES / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = """([scope, tags]) => axe.run(scope ? document.querySelector(scope) : document,
    { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
  .then(r => ({ passes: r.passes.map(p => p.id), violations: r.violations.map(v => ({ id: v.id, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary) })) }))"""


def check(page: Page, scope: str = "") -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(RUN, [scope, TAGS])
    return result


def test_axe_finds_no_violations_in_either_theme_on_desktop_and_phone(
    browser: Browser, base_url: str
) -> None:
    # bypass_csp only so that the test can inject axe; the page's own code runs as it always does.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = ctx.new_page()
    page.goto(f"{base_url}/real/index.html#chart=ttft")
    page.wait_for_selector("html[data-ready]")
    page.add_script_tag(path=str(AXE))
    picks = page.locator("#rows .pick")
    picks.nth(0).check()
    picks.nth(1).check()
    page.locator("#rows button.runs").first.click()
    page.locator("#rows .expander").first.click()
    page.click("#columns-menu summary")
    assert page.locator("tr.details-row").count() == 1
    seen = {}
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if width < 700:
            page.click("#filters-toggle")  # the filters on a phone are behind this button
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            result = check(page)
            seen[(width, scheme)] = result["violations"]
            assert "color-contrast" in result["passes"]  # the rule ran and had text to check
    assert seen == {key: [] for key in seen}
    # The same run does see a violation when there is one.
    page.evaluate("document.getElementById('f-model').labels[0].remove()")
    assert "select-name" in [v["id"] for v in check(page, "#filters")["violations"]]
    ctx.close()
