"""The page in headless Chromium, how submitted values read: control, bidirectional and invisible
characters shown as ⟨U+XXXX⟩ (as bot/render/plain.py's ``visible`` shows them everywhere else) in
isolated runs, and integers beyond 2**53 shown, downloaded and sorted without being rounded."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.fs import write_site
from bot.render.plain import visible, visible_but_breaks
from bot.site.build import build_site
from tests.support.site_pages import SINGLE, Tab, browser, measured, new_tab

__all__ = ["browser", "new_tab"]  # fixtures used by name below
FLAT = "#view=flat&all=1"
HOSTILE_ID = "00000000-0000-4000-8000-0000000000b1"
BIG_ID = "00000000-0000-4000-8000-0000000000b2"
MODEL = "gpt\u202eevil"
NOTES = "line one\nline \u202etwo\u2066 \u0007"
CMD = "python run.py --model gpt\u202eevil \\\n  --note \u200b"
ODD_KEY, ODD_VALUE = "odd\u2067key", "v\u00ad\u0085"
BIG = 2**53 + 1  # 9007199254740993: JavaScript's nearest number is 2**53
BIG_TPUT = 2**53 + 3
BIG_LIST = [1, 2**60 + 1]
TINY_A = "00000000-0000-4000-8000-0000000000c1"
TINY_B = "00000000-0000-4000-8000-0000000000c2"
EXPONENT = re.compile(r"\d[eE][-+]?\d")  # how String(4e-7) reads: "4e-7"
# Every text node and every attribute a reader sees or hears, with the details and the filters open.
SHOWN_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) out.push(["text", walk.currentNode.data]);
  for (const node of document.body.querySelectorAll("*"))
    for (const name of ["title", "aria-label", "data-label", "data-copy"])
      if (node.hasAttribute(name)) out.push([name, node.getAttribute(name)]);
  return out;
}"""
CHANGED_BY_VISIBLE = """() => {
  const out = [];
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCodePoint(c);
    if (LB.visible(s) !== s) out.push(c);
  }
  return out;
}"""


def hostile() -> dict[str, Any]:
    e = copy.deepcopy(measured(SINGLE)[0])
    e["entry_id"] = HOSTILE_ID
    e["model"].update(name=MODEL, parameters="7B\u200b")
    e["hardware"].update(chip_model="A100\u0007", vendor="NVIDIA\u2066")
    e["engine"] = "vllm\u202d"
    e["metadata"].update(notes=NOTES, reproducible_cmd=CMD)
    e[ODD_KEY] = ODD_VALUE
    return e


def big() -> dict[str, Any]:
    e = copy.deepcopy(measured(SINGLE)[1])
    e["entry_id"] = BIG_ID
    e["metrics"].update(kv_used_bytes=BIG, throughput_tps=BIG_TPUT)
    e["workload"]["input_length"] = BIG
    e["big_list"] = BIG_LIST
    return e


def texts(page: Any, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "xs => xs.map(x => x.textContent)")


def tiny(entry_id: str, n: int, **metrics: float) -> dict[str, Any]:
    e = copy.deepcopy(measured(SINGLE)[n])
    e["entry_id"] = entry_id
    e["metrics"].update(metrics)
    return e


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("text-sites")
    small = [
        tiny(
            TINY_A, 0, throughput_tps=0.04, ttft_ms=4e-7, tpot_ms=0.0123, error_rate=0.99996, peak_mem_mb=0.3
        ),
        tiny(TINY_B, 1, throughput_tps=1e-7, error_rate=0.00001),
    ]
    sites = {"hostile": [hostile(), *SINGLE[1:]], "big": [big(), *SINGLE], "small": small}
    for name, entries in sites.items():
        write_site(build_site(entries, []), root / name)
    return {name: (root / name / "index.html").as_uri() for name in sites}


def test_hidden_characters_are_shown_as_code_points_in_isolated_runs(
    new_tab: Callable[..., Tab], pages: dict[str, str]
) -> None:
    t = new_tab().open(pages["hostile"] + f"#chart=ttft&open={HOSTILE_ID}")  # dot titles carry names too
    page = t.page
    name = page.locator(f'#rows tr[data-entry-id="{HOSTILE_ID}"] .model-name')
    assert name.text_content() == visible(MODEL) == "gpt⟨U+202E⟩evil"
    assert name.evaluate("n => [n.tagName, getComputedStyle(n).unicodeBidi]") == ["BDI", "isolate"]
    # The group heading: each submitted part is a run of its own, in the order written.
    parts = page.locator("#rows tr.group-row", has_text="evil").locator(".group-label bdi")
    assert parts.first.text_content() == visible(MODEL)
    xs = parts.evaluate_all("ps => ps.map(p => p.getBoundingClientRect().left)")
    assert len(xs) >= 3
    assert xs == sorted(xs)  # an override inside the name reorders nothing after it
    details = page.locator("tr.details-row")
    assert details.locator(".detail-notes p").text_content() == visible_but_breaks(NOTES)
    assert details.locator(".reproduce-cmd").text_content() == visible_but_breaks(CMD)
    assert details.locator("button.copy").get_attribute("data-copy") == visible_but_breaks(CMD)
    assert visible("Odd\u2067key") in (details.text_content() or "")
    assert visible(ODD_VALUE) in (details.text_content() or "")
    # Filter options show the name visibly, and still filter on the value as submitted.
    option = page.locator("#f-model option", has_text="evil")
    assert option.text_content() == visible(MODEL) + " (1)"
    assert option.get_attribute("value") == MODEL
    # Nothing a reader sees or hears holds such a character raw (line breaks stay in notes and commands).
    for kind, text in page.evaluate(SHOWN_TEXT):
        multiline = kind in ("text", "data-copy")  # what is copied is the command as shown
        assert text == (visible_but_breaks(text) if multiline else visible(text)), (kind, text)
    page.select_option("#f-model", MODEL)
    assert t.ids() == [HOSTILE_ID]


def test_the_page_hides_exactly_what_visible_hides(
    new_tab: Callable[..., Tab], pages: dict[str, str]
) -> None:
    t = new_tab().open(pages["hostile"])
    expected = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and visible(chr(c)) != chr(c)]
    assert t.page.evaluate(CHANGED_BY_VISIBLE) == expected
    for text in ("\u202e", "a\u0007b", "\U000e0041", "\u200b\u200b"):
        assert t.page.evaluate("s => LB.visible(s)", text) == visible(text)


def test_integers_beyond_2_to_the_53_are_shown_and_downloaded_exactly(
    new_tab: Callable[..., Tab], pages: dict[str, str], tmp_path: Path
) -> None:
    t = new_tab().open(pages["big"] + FLAT)
    page = t.page
    assert page.evaluate(f"{BIG} === 2 ** 53")  # what JSON.parse would have made of it
    assert t.ids()[0] == BIG_ID  # sorted by its (approximate) throughput: the largest
    row = page.locator(f'#rows tr[data-entry-id="{BIG_ID}"]')
    assert row.locator("td.col-throughput").text_content() == f"{BIG_TPUT:,}"
    assert (row.locator("td.col-workload").text_content() or "").startswith(f"{BIG} → ")
    row.locator(".expander").click()
    details = page.locator("tr.details-row")
    kv = details.locator("dt", has_text="KV bytes used").locator("xpath=following-sibling::dd[1]")
    assert kv.text_content() == f"{BIG:,}"
    assert kv.locator("span").get_attribute("title") == str(BIG)
    assert json.dumps(BIG_LIST, separators=(",", ":")) in (details.text_content() or "")
    with page.expect_download() as csv_dl:
        page.click("#dl-csv")
    csv_dl.value.save_as(tmp_path / "view.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "view.csv").read_text(encoding="utf-8"))))
    assert (rows[0]["throughput_tps"], rows[0]["input_length"]) == (str(BIG_TPUT), str(BIG))
    with page.expect_download() as json_dl:
        page.click("#dl-json")
    json_dl.value.save_as(tmp_path / "view.json")
    saved = json.loads((tmp_path / "view.json").read_text(encoding="utf-8"))
    assert saved[0] == big()  # the submitted entry, every digit kept
    assert {e["entry_id"] for e in saved} == {e["entry_id"] for e in [big(), *SINGLE]}


def test_small_values_never_read_as_zero_a_round_100_percent_or_an_exponent(
    new_tab: Callable[..., Tab], pages: dict[str, str]
) -> None:
    """0.04 tok/s showed as "0", an error rate of 0.99996 as "100%", a TTFT of 4e-7 ms as "4e-7"."""
    t = new_tab().open(pages["small"] + FLAT)
    page = t.page
    assert t.ids() == [TINY_A, TINY_B]

    def cells(entry_id: str) -> dict[str, str]:
        row = page.locator(f'#rows tr[data-entry-id="{entry_id}"]')
        return {
            k: row.locator(f"td.col-{k}").text_content() or ""
            for k in ("throughput", "ttft", "tpot", "errors", "memory")
        }

    a, b = cells(TINY_A), cells(TINY_B)
    assert a == {
        "throughput": "0.04",
        "ttft": "0.0000004",
        "tpot": "0.012",
        "errors": ">99.99%",
        "memory": "0.3 MB",
    }
    assert (b["throughput"], b["errors"]) == ("0.0000001", "0.001%")
    kpis = page.inner_text("#kpis")
    assert "0.04" in kpis
    assert "0.0000004" in kpis
    page.locator("#rows .pick").nth(0).check()
    page.locator("#rows .pick").nth(1).check()

    def compared(label: str) -> list[str]:
        row = page.locator("#compare tr", has_text=label)
        return row.locator("td bdi").evaluate_all("bs => bs.map(b => b.textContent)")

    assert compared("Throughput") == ["0.04", "0.0000001"]
    assert compared("TTFT") == ["0.0000004", b["ttft"]]
    assert compared("Error rate") == [">99.99%", "0.001%"]
    page.click(f'#rows tr[data-entry-id="{TINY_A}"] .expander')
    exact = page.eval_on_selector_all(
        "tr.details-row span[title]", "ss => ss.map(s => [s.textContent, s.title])"
    )
    assert ["0.0000004", "0.0000004"] in exact  # the value on hover is the submitted one, in full
    assert ["0.04", "0.04"] in exact
    metrics = texts(page, "#rows td.num, #compare td, #chart-body .chart-value")  # none of them is 0
    assert not [x for x in metrics if x in ("0", "0%", "100%") or x.startswith(("0 ", "100%"))]
    shown = [*metrics, *texts(page, "#kpis dd"), *(x for pair in exact for x in pair)]
    assert not [x for x in shown if EXPONENT.search(x)]
