"""Benchmark: the leaderboard page with 10,000 and 100,000 synthetic entries vs the 48 real ones, in
headless Chromium.

Weight: the bytes a first visit downloads (index.html + data.js + scripts + stylesheet), raw and gzipped,
against the single-file page with the entries inline as plain JSON (the layout before data.js, measured
here on the same entries).
The times are measured inside the page with performance.now():
  render  script start -> first view rendered (unpacking, indexing, grouping, filter + sort, DOM, layout)
  ready   navigation start -> first view rendered (adds loading and parsing the HTML and data.js)
  sort    one header click -> table re-rendered and laid out (median over several columns and both directions)
  filter  one select change / one search -> re-rendered and laid out
The "long" set is the real entries plus one whose every text field is one unbroken word of
--long characters (schema-valid: the schema sets no maximum length); cells show 120 of them.
Screenshots of the largest page on a desktop and a phone go to test-output/. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.bench_site [--entries 10000 100000] [--long 100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import random
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from bot.fs import write_site
from bot.site.build import (
    DATA_SCRIPT,
    MULTI_FILE,
    SCRIPTS,
    SINGLE_FILE,
    STYLES,
    build_site,
    embed_json,
)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ENGINES = [
    ("sagellm", None),
    ("vllm", "0.17.0"),
    ("vllm-ascend", "0.9.1"),
    ("sglang", "0.4.6"),
    ("lmdeploy", "0.7.2"),
]
SORTS = ["throughput", "ttft", "model", "hardware", "submitted", "engine"]
# Clicks a header and waits for nothing but layout: rendering is synchronous in the click handler.
MEASURE_SORT = """key => {
  const t = performance.now();
  document.querySelector(`#board-head button[data-sort="${key}"]`).click();
  document.body.offsetHeight;
  return performance.now() - t;
}"""
MEASURE_SELECT = """([id, index]) => {
  const sel = document.getElementById(id);
  const t = performance.now();
  sel.selectedIndex = Math.min(index, sel.options.length - 1);
  sel.dispatchEvent(new Event("change"));
  document.body.offsetHeight;
  return performance.now() - t;
}"""
MEASURE_SEARCH = """text => {
  const input = document.getElementById("f-q");
  const t = performance.now();
  input.value = text;
  input.form.requestSubmit();
  document.body.offsetHeight;
  return performance.now() - t;
}"""


def load(name: str) -> list[dict[str, Any]]:
    """One of the real data files."""
    data: list[dict[str, Any]] = json.loads((ROOT / "data" / name).read_text(encoding="utf-8"))
    return data


def synthesize(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` clones of the real single-node entries: fresh UUIDs, varied metrics, engines, dates."""
    real = load(SINGLE_FILE)
    rng = random.Random(seed)
    out = []
    for i in range(count):
        e = copy.deepcopy(real[i % len(real)])
        e["entry_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        m = e["metrics"]
        for key in ("ttft_ms", "tbt_ms", "tpot_ms", "throughput_tps"):
            m[key] = round((m.get(key) or rng.uniform(1, 50)) * rng.lognormvariate(0, 0.4), 3)
        m["peak_mem_mb"] = int(m["peak_mem_mb"] * rng.uniform(0.7, 1.5))
        m["error_rate"] = round(rng.choice([0.0, 0.0, 0.0, rng.uniform(0, 0.05)]), 4)
        engine, version = rng.choice(ENGINES)
        e["engine"], e["engine_version"] = engine, version or e["sagellm_version"]
        e["metadata"]["submitted_at"] = f"2026-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}T12:00:00Z"
        e["metadata"]["verified"] = rng.random() < 0.1
        out.append(e)
    return out


def with_long_text(length: int) -> list[dict[str, Any]]:
    """The real entries plus a copy of the first with every text field ``length`` characters long."""
    real = load(SINGLE_FILE)
    long = copy.deepcopy(real[0])
    long["entry_id"] = str(uuid.UUID(int=1, version=4))

    def stretch(o: dict[str, Any]) -> None:
        for k, v in o.items():
            if isinstance(v, dict):
                stretch(v)
            elif isinstance(v, str) and k not in ("entry_id", "submitted_at", "release_date"):
                o[k] = k[0].upper() * length

    stretch(long)
    return [long, *real]


def measure(browser: Browser, url: str, repeat: int) -> dict[str, float]:
    """Median figures (ms) over ``repeat`` fresh page loads."""
    runs: dict[str, list[float]] = {"render": [], "ready": [], "sort": [], "filter": [], "search": []}
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.wait_for_selector("html[data-ready]")
        timings = page.evaluate("LB.timings")
        runs["render"].append(timings["init"])
        runs["ready"].append(timings["ready"])
        for key in SORTS:  # each column twice: first direction, then the toggle
            runs["sort"] += [page.evaluate(MEASURE_SORT, key) for _ in range(2)]
        runs["filter"] += [
            page.evaluate(MEASURE_SELECT, [sid, 1]) for sid in ("f-hardware", "f-model", "f-engine")
        ]
        runs["filter"] += [
            page.evaluate(MEASURE_SELECT, [sid, 0]) for sid in ("f-hardware", "f-model", "f-engine")
        ]
        runs["search"] += [page.evaluate(MEASURE_SEARCH, q) for q in ("tiny", "x86_64 0.5", "no-match", "")]
        page.close()
    return {k: statistics.median(v) for k, v in runs.items()} | {"sort_max": max(runs["sort"])}


def weight(files: dict[str, str]) -> tuple[int, int]:
    """Bytes of a first visit: raw and gzipped (as a static host such as GitHub Pages serves them)."""
    loaded = ["index.html", DATA_SCRIPT, *SCRIPTS, *STYLES]
    raw = sum(len(files[n].encode()) for n in loaded)
    return raw, sum(len(gzip.compress(files[n].encode(), 6)) for n in loaded)


def inline_weight(
    files: dict[str, str], single: list[dict[str, Any]], multi: list[dict[str, Any]]
) -> tuple[int, int]:
    """The same page with the entries inline as plain JSON in index.html (the layout before data.js)."""
    inline = files["index.html"] + embed_json({"single": single, "multi": multi})
    rest = [files[n] for n in (*SCRIPTS, *STYLES)]
    raw = len(inline.encode()) + sum(len(t.encode()) for t in rest)
    return raw, len(gzip.compress(inline.encode(), 6)) + sum(len(gzip.compress(t.encode(), 6)) for t in rest)


def screenshots(browser: Browser, url: str) -> list[Path]:
    """The default view on a desktop and on a phone, for a person to look at."""
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    shots = []
    for name, size in (("desktop", (1280, 900)), ("phone", (390, 844))):
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(url)
        page.wait_for_selector("html[data-ready]")
        shots.append(out / f"bench-site-{name}.png")
        page.screenshot(path=str(shots[-1]))
        page.close()
    return shots


def main() -> None:
    """Build the sites, measure them and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--long", type=int, default=100_000, help="characters of each long text")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    multi = load(MULTI_FILE)
    sets = {"real": load(SINGLE_FILE), "long": with_long_text(args.long)}
    sets |= {f"{n // 1000}k": synthesize(n) for n in args.entries}
    results, sizes, url = {}, {}, ""
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, single in sets.items():
            files = build_site(single, multi)
            write_site(files, Path(tmp) / name)
            sizes[name] = (
                weight(files),
                inline_weight(files, single, multi),
                len(files["index.html"].encode()),
            )
            url = (Path(tmp) / name / "index.html").as_uri()
            results[name] = measure(browser, url, args.repeat)
        shots = screenshots(browser, url)
        browser.close()
    names = list(sets)
    print(f"{'':<22}" + "".join(f"{n:>12}" for n in names))
    print(f"{'entries':<22}" + "".join(f"{len(sets[n]) + len(multi):>12,}" for n in names))
    print(f"{'index.html (KB)':<22}" + "".join(f"{sizes[n][2] / 1e3:>12.1f}" for n in names))
    print(f"{'first visit (MB)':<22}" + "".join(f"{sizes[n][0][0] / 1e6:>12.2f}" for n in names))
    print(f"{'  gzipped (MB)':<22}" + "".join(f"{sizes[n][0][1] / 1e6:>12.2f}" for n in names))
    print(f"{'inline JSON (MB)':<22}" + "".join(f"{sizes[n][1][0] / 1e6:>12.2f}" for n in names))
    print(f"{'  gzipped (MB)':<22}" + "".join(f"{sizes[n][1][1] / 1e6:>12.2f}" for n in names))
    print(f"{'weight / inline':<22}" + "".join(f"{sizes[n][0][0] / sizes[n][1][0]:>12.2f}" for n in names))
    print(f"\n{'ms (median)':<22}" + "".join(f"{n:>12}" for n in names))
    for key in ("render", "ready", "sort", "sort_max", "filter", "search"):
        print(f"{key:<22}" + "".join(f"{results[n][key]:>12.1f}" for n in names))
    for n in names[1:]:
        print(f"{n}: render {results[n]['render'] / max(results['real']['render'], 0.1):.1f}x real, "
              f"sort {results[n]['sort'] / max(results['real']['sort'], 0.1):.1f}x real")  # fmt: skip
    print("screenshots: " + ", ".join(str(p.relative_to(ROOT)) for p in shots))


if __name__ == "__main__":
    main()
