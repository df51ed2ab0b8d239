"""Benchmark: the leaderboard page with 10,000 synthetic entries vs the 48 real ones, in headless Chromium.

The figures are measured inside the page with performance.now():
  render  script start -> first view rendered (JSON.parse, indexing, filter + sort, DOM, forced layout)
  ready   navigation start -> first view rendered (adds fetching and parsing the HTML with the embedded data)
  sort    one header click -> table re-rendered and laid out (median over several columns and both directions)
  filter  one select change / one search -> re-rendered and laid out
Prints figures and the 10k / real ratio; asserts nothing.

    .venv/bin/python benchmarks/bench_site.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from bot.site import MULTI_FILE, SINGLE_FILE, build_site, write_site

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


def main() -> None:
    """Build both sites, measure them and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    multi = load(MULTI_FILE)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        sites = {
            "real": (len(load(SINGLE_FILE)) + len(multi), build_site(load(SINGLE_FILE), multi)),
            "synthetic": (args.entries + len(multi), build_site(synthesize(args.entries), multi)),
        }
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = {}
        for name, (count, files) in sites.items():
            write_site(files, Path(tmp) / name)
            size = len(files["index.html"].encode()) / 1e6
            results[name] = measure(browser, (Path(tmp) / name / "index.html").as_uri(), args.repeat)
            print(f"{name:>9}: {count:>6} entries, index.html {size:.1f} MB")
        browser.close()
    print(f"\n{'ms (median)':<14}{'real':>10}{'synthetic':>12}{'ratio':>9}")
    for key in ("render", "ready", "sort", "sort_max", "filter", "search"):
        real, synth = results["real"][key], results["synthetic"][key]
        print(f"{key:<14}{real:>10.1f}{synth:>12.1f}{synth / max(real, 0.1):>8.1f}x")
    synth = results["synthetic"]
    print(f"\n{args.entries:,} entries: render {synth['render']:.0f} ms + sort {synth['sort']:.1f} ms "
          f"= {synth['render'] + synth['sort']:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
