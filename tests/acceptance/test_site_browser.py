"""The leaderboard page in headless Chromium: default view, tabs, sorting, filters, search, details,
URL state, chart and pagination, each checked against values computed in Python from the data files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

import pytest

from tests.support.site_pages import (
    FLAT,
    MULTI,
    ROOT,
    SINGLE,
    Tab,
    base_url,
    browser,
    engine_label,
    grouped,
    measured,
    new_tab,
    order,
    paged_entries,
    site_root,
    tab,
    tput,
    ttft,
)

__all__ = ["base_url", "browser", "new_tab", "site_root", "tab"]  # fixtures used by name below
MEASURED = measured(SINGLE)


def test_flat_view_lists_measured_single_node_entries_by_throughput_descending(tab: Tab) -> None:
    assert tab.ids() == order(MEASURED, tput, desc=True)
    assert tab.sorted_by() == ("throughput", "descending")
    assert tab.page.get_attribute("#tab-single", "aria-selected") == "true"
    assert tab.page.inner_text("#tab-single .count") == str(len(SINGLE))
    assert tab.page.inner_text("#tab-multi .count") == str(len(MULTI))
    n, hidden = len(MEASURED), len(SINGLE) - len(MEASURED)
    assert tab.page.inner_text("#status") == (
        f"Showing 1–{n} of {n} entries ({n} of {len(SINGLE)} single-node entries match; "
        f"{hidden} without measurements hidden)"
    )
    ranks = tab.page.eval_on_selector_all("#rows .rank", "rs => rs.map(r => r.textContent)")
    assert ranks == [str(i) for i in range(1, n + 1)]
    assert tab.page.locator("#board th[scope=col]").count() == 14  # details, rank and 12 columns
    assert tab.page.is_hidden("#pager")
    (ROOT / "test-output").mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ROOT / "test-output" / "site-default.png"))


def test_multi_node_tab_by_click_and_keyboard(tab: Tab) -> None:
    page = tab.page
    page.click("#tab-multi")
    assert tab.ids() == [e["entry_id"] for e in MULTI]
    assert page.get_attribute("#tab-multi", "aria-selected") == "true"
    assert page.get_attribute("#tab-single", "aria-selected") == "false"
    assert page.get_attribute("#panel", "aria-labelledby") == "tab-multi"
    # Roving tabindex and arrow keys (automatic activation), as in the ARIA tabs pattern.
    assert (page.get_attribute("#tab-multi", "tabindex"), page.get_attribute("#tab-single", "tabindex")) == (
        "0",
        "-1",
    )
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.id") == "tab-single"
    assert len(tab.ids()) == len(MEASURED)
    page.keyboard.press("End")
    assert tab.ids() == [e["entry_id"] for e in MULTI]
    page.keyboard.press("Home")
    assert page.get_attribute("#tab-single", "aria-selected") == "true"
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#tab-multi", "aria-selected") == "true"
    # Enter and Space on a focused, unselected tab select it too.
    page.focus("#tab-single")
    page.keyboard.press("Enter")
    assert len(tab.ids()) == len(MEASURED)
    page.focus("#tab-multi")
    page.keyboard.press("Space")
    assert tab.ids() == [e["entry_id"] for e in MULTI]
    assert "tab=multi" in page.url


def test_header_click_sorts_numerically_both_ways(tab: Tab) -> None:
    tab.page.click("#board-head button[data-sort=ttft]")
    assert tab.sorted_by() == ("ttft", "ascending")
    assert tab.ids() == order(MEASURED, ttft, desc=False)
    tab.page.click("#board-head button[data-sort=ttft]")
    assert tab.sorted_by() == ("ttft", "descending")
    assert tab.ids() == order(MEASURED, ttft, desc=True)
    tab.page.click("#board-head button[data-sort=throughput]")
    assert tab.sorted_by() == ("throughput", "descending")
    tab.page.click("#board-head button[data-sort=throughput]")
    assert tab.ids() == order(MEASURED, tput, desc=False)


def test_header_sorts_with_enter_and_space(tab: Tab) -> None:
    def model(e: dict) -> str:  # type: ignore[type-arg]
        return str(e["model"]["name"]).lower()

    tab.page.focus("#board-head button[data-sort=model]")
    tab.page.keyboard.press("Enter")
    assert tab.sorted_by() == ("model", "ascending")
    assert tab.ids() == order(MEASURED, model, desc=False)
    tab.page.keyboard.press("Space")  # focus stays on the header button after the re-render
    assert tab.sorted_by() == ("model", "descending")
    assert tab.ids() == order(MEASURED, model, desc=True)
    # A missing value (one entry has tpot_ms null) sorts last in both directions.
    tab.page.click("#board-head button[data-sort=tpot]")
    # A TPOT of 0 beside a real throughput is "not measured" too: shown as "—", never the best value.
    nulls = [e["entry_id"] for e in MEASURED if not (e["metrics"].get("tpot_ms") or 0) > 0]
    assert nulls
    assert tab.ids()[-len(nulls) :] == nulls


def test_filters_by_hardware_and_model_match_python_counts(tab: Tab) -> None:
    hardware, hw_count = Counter(e["hardware"]["chip_model"] for e in MEASURED).most_common(1)[0]
    tab.page.select_option("#f-hardware", hardware)
    on_hw = [e for e in MEASURED if e["hardware"]["chip_model"] == hardware]
    assert tab.ids() == order(on_hw, tput, desc=True)
    assert len(on_hw) == hw_count
    assert f"({hw_count} of {len(SINGLE)} single-node entries match" in tab.page.inner_text("#status")
    assert tab.page.inner_text(f'#f-hardware option[value="{hardware}"]') == f"{hardware} ({hw_count})"
    model = Counter(e["model"]["name"] for e in on_hw).most_common()[-1][0]
    tab.page.select_option("#f-model", model)
    both = [e for e in on_hw if e["model"]["name"] == model]
    assert tab.ids() == order(both, tput, desc=True)
    assert f"hardware={quote(hardware)}" in tab.page.url
    tab.page.click("#f-clear")
    assert len(tab.ids()) == len(MEASURED)
    assert tab.page.input_value("#f-hardware") == ""


def test_engine_version_and_precision_filters(tab: Tab) -> None:
    tab.page.select_option("#f-engine", "vllm")
    vllm = [e for e in MEASURED if engine_label(e).startswith("vllm ")]
    assert tab.ids() == order(vllm, tput, desc=True)
    tab.page.select_option("#f-engine", "")
    version = SINGLE[0]["sagellm_version"]
    tab.page.select_option("#f-version", version)
    assert len(tab.ids()) == sum(e["sagellm_version"] == version for e in MEASURED)
    precision = SINGLE[0]["model"]["precision"]
    tab.page.select_option("#f-precision", precision)
    both = [e for e in MEASURED if e["sagellm_version"] == version and e["model"]["precision"] == precision]
    assert both
    assert tab.ids() == order(both, tput, desc=True)


def test_text_search(tab: Tab) -> None:
    tab.page.fill("#f-q", "DeepSeek")
    tab.page.wait_for_function("() => location.hash.includes('q=DeepSeek')")  # input is debounced
    expected = [e for e in MEASURED if "deepseek" in e["model"]["name"].lower()]
    assert expected
    assert tab.ids() == order(expected, tput, desc=True)
    # Several words must all match; Enter applies the search at once.
    tab.page.fill("#f-q", "tiny-gpt2 x86_64")
    tab.page.press("#f-q", "Enter")
    expected = [
        e for e in MEASURED if e["model"]["name"] == "tiny-gpt2" and e["hardware"]["chip_model"] == "x86_64"
    ]
    assert expected
    assert tab.ids() == order(expected, tput, desc=True)
    tab.page.fill("#f-q", "no-such-model-anywhere")
    tab.page.press("#f-q", "Enter")
    assert tab.ids() == []
    assert "No entries match" in tab.page.inner_text("#rows")


def test_row_expands_to_details_with_reproduce_command(tab: Tab) -> None:
    first = next(e for e in SINGLE if e["entry_id"] == order(MEASURED, tput, desc=True)[0])
    button = tab.page.locator(f'#rows tr[data-entry-id="{first["entry_id"]}"] .expander')
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    details = tab.page.locator("#" + (button.get_attribute("aria-controls") or ""))
    assert details.is_visible()
    assert details.locator(".reproduce-cmd").inner_text() == first["metadata"]["reproducible_cmd"]
    text = details.inner_text()
    for value in (first["entry_id"], first["environment"]["os"], first["versions"]["core"]):
        assert value in text
    link = details.locator("a")
    assert link.get_attribute("href") == first["metadata"]["changelog_url"]
    assert f"open={first['entry_id']}" in tab.page.url
    button.press("Enter")  # keyboard toggles it closed again
    assert button.get_attribute("aria-expanded") == "false"
    assert tab.page.locator("tr.details-row").count() == 0
    assert "open=" not in tab.page.url


def test_multi_node_details_show_cluster_and_parallelism(tab: Tab) -> None:
    tab.page.click("#tab-multi")
    tab.page.click("#rows .expander")
    text = tab.page.text_content("tr.details-row") or ""  # not inner_text: headings are uppercased by CSS
    cluster = MULTI[0]["cluster"]
    assert "Cluster & parallelism" in text
    assert cluster["comm_backend"] in text
    assert "Tensor parallel" in text
    hardware = MULTI[0]["hardware"]
    row = tab.page.inner_text("#rows tr[data-entry-id]").replace("\xa0", " ")  # "× n" is kept on one line
    assert f"{hardware['chip_model']} × {hardware['chip_count']}" in row
    assert f"{cluster['node_count']} nodes" in row


def test_shared_url_restores_the_same_view(tab: Tab, new_tab: Callable[..., Tab]) -> None:
    hardware = Counter(e["hardware"]["chip_model"] for e in MEASURED).most_common(1)[0][0]
    tab.page.select_option("#f-hardware", hardware)
    tab.page.fill("#f-q", "tiny")
    tab.page.press("#f-q", "Enter")
    tab.page.click("#board-head button[data-sort=ttft]")
    tab.page.click("#rows tr:nth-child(2) .expander")
    view = (tab.ids(), tab.sorted_by(), tab.page.input_value("#f-hardware"), tab.page.input_value("#f-q"))
    opened = tab.page.get_attribute("tr.details-row", "id")
    other = new_tab().open(tab.page.url)
    for t in (other, other.open(other.page.url)):  # a fresh tab, then a reload of it
        assert (t.ids(), t.sorted_by(), t.page.input_value("#f-hardware"), t.page.input_value("#f-q")) == view
        assert t.page.get_attribute("tr.details-row", "id") == opened
    matching = [e for e in MEASURED if e["hardware"]["chip_model"] == hardware and "tiny" in name_text(e)]
    assert view[0] == order(matching, ttft, desc=False)


def name_text(e: dict) -> str:  # type: ignore[type-arg]
    """The searchable fields this test relies on (model and hardware names)."""
    return f"{e['model']['name']} {e['hardware']['chip_model']}".lower()


def test_hand_written_url_and_back_to_default(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/real/index.html#tab=multi&sort=ttft&dir=asc&model=Qwen2-7B&bogus=1")
    assert t.page.get_attribute("#tab-multi", "aria-selected") == "true"
    assert t.sorted_by() == ("ttft", "ascending")
    assert t.ids() == [e["entry_id"] for e in MULTI if e["model"]["name"] == "Qwen2-7B"]
    t.page.evaluate("location.hash = ''")  # hashchange: back to the default view
    t.page.wait_for_function("() => document.querySelectorAll('#rows tr[data-entry-id]').length > 1")
    assert t.ids() == [i for g in grouped(SINGLE, tput, desc=True) for i in g]  # the default: groups


def test_chart_compares_engine_versions_of_the_filtered_rows(tab: Tab) -> None:
    groups = Counter(engine_label(e) for e in MEASURED)  # runs that measured nothing get no bar
    bars = tab.page.locator("#chart-body svg rect.bar")
    assert bars.count() == min(len(groups), 10)
    best = max(MEASURED, key=tput)
    assert tab.page.locator("#chart-body svg .chart-label").first.text_content() == engine_label(best)
    assert tab.page.get_attribute("#chart-body svg", "role") == "img"
    tab.page.select_option("#f-engine", "vllm")
    assert bars.count() == 1
    assert tab.page.locator("#chart-body svg .chart-label").text_content() == engine_label(
        next(e for e in SINGLE if engine_label(e).startswith("vllm "))
    )


def test_pagination_for_large_data(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/paged/index.html{FLAT}")
    expected = order(paged_entries(), tput, desc=True)
    assert len(t.ids()) == 100
    assert t.page.is_visible("#pager")
    assert t.ids() == expected[:100]
    t.page.click("#page-next")
    assert t.ids() == expected[100:200]
    assert "page=2" in t.page.url
    t.page.click("#page-next")
    assert t.ids() == expected[200:]
    assert t.page.is_disabled("#page-next")
    assert t.page.inner_text("#page-info") == "Page 3 of 3"
    t.page.click("#board-head button[data-sort=throughput]")  # a new sort goes back to page 1
    assert t.page.inner_text("#page-info") == "Page 1 of 3"


def test_empty_tab_and_duplicate_entry_ids(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/small/index.html#tab=multi")
    assert t.page.inner_text("#tab-multi .count") == "0"
    assert t.page.inner_text("#rows") == "No entries yet."
    assert t.page.is_hidden("#chart")  # nothing to chart: the table gets the room
    t.page.click("#tab-single")
    twin = t.page.locator("#rows tr[data-entry-id]", has_text="twin-model")
    twin.locator(".expander").click()  # the second of two rows with the same id opens its own details
    assert t.page.inner_text("tr.details-row .reproduce-cmd") == "echo twin"
    assert t.page.locator("tr.details-row").count() == 1


# The options of a select that its closed box cuts off: their text, measured in the select's own font,
# is wider than the box less its padding and the drop-down arrow (about 20 px in Chromium).
CUT_OFF_OPTIONS = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return [...select.options].map(o => o.text).filter(text => context.measureText(text).width > room);
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (900, 800), (390, 844)])
def test_the_sort_and_workload_boxes_show_any_choice_whole(
    new_tab: Callable[..., Tab], base_url: str, width: int, height: int
) -> None:
    """The default sort ("Throughput, highest first") once showed as "Throughput, higl": one column."""
    t = new_tab(width=width, height=height).open(f"{base_url}/real/index.html")
    if t.page.is_visible("#filters-toggle"):  # a phone: the filters wait behind one button
        t.page.click("#filters-toggle")
    assert t.page.locator("#f-sort option").count() >= 10
    assert t.page.locator("#f-workload option").count() > 5  # "All" and the real workloads
    for box in ("#f-sort", "#f-workload"):
        assert t.page.eval_on_selector(box, CUT_OFF_OPTIONS) == [], box
