"""The page in headless Chromium: comparable groups are the validator's configuration (LB304's key,
bot/contract/crosschecks.py, without the engine), and every sort choice says what it sorts by and which
way, the better value first for the metrics (docs/FIELD_SPECIFICATION.md says which is better)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.contract.crosschecks import configuration_key
from bot.fs import write_site
from bot.site.build import build_site
from tests.support.site_pages import (
    ROOT,
    SINGLE,
    Tab,
    base_url,
    browser,
    grouped,
    measured,
    new_tab,
    order,
    site_root,
    tab,
    tput,
)

__all__ = ["base_url", "browser", "new_tab", "site_root", "tab"]  # fixtures used by name below
MEASURED = measured(SINGLE)
SORT_CHOICES = [
    "Model, A–Z", "Model, Z–A", "Precision, A–Z", "Precision, Z–A", "Hardware, A–Z", "Hardware, Z–A",
    "Workload, shortest first", "Workload, longest first", "Engine, A–Z", "Engine, Z–A",
    "TTFT, lowest (best) first", "TTFT, highest first", "TPOT, lowest (best) first", "TPOT, highest first",
    "Throughput, highest (best) first", "Throughput, lowest first",
    "Peak mem, lowest (best) first", "Peak mem, highest first",
    "Errors, lowest (best) first", "Errors, highest first",
    "Submitted, newest first", "Submitted, oldest first",
    "Verified, verified first", "Verified, unverified first",
]  # fmt: skip
ASCENDING = (
    "A–Z",
    "shortest first",
    "lowest (best) first",
    "lowest first",
    "oldest first",
    "unverified first",
)
METRIC_FIELDS = {
    "ttft": "ttft_ms",
    "tpot": "tpot_ms",
    "throughput": "throughput_tps",
    "memory": "peak_mem_mb",
}


def variant(n: int, tps: float, **changes: Any) -> dict[str, Any]:
    """One measured entry of a made-up model; ``changes`` maps "section.field" to a new value."""
    e = copy.deepcopy(MEASURED[0])
    e["entry_id"] = f"00000000-0000-4000-8000-{n:012d}"
    e["model"].update(name="group-test-model", quantization="None")
    e["hardware"]["vendor"] = "NVIDIA"
    e["metrics"].update(throughput_tps=tps, ttft_ms=10.0, error_rate=0.0)
    for path, value in changes.items():
        section, name = path.split(".")
        (e if section == "top" else e[section])[name] = value
    return e


VARIANTS = [
    variant(1, 100.0),
    variant(2, 90.0, **{"model.quantization": "AWQ"}),
    variant(3, 80.0, **{"hardware.vendor": "AMD"}),
    variant(4, 70.0, **{"workload.batch_size": MEASURED[0]["workload"]["batch_size"] + 1}),
    variant(5, 60.0, **{"hardware.vendor": "nvidia", "model.name": "GROUP-TEST-MODEL"}),  # a repeat of 1
    variant(6, 50.0, **{"hardware.vendor": "ＮＶＩＤＩＡ", "top.engine": "sglang"}),  # another engine
]


@pytest.fixture(scope="module")
def variants_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("group-sites")
    write_site(build_site(VARIANTS, []), root / "variants")
    return (root / "variants" / "index.html").as_uri()


def test_groups_are_the_validators_configuration(new_tab: Callable[..., Tab], variants_url: str) -> None:
    ids = [e["entry_id"] for e in VARIANTS]
    # The validator: 1, 5 and 6 are one configuration (5 spells the same names otherwise, 6 another engine).
    setups = [configuration_key(e)[:-2] for e in VARIANTS]
    assert setups[0] == setups[4] == setups[5]
    assert len(set(setups)) == 4
    t = new_tab().open(variants_url)
    expected = grouped(VARIANTS, tput, desc=True)
    assert expected == [[ids[0], ids[5]], [ids[1]], [ids[2]], [ids[3]]]
    assert t.ids() == [i for g in expected for i in g]
    labels = t.page.eval_on_selector_all("#rows tr.group-row", "rs => rs.map(r => r.textContent)")
    assert len(labels) == len(expected)
    assert "AWQ" in labels[1]  # what sets a group apart is in its heading
    assert "AMD" in labels[2]
    assert "3 entries" in labels[0]
    # 1 and 5 are repeats of one configuration on one engine build: one row, "2 runs".
    assert t.page.locator(f'#rows tr[data-entry-id="{ids[0]}"] button.runs').inner_text() == "2 runs"


def test_each_sort_choice_says_what_it_sorts_by_and_which_way(tab: Tab) -> None:
    page = tab.page
    options = page.eval_on_selector_all("#f-sort option", "os => os.map(o => [o.value, o.textContent])")
    assert [text for _, text in options] == SORT_CHOICES
    for value, text in options:
        page.select_option("#f-sort", value)
        key, _ = value.split(":")
        direction = "ascending" if text.endswith(ASCENDING) else "descending"
        assert tab.sorted_by() == (key, direction), text
        if key in METRIC_FIELDS:
            field = METRIC_FIELDS[key]

            def metric(e: dict[str, Any], field: str = field) -> Any:
                v = e["metrics"].get(field)
                return v if isinstance(v, (int, float)) and v > 0 else None

            assert tab.ids() == order(MEASURED, metric, desc=direction == "descending"), text


def test_metric_headers_say_which_way_is_better_as_the_field_reference_does(tab: Tab) -> None:
    spec = (ROOT / "docs" / "FIELD_SPECIFICATION.md").read_text(encoding="utf-8")
    better = {
        key: re.search(rf"\| `metrics\.{field}` \|.*\((lower|higher) is better\)", spec).group(1)  # type: ignore[union-attr]
        for key, field in METRIC_FIELDS.items()
    }
    assert better == {"ttft": "lower", "tpot": "lower", "throughput": "higher", "memory": "lower"}
    better["errors"] = "lower"  # an error rate: the fewer failed requests the better
    for key, way in better.items():
        head = tab.page.locator(f"#board-head th[data-col={key}]")
        assert head.locator(".better").text_content() == f"{way} is better", key
        head.locator("button").click()  # the first click sorts the better values first
        assert tab.sorted_by() == (key, "ascending" if way == "lower" else "descending"), key
    assert tab.page.locator("#board-head th[data-col=model] .better").count() == 0


REPEATS = 250  # runs of one configuration on one engine build: more than two pages of 100


@pytest.fixture(scope="module")
def repeats_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    runs = [variant(n, float(n)) for n in range(1, REPEATS + 1)]
    assert len({configuration_key(e) for e in runs}) == 1  # one contender, REPEATS runs
    root = tmp_path_factory.mktemp("repeat-sites")
    write_site(build_site(runs, []), root / "repeats")
    return (root / "repeats" / "index.html").as_uri()


def test_expanded_runs_are_shown_a_hundred_at_a_time(new_tab: Callable[..., Tab], repeats_url: str) -> None:
    """Expanding 5,000 repeats drew all of them (about 9 s, and as long again on every sort): an
    expanded contender shows 100 runs, then a row saying how many of how many, with a button for more."""
    t = new_tab().open(repeats_url)
    page = t.page
    best_first = [f"00000000-0000-4000-8000-{n:012d}" for n in range(REPEATS, 0, -1)]
    assert t.ids() == best_first[:1]
    page.click("#rows button.runs")
    assert t.ids() == best_first[:100]
    more = page.locator("#rows tr.more-row")
    assert more.count() == 1
    assert more.locator(".more-text").inner_text() == f"Showing 100 of {REPEATS} runs"
    button = more.locator("button")
    assert button.inner_text() == "Show 100 more"
    button.focus()
    page.keyboard.press("Enter")  # keyboard works; focus stays on the button while more runs are left
    assert t.ids() == best_first[:200]
    assert more.locator(".more-text").inner_text() == f"Showing 200 of {REPEATS} runs"
    assert button.inner_text() == "Show 50 more"
    assert page.evaluate("document.activeElement.classList.contains('more-runs')")
    page.keyboard.press("Enter")
    assert t.ids() == best_first
    assert more.count() == 0
    # With every run shown the button is gone: focus moves to the first of the runs it just showed.
    focused = "document.activeElement.closest('tr') && document.activeElement.closest('tr').dataset.entryId"
    assert page.evaluate(focused) == best_first[200]
    page.click("#board-head button[data-sort=throughput]")  # a new sort keeps how many are shown
    assert t.ids() == best_first[::-1]
    page.click("#rows button.runs")
    assert t.ids() == best_first[-1:]
    assert page.locator("#rows tr.more-row").count() == 0
    # A link that opens the 151st run shows the runs up to the hundred it is in, and its details.
    linked = new_tab().open(f"{repeats_url}#open={best_first[150]}")
    assert linked.ids() == best_first[:200]
    assert linked.page.locator(f'tr.is-open[data-entry-id="{best_first[150]}"] + tr.details-row').count() == 1


# Pairs of entries and what the chart's note must say they differ in ("" : one configuration, no note).
SPREAD_PAIRS = {
    "quantization": [VARIANTS[0], VARIANTS[1]],
    "vendor": [VARIANTS[0], VARIANTS[2]],
    "nodes": [VARIANTS[0], variant(7, 40.0, **{"top.cluster": {"node_count": 2}})],
    "quantization, vendor": VARIANTS[:3],
    "": [VARIANTS[0], VARIANTS[4], variant(8, 30.0, **{"top.cluster": {"node_count": 1}})],
}


@pytest.fixture(scope="module")
def spread_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("spread-sites")
    for n, entries in enumerate(SPREAD_PAIRS.values()):
        write_site(build_site(entries, []), root / str(n))
    return {what: (root / str(n) / "index.html").as_uri() for n, what in enumerate(SPREAD_PAIRS)}


@pytest.mark.parametrize("differ", list(SPREAD_PAIRS))
def test_the_chart_says_what_its_entries_differ_in_as_the_groups_do(
    new_tab: Callable[..., Tab], spread_urls: dict[str, str], differ: str
) -> None:
    """The note named only model, hardware, workload and precision: entries that differed only in
    quantization, vendor or node count were presented as comparable, though the table groups them apart."""
    entries = SPREAD_PAIRS[differ]
    setups = {configuration_key(e)[:-2] for e in entries}
    assert (len(setups) > 1) == bool(differ)  # the validator's verdict, which the groups follow
    t = new_tab().open(spread_urls[differ])
    assert t.page.locator("#rows tr.group-row").count() == len(setups)
    assert t.page.is_visible("#chart")
    note = t.page.locator("#chart-note")
    if differ:
        assert note.is_visible()
        expected = f"These entries differ in {differ}: the table's comparable groups rank like with like."
        assert note.inner_text() == expected
    else:  # "nvidia" and "NVIDIA", no node count and 1 node: the same configuration, nothing to warn of
        assert note.is_hidden()
