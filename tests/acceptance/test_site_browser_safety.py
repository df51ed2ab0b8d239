"""The page in headless Chromium, the defensive side: hostile entry text renders as text, links only for
http(s), no horizontal page overflow on a phone, and the page works from file:// (embedded data, CSP)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.fs import write_site
from bot.site.build import SCRIPTS, build_site
from tests.support.site_pages import (
    FLAT,
    MULTI,
    ROOT,
    SINGLE,
    XSS_CHIP,
    XSS_CMD,
    XSS_MODEL,
    XSS_NOTES,
    Tab,
    base_url,
    browser,
    measured,
    new_tab,
    order,
    site_root,
    tput,
)

__all__ = ["base_url", "browser", "new_tab", "site_root"]  # fixtures used by name below
EVIL_ID = "00000000-0000-4000-8000-000000000001"
LONG_NAME = "Meta-Llama-3.1-405B-Instruct-FP8-dynamic-" * 8  # one unbroken word of 328 characters
INJECTED = "img, iframe, object, embed, [onerror], [onload], a[href^='javascript' i], tbody script, tbody svg"


def test_hostile_entry_text_renders_as_text(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/evil/index.html{FLAT}")
    page = t.page
    row = page.locator(f'#rows tr[data-entry-id="{EVIL_ID}"]')
    assert row.locator(".model-name").inner_text() == XSS_MODEL
    assert XSS_CHIP in row.inner_text()
    row.locator(".expander").click()
    details = page.locator("tr.details-row")
    assert XSS_NOTES in details.inner_text()
    assert details.locator(".reproduce-cmd").inner_text() == XSS_CMD
    # The javascript: changelog is shown, but never as a link.
    assert "javascript:alert(5)" in details.inner_text()
    assert details.locator("a").count() == 0
    # Filter options and the chart carry entry text too.
    assert page.locator("#f-hardware option", has_text=XSS_CHIP).count() == 1
    assert page.locator("#f-model option", has_text=XSS_MODEL).count() == 1
    page.select_option("#f-engine", '"><img src=x onerror=alert(7)>')
    assert page.locator("#chart-body svg .chart-label").count() == 1
    page.select_option("#f-engine", "")
    # Nothing was injected: no new elements, only our own scripts, no dialog, nothing executed.
    page.wait_for_timeout(300)  # give any onerror/onload a chance to fire before we look
    assert page.locator(INJECTED).count() == 0
    assert page.evaluate("document.scripts.length") == len(SCRIPTS) + 1
    assert t.dialogs == []
    assert t.ids() == order(measured([{**SINGLE[0], "entry_id": EVIL_ID}, *SINGLE[1:]]), tput, desc=True)


def test_search_for_markup_is_plain_text(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/evil/index.html#q={'<script>'}")
    assert t.ids() == [EVIL_ID]
    assert t.page.input_value("#f-q") == "<script>"
    assert t.page.locator(INJECTED).count() == 0


def test_phone_shows_a_first_result_on_the_first_screen_without_overflow(
    new_tab: Callable[..., Tab], base_url: str
) -> None:
    t = new_tab(width=390, height=844).open(f"{base_url}/real/index.html")
    page = t.page

    def overflow() -> list[int]:
        return page.evaluate(
            "[document.documentElement.scrollWidth - innerWidth, document.body.scrollWidth - innerWidth]"
        )

    assert overflow() == [0, 0]
    # Cards, not a wide table: the first entry's model, hardware, workload and throughput are on screen.
    first = page.locator("#rows tr[data-entry-id]").first
    for cell in (".col-model", "td.col-hardware", "td.col-workload", "td.col-throughput"):
        box = first.locator(cell).bounding_box()
        assert box is not None, cell
        assert box["y"] + box["height"] <= 844, cell
        assert box["x"] + box["width"] <= 390, cell
    assert page.is_hidden("#controls")  # filters and chart wait behind one button
    page.click("#filters-toggle")
    assert page.is_visible("#f-model")
    assert page.get_attribute("#filters-toggle", "aria-expanded") == "true"
    assert page.locator("#chart-body svg").bounding_box()["width"] <= 390  # type: ignore[index]
    page.click("#rows .expander")
    page.click("#tab-multi")
    assert page.is_hidden("#chart")  # one entry: no one-bar chart
    page.click("#rows .expander")
    assert overflow() == [0, 0]
    assert "2 nodes" in page.inner_text("#rows td.col-hardware")  # not cut off
    page.screenshot(path=str(ROOT / "test-output" / "site-phone.png"), full_page=False)


def test_page_works_from_file_url(new_tab: Callable[..., Tab], site_root: Path) -> None:
    t = new_tab().open((site_root / "real" / "index.html").as_uri() + FLAT)
    assert t.ids() == order(measured(SINGLE), tput, desc=True)
    t.page.click("#board-head button[data-sort=ttft]")
    assert "sort=ttft" in t.page.url  # the hash state also works without a server


@pytest.fixture(scope="module")
def long_name_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled data plus one entry whose model name is a single long word."""
    long = copy.deepcopy(measured(SINGLE)[0])
    long["entry_id"] = "00000000-0000-4000-8000-0000000000c1"
    long["model"]["name"] = LONG_NAME
    long["metrics"]["throughput_tps"] = 10.0**6  # the first row in every view
    folder = tmp_path_factory.mktemp("long-name")
    write_site(build_site([long, *SINGLE], MULTI), folder)
    return (folder / "index.html").as_uri()


@pytest.mark.parametrize("data", ["bundled", "long name"])
def test_phone_never_scrolls_sideways_in_any_view(
    new_tab: Callable[..., Tab], base_url: str, long_name_url: str, data: str
) -> None:
    """Wide things (the compare table, long names) scroll or wrap inside their own box, never the page."""
    t = new_tab(width=390, height=844).open(
        long_name_url if data == "long name" else f"{base_url}/real/index.html"
    )
    page = t.page

    def width() -> int:
        return page.evaluate("document.documentElement.scrollWidth")

    assert width() <= 390, "groups"
    page.click("#filters-toggle")
    assert width() <= 390, "filters and chart"
    page.select_option("#chart-kind", "ttft")
    assert width() <= 390, "scatter"
    page.locator("#rows .expander").first.click()
    assert width() <= 390, "details"
    for pick in range(4):
        page.locator("#rows .pick").nth(pick).check()
    assert page.is_visible("#compare")
    assert width() <= 390, "compare"
    page.click("#view-flat")
    page.check("#f-all")
    assert width() <= 390, "flat list with every run"
    if data == "long name":
        assert LONG_NAME[:119] + "…" in (page.locator("#compare thead").text_content() or "")


LONG_ID = "00000000-0000-4000-8000-0000000000c2"
LONG_CHIP = "H" * 4_999 + "Z"  # one valid unbroken word: Chromium's table layout of it grows with its square
LONG_MODEL = "\U0001f999" * 300  # characters beyond U+FFFF: a cut must not split one
LONGEST_TEXT = """sel => Math.max(0, ...[...document.querySelectorAll(sel)].flatMap((n) =>
  [...n.childNodes].filter((c) => c.nodeType === 3).map((c) => [...c.data].length)))"""


@pytest.fixture(scope="module")
def long_text_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled data plus one entry with a 5,000-character chip name and a 300-character model."""
    long = copy.deepcopy(measured(SINGLE)[0])
    long["entry_id"] = LONG_ID
    long["hardware"]["chip_model"] = LONG_CHIP
    long["model"]["name"] = LONG_MODEL
    long["metrics"]["throughput_tps"] = 10.0**6
    folder = tmp_path_factory.mktemp("long-text")
    write_site(build_site([long, *SINGLE], MULTI), folder)
    return (folder / "index.html").as_uri()


@pytest.mark.parametrize("view", ["", FLAT])
def test_long_text_is_cut_in_cells_and_options_and_whole_in_details(
    new_tab: Callable[..., Tab], long_text_url: str, view: str
) -> None:
    t = new_tab().open(long_text_url + view)
    page = t.page
    # Every text in the table, the filters and the chart is at most 120 characters (code points), a cut
    # ending in "…".
    for where in ("#board *", "#filters *", "#chart-body *"):
        assert page.evaluate(LONGEST_TEXT, where) <= 120 + len(" (1)"), where
    row = page.locator(f'#rows tr[data-entry-id="{LONG_ID}"]')
    chip = row.locator("td.col-hardware bdi").first
    assert chip.text_content() == LONG_CHIP[:119] + "…"
    assert chip.get_attribute("title") == "5,000 characters; the details show them all"
    assert row.locator(".model-name").text_content() == LONG_MODEL[:119] + "…"
    option = page.locator("#f-hardware option", has_text="HHH")
    assert option.text_content() == LONG_CHIP[:119] + "… (1)"
    # The filter still matches on the whole text.
    page.select_option("#f-hardware", LONG_CHIP)
    assert t.ids() == [LONG_ID]
    row.locator(".expander").click()
    details = page.locator("tr.details-row").text_content() or ""
    assert LONG_CHIP in details
    assert LONG_MODEL in details
