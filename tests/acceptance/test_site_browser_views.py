"""The page's views in headless Chromium: honest ranks, comparable groups, history, filter options,
per-tab filters, link values, downloads, the column chooser, verified-only, failures and no JavaScript.
Expected values come from the Python mirrors in tests/support/site_pages.py."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from tests.support.site_pages import (
    FLAT,
    MULTI,
    REPO,
    SINGLE,
    Tab,
    base_url,
    browser,
    config,
    engine_label,
    grouped,
    measured,
    new_tab,
    no_measurement,
    order,
    positive,
    site_root,
    tab,
    tput,
    ttft,
    with_verified,
)

__all__ = ["base_url", "browser", "new_tab", "site_root", "tab"]  # fixtures used by name below
MEASURED = measured(SINGLE)
NONE = [e for e in SINGLE if no_measurement(e)]


def texts(t: Tab, selector: str) -> list[str]:
    return t.page.eval_on_selector_all(selector, "xs => xs.map(x => x.textContent)")


def test_default_view_ranks_inside_comparable_groups(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/real/index.html")
    groups = grouped(SINGLE, tput, desc=True)
    assert t.ids() == [i for g in groups for i in g]
    assert t.page.get_attribute("#view-groups", "aria-pressed") == "true"
    assert t.page.locator("#rows tr.group-row").count() == len(groups)
    # Ranks restart at 1 in every group.
    assert texts(t, "#rows .rank") == [str(n) for g in groups for n in range(1, len(g) + 1)]
    by_id = {e["entry_id"]: e for e in SINGLE}
    first = by_id[groups[0][0]]
    label = t.page.locator("#rows tr.group-row").first.inner_text()
    assert first["model"]["name"] in label
    assert f"{first['workload']['input_length']}→{first['workload']['output_length']}" in label
    # Repeats of one configuration on one engine build are one row: best run, median, run count.
    repeats = Counter((config(e), engine_label(e)) for e in MEASURED)
    (key, runs) = repeats.most_common(1)[0]
    assert runs > 1
    same = [e for e in MEASURED if (config(e), engine_label(e)) == key]
    best = max(same, key=tput)
    row = t.page.locator(f'#rows tr[data-entry-id="{best["entry_id"]}"]')
    button = row.locator("button.runs")
    assert button.inner_text() == f"{runs} runs"
    values = sorted(tput(e) for e in same)
    mid = values[len(values) // 2] if runs % 2 else (values[runs // 2 - 1] + values[runs // 2]) / 2
    assert row.locator(".median").inner_text() == f"median {mid:,.1f}".removesuffix(".0")
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    shown = [i for i in t.ids() if i in {e["entry_id"] for e in same}]
    assert shown == order(same, tput, desc=True)
    assert t.page.evaluate("document.activeElement.classList.contains('runs')")  # focus stays
    t.page.click("#view-flat")
    assert t.ids() == order(MEASURED, tput, desc=True)
    assert "view=flat" in t.page.url


def test_no_measurement_runs_are_hidden_unranked_and_never_first(tab: Tab) -> None:
    assert NONE
    assert not set(tab.ids()) & {e["entry_id"] for e in NONE}
    assert tab.page.inner_text("#none-count") == f"({len(NONE)})"
    tab.page.check("#f-all")
    assert "all=1" in tab.page.url
    for key in ("ttft", "tpot", "throughput", "memory"):
        for _ in range(2):  # both directions
            tab.page.click(f"#board-head button[data-sort={key}]")
            ids = tab.ids()
            assert ids[: len(MEASURED)] == [i for i in ids if i not in {e["entry_id"] for e in NONE}]
    assert texts(tab, "#rows .badge-none") == ["no measurement"] * len(NONE)
    # Summary and chart agree with the table: the best values are real measurements.
    kpis = tab.page.inner_text("#kpis")
    assert f"{max(tput(e) for e in MEASURED):,.1f}" in kpis
    assert f"{min(ttft(e) for e in MEASURED if ttft(e)):,.1f}" in kpis
    assert "0" not in texts(tab, "#chart-body .chart-value")
    assert "—" in texts(tab, "#rows td.col-tpot")  # a TPOT of 0 beside a real throughput


# What a summary row's rank cell says, per row: its rank, "unranked" or "none" (no measurement).
RANK_CELLS = """rows => rows.map(r => {
  const rank = r.querySelector('.col-rank .rank'), un = r.querySelector('.col-rank .unranked');
  return rank ? rank.textContent : un ? 'unranked: ' + un.textContent : 'none';
})"""


def test_entries_without_the_sorted_metric_get_no_rank(
    tab: Tab, new_tab: Callable[..., Tab], base_url: str
) -> None:
    """Sorted by TPOT, the entries with a TPOT of 0 ("—") were ranked after the others: a rank says how an
    entry compares on the sorted metric, so only the entries that have it are numbered."""

    def tpot(e: dict[str, Any]) -> Any:
        return positive(e["metrics"]["tpot_ms"])

    has = [e for e in MEASURED if tpot(e) is not None]
    assert 0 < len(has) < len(MEASURED)
    tab.page.click("#board-head button[data-sort=tpot]")
    assert tab.ids() == order(MEASURED, tpot, desc=False)
    unranked = "unranked: —not ranked: no TPOT value"  # "—", and what it means for a screen reader
    expected = [str(n) for n in range(1, len(has) + 1)] + [unranked] * (len(MEASURED) - len(has))
    assert tab.page.eval_on_selector_all("#rows tr[data-entry-id]", RANK_CELLS) == expected
    tab.page.check("#f-all")  # runs that measured nothing stay "no measurement", after the unranked ones
    assert tab.page.eval_on_selector_all("#rows tr[data-entry-id]", RANK_CELLS) == expected + ["none"] * len(
        NONE
    )
    # In the comparable groups, ranks restart in each group and likewise skip the contenders without one.
    t = new_tab().open(f"{base_url}/real/index.html#sort=tpot&dir=asc")
    by_id = {e["entry_id"]: e for e in SINGLE}
    groups = grouped(SINGLE, tpot, desc=False)
    want: list[str] = []
    for g in groups:
        ranked = [i for i in g if tpot(by_id[i]) is not None]
        want += [str(n) for n in range(1, len(ranked) + 1)] + [unranked] * (len(g) - len(ranked))
    assert unranked in want
    summaries = "#rows tr[data-entry-id]:not(.repeat-row)"
    assert t.page.eval_on_selector_all(summaries, RANK_CELLS) == want


def test_back_steps_through_views(tab: Tab) -> None:
    page = tab.page
    urls = [page.url]
    for step in (
        lambda: page.click("#tab-multi"),
        lambda: page.click("#tab-single"),
        lambda: page.click("#board-head button[data-sort=ttft]"),
        lambda: page.select_option("#f-hardware", "CPU"),
    ):
        step()
        urls.append(page.url)
    assert len(set(urls)) == 4  # the second tab click returns to the first URL

    def went(move: Callable[[], object], url: str) -> None:
        move()  # history traversal is asynchronous: wait until the page has followed it
        page.wait_for_function("url => location.href === url && document.readyState === 'complete'", arg=url)

    went(page.go_back, urls[3])
    assert tab.sorted_by() == ("ttft", "ascending")
    assert page.input_value("#f-hardware") == ""
    went(page.go_back, urls[2])
    assert tab.sorted_by() == ("throughput", "descending")
    went(page.go_back, urls[1])
    assert page.get_attribute("#tab-multi", "aria-selected") == "true"
    assert tab.ids() == [e["entry_id"] for e in MULTI]
    went(page.go_back, urls[0])
    assert page.get_attribute("#tab-single", "aria-selected") == "true"
    for url in urls[1:]:
        went(page.go_forward, url)
    assert page.input_value("#f-hardware") == "CPU"
    cpu = [e for e in MEASURED if e["hardware"]["chip_model"] == "CPU"]
    assert tab.ids() == order(cpu, ttft, desc=False)


def test_option_counts_follow_the_other_filters_and_tabs_keep_their_own(tab: Tab) -> None:
    page = tab.page
    page.select_option("#f-engine", "vllm")
    vllm = [e for e in MEASURED if e.get("engine") == "vllm"]
    expected = sorted(f"{m} ({n})" for m, n in Counter(e["model"]["name"] for e in vllm).items())
    assert sorted(texts(tab, "#f-model option")[1:]) == expected  # no option leads to an empty view
    page.click("#tab-multi")
    assert page.input_value("#f-engine") == ""
    assert tab.ids() == [e["entry_id"] for e in MULTI]
    page.click("#tab-single")
    assert page.input_value("#f-engine") == "vllm"
    assert tab.ids() == order(vllm, tput, desc=True)


def test_unknown_link_values_are_dropped_with_a_notice(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/real/index.html{FLAT}&model=NoSuchModel&precision=FP32")
    assert t.page.is_visible("#notice")
    assert "NoSuchModel" in t.page.inner_text("#notice")
    assert t.page.input_value("#f-model") == ""
    assert t.page.input_value("#f-precision") == "FP32"
    assert "NoSuchModel" not in t.page.url
    fp32 = [e for e in MEASURED if e["model"]["precision"] == "FP32"]
    assert t.ids() == order(fp32, tput, desc=True)


def test_download_the_current_view_as_csv_and_json(tab: Tab, tmp_path: Path) -> None:
    tab.page.select_option("#f-hardware", "CPU")
    cpu = [e for e in MEASURED if e["hardware"]["chip_model"] == "CPU"]
    with tab.page.expect_download() as csv_dl:
        tab.page.click("#dl-csv")
    assert csv_dl.value.suggested_filename == "leaderboard-single-view.csv"
    csv_dl.value.save_as(tmp_path / "view.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "view.csv").read_text(encoding="utf-8"))))
    assert [r["entry_id"] for r in rows] == order(cpu, tput, desc=True)
    assert [float(r["throughput_tps"]) for r in rows] == sorted((tput(e) for e in cpu), reverse=True)
    with tab.page.expect_download() as json_dl:
        tab.page.click("#dl-json")
    json_dl.value.save_as(tmp_path / "view.json")
    by_id = {e["entry_id"]: e for e in cpu}
    saved = json.loads((tmp_path / "view.json").read_text(encoding="utf-8"))
    assert saved == [by_id[i] for i in order(cpu, tput, desc=True)]  # the submitted entries, unchanged


def test_csv_defuses_spreadsheet_formulas(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/evil/index.html{FLAT}")
    text = t.page.evaluate("LB.toCsv([{entry: {entry_id: '=HYPERLINK(1)'}}], [LB.CSV_FIELDS[0]])")
    assert text == "entry_id\r\n'=HYPERLINK(1)\r\n"


def test_column_chooser_lives_in_the_url(tab: Tab, new_tab: Callable[..., Tab]) -> None:
    tab.page.click("#columns-menu summary")
    tab.page.uncheck("#columns input[value=memory]")
    tab.page.uncheck("#columns input[value=submitted]")
    cols = tab.page.eval_on_selector_all("#board-head th[data-col]", "ths => ths.map(t => t.dataset.col)")
    assert "memory" not in cols
    assert "submitted" not in cols
    assert "cols=" in tab.page.url
    other = new_tab().open(tab.page.url)
    assert (
        other.page.eval_on_selector_all("#board-head th[data-col]", "t => t.map(x => x.dataset.col)") == cols
    )
    assert other.page.locator("#rows tr[data-entry-id]").first.locator("td").count() == len(cols) + 1


def test_cpu_chip_names_show_their_alias(tab: Tab) -> None:
    options = texts(tab, "#f-hardware option")
    assert any(o.startswith("x86_64 — a CPU (") for o in options)
    tab.page.select_option("#f-hardware", "x86_64")  # the data is never rewritten: the value stays x86_64
    assert "a CPU" in tab.page.inner_text("#rows td.col-hardware >> nth=0")
    assert tab.page.input_value("#f-hardware") == "x86_64"


def test_verified_only(new_tab: Callable[..., Tab], base_url: str) -> None:
    t = new_tab().open(f"{base_url}/verified/index.html{FLAT}")
    t.page.check("#f-verified")
    verified = [e for e in measured(with_verified()) if e["metadata"]["verified"]]
    assert verified
    assert t.ids() == order(verified, tput, desc=True)
    assert "verified=1" in t.page.url


def test_links_to_repository_form_reference_and_data(tab: Tab) -> None:
    hrefs = tab.page.eval_on_selector_all("#links a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs[:3] == [REPO, f"{REPO}/issues/new?template=submit-results.yml",
                         f"{REPO}/blob/HEAD/docs/FIELD_SPECIFICATION.md"]  # fmt: skip
    data = tab.page.request.get(tab.page.url.split("#")[0].replace("index.html", hrefs[3]))
    assert data.json() == SINGLE  # the data link serves the entries (the page itself may not fetch: CSP)


def test_a_missing_script_shows_a_visible_error(
    new_tab: Callable[..., Tab], site_root: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(site_root / "real", broken)
    (broken / "chart.js").unlink()
    t = new_tab()
    t.page.goto((broken / "index.html").as_uri())
    t.page.wait_for_selector("html[data-failed]")
    assert t.page.is_visible("#fatal")
    assert "chart.js" in t.page.inner_text("#fatal")
    assert t.errors  # the browser reported the missing file
    t.errors.clear()


def test_without_javascript_the_page_links_to_the_data(browser: Browser, base_url: str) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{base_url}/real/index.html")
    assert "needs JavaScript" in page.inner_text("main")
    assert page.is_hidden("#panel")  # no empty dropdowns and table
    hrefs = page.eval_on_selector_all("#links a", "as => as.map(a => a.getAttribute('href'))")
    assert "leaderboard_single.json" in hrefs
    assert REPO in hrefs
    ctx.close()


def pareto_ids(entries: list[dict[str, Any]], latency: Callable[[dict[str, Any]], Any]) -> set[str]:
    """Entries no other entry beats on both throughput (higher) and latency (lower)."""
    points = sorted((e for e in entries if tput(e) and latency(e)), key=lambda e: (-tput(e), latency(e)))
    front, best = set(), float("inf")
    for e in points:
        if latency(e) < best:
            front.add(e["entry_id"])
            best = latency(e)
    return front


def test_scatter_draws_latency_vs_throughput_with_the_pareto_frontier(tab: Tab) -> None:
    tab.page.select_option("#chart-kind", "ttft")
    assert "chart=ttft" in tab.page.url
    dots = tab.page.locator("#chart-body circle.dot")
    assert dots.count() == sum(1 for e in MEASURED if tput(e) and ttft(e))
    by_index = {str(i): e["entry_id"] for i, e in enumerate(SINGLE)}
    front = tab.page.eval_on_selector_all("#chart-body circle.on-front", "cs => cs.map(c => c.dataset.index)")
    assert {by_index[i] for i in front} == pareto_ids(MEASURED, ttft)
    assert "Pareto frontier" in (
        tab.page.locator("#chart-body circle.on-front title").first.text_content() or ""
    )
    tab.page.locator("#chart-body circle.on-front").first.click()  # a click opens that entry's details
    assert tab.page.locator("tr.details-row").count() == 1
    opened = tab.page.locator("tr.is-open").get_attribute("data-entry-id")
    assert opened in pareto_ids(MEASURED, ttft)
    tab.page.select_option("#chart-kind", "tpot")
    tpot = lambda e: e["metrics"]["tpot_ms"] if (e["metrics"]["tpot_ms"] or 0) > 0 else None  # noqa: E731
    front = tab.page.eval_on_selector_all("#chart-body circle.on-front", "cs => cs.map(c => c.dataset.index)")
    assert {by_index[i] for i in front} == pareto_ids(MEASURED, tpot)


def test_compare_two_to_four_entries_side_by_side(tab: Tab) -> None:
    picks = tab.page.locator("#rows .pick")
    picks.nth(0).check()
    assert tab.page.is_hidden("#compare")  # one entry is no comparison
    picks.nth(1).check()
    picks.nth(2).check()
    assert tab.page.is_visible("#compare")
    chosen = order(MEASURED, tput, desc=True)[:3]
    by_id = {e["entry_id"]: e for e in SINGLE}
    heads = texts(tab, "#compare thead th")
    assert [h.split(" ", 1)[1] for h in heads] == [
        by_id[i]["model"]["name"] + engine_label(by_id[i]) for i in chosen
    ]
    best = tab.page.locator("#compare tr", has_text="Throughput").locator("td.best")
    assert best.count() == 1
    assert f"{max(tput(by_id[i]) for i in chosen):,.1f}" in best.inner_text()
    workloads = [by_id[i]["workload"]["input_length"] for i in chosen]
    diffs = tab.page.locator("#compare tr", has_text="Workload").locator("td.diff").count()
    assert diffs == sum(w != workloads[0] for w in workloads)
    picks.nth(3).check()
    picks.nth(4).click()  # a fifth is refused with a notice
    assert not picks.nth(4).is_checked()
    assert "at most 4" in tab.page.inner_text("#notice")
    assert tab.page.locator("#compare thead th").count() == 4
    shared = tab.page.url
    tab.page.click("#compare-clear")
    assert tab.page.is_hidden("#compare")
    assert "cmp=" in shared
    assert "cmp=" not in tab.page.url


def test_details_show_the_configuration_across_versions(tab: Tab) -> None:
    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        return (config(e), e.get("engine") or "sagellm")

    family = Counter(key(e) for e in MEASURED)
    target = max(
        MEASURED, key=lambda e: (len({o["sagellm_version"] for o in MEASURED if key(o) == key(e)}), tput(e))
    )
    versions: dict[str, float] = {}
    for e in MEASURED:
        if key(e) == key(target):
            versions[e["sagellm_version"]] = max(versions.get(e["sagellm_version"], 0), tput(e))
    assert len(versions) > 1
    assert family[key(target)] >= len(versions)
    tab.page.click(f'#rows tr[data-entry-id="{target["entry_id"]}"] .expander')
    items = texts(tab, "tr.details-row .history-list li")
    ordered = sorted(versions, key=lambda v: [int(p) for p in v.split(".")])
    assert items == [f"{v}: {versions[v]:,.1f} tok/s".replace(".0 tok/s", " tok/s") for v in ordered]
    assert tab.page.locator("tr.details-row svg.sparkline circle").count() == len(versions)
    assert (
        tab.page.locator("tr.details-row .history-list li.current")
        .inner_text()
        .startswith(target["sagellm_version"])
    )


def test_a_link_naming_prototype_keys_as_columns_shows_the_named_columns_only(
    new_tab: Callable[..., Tab], base_url: str
) -> None:
    """`cols=constructor` once reached `CELL[c.key](r)` and broke the table (the fixture fails on any
    page error); such names are ignored like any unknown column, and `sort=__proto__` like any sort."""
    t = new_tab().open(f"{base_url}/real/index.html#cols=constructor,toString,__proto__,model&sort=__proto__")
    cols = t.page.eval_on_selector_all("#board-head th[data-col]", "ths => ths.map(t => t.dataset.col)")
    assert cols == ["model"]
    assert t.page.locator("#rows tr[data-entry-id]").count() > 0


GROUP_OF = """row => {  // the heading of the comparable group a row is in
  let r = row;
  while (!r.classList.contains('group-row')) r = r.previousElementSibling;
  return r.querySelector('.group-label').textContent;
}"""


def test_the_summary_names_the_configuration_of_each_best(new_tab: Callable[..., Tab], base_url: str) -> None:
    """ "Best throughput" and "Lowest TTFT" are taken across every configuration that matches, which the
    summary did not say: each now names its configuration, and a note says they are bests across several."""
    t = new_tab().open(f"{base_url}/real/index.html")
    page = t.page
    fastest = max(MEASURED, key=tput)
    quickest = min((e for e in MEASURED if ttft(e)), key=ttft)
    assert config(fastest) != config(quickest)  # the real data's two bests are of different configurations
    for label, e in (("Best throughput", fastest), ("Lowest TTFT", quickest)):
        kpi = page.locator("#kpis .kpi", has=page.locator("dt", has_text=label))
        group = page.locator(f'#rows tr[data-entry-id="{e["entry_id"]}"]').evaluate(GROUP_OF)
        assert kpi.locator(".kpi-from").count() == 1, label
        assert kpi.locator(".kpi-from").text_content() == f"in {group}", label
    n = len({config(e) for e in MEASURED})
    assert n > 1
    note = f"These are the bests across {n} configurations, each named under its value: "
    assert page.inner_text("#kpi-note") == note + "the table's comparable groups rank like with like."
    page.fill("#f-q", fastest["entry_id"])  # one entry, so one configuration: nothing to warn of
    page.press("#f-q", "Enter")
    assert t.ids() == [fastest["entry_id"]]
    assert page.is_hidden("#kpi-note")
    assert page.locator("#kpis .kpi-from").count() == 2  # each best still names its configuration
