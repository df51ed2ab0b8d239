"""Shared fixtures for the page tests in real headless Chromium (Debian's /usr/bin/chromium).

No mocks and no skips: without Chromium the tests fail with a clear message.

Holds no tests itself: the test modules import the fixtures and helpers they use from here.
"""

from __future__ import annotations

import copy
import functools
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.cli.main import main
from bot.contract.crosschecks import configuration_key
from bot.fs import write_site
from bot.site.build import MULTI_FILE, SINGLE_FILE, build_site
from tests.support.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach Google on a closed network.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
SINGLE: list[dict[str, Any]] = json.loads((ROOT / "data" / SINGLE_FILE).read_text(encoding="utf-8"))
MULTI: list[dict[str, Any]] = json.loads((ROOT / "data" / MULTI_FILE).read_text(encoding="utf-8"))
PAGED = 250  # entries in the pagination fixture (page size is 100)
XSS_MODEL = "<script>alert(1)</script>"
XSS_NOTES = '<img src=x onerror="alert(2)"> </script><script>alert(3)</script>'
XSS_CHIP = "<img src=x onerror=alert(4)>"
XSS_CMD = "<svg onload=alert(6)> && echo ok"
REPO = "https://github.com/example/leaderboard"
FLAT = "#view=flat"  # the flat list, ranked like the Python mirrors below


# ---------- Python mirrors of the page's rules, written independently of app.js ----------


def engine_label(e: dict[str, Any]) -> str:
    """Engine name + version with the documented fallbacks."""
    md = e.get("metadata") or {}
    name = e.get("engine") or md.get("engine") or "sagellm"
    version = e.get("engine_version") or md.get("engine_version") or e.get("sagellm_version") or ""
    return f"{name} {version}".strip()


def order(entries: list[dict[str, Any]], value: Callable[[dict[str, Any]], Any], desc: bool) -> list[str]:
    """Entry ids sorted like the page: stable, missing values last in both directions."""
    present = [e for e in entries if value(e) is not None]
    missing = [e for e in entries if value(e) is None]
    return [e["entry_id"] for e in [*sorted(present, key=value, reverse=desc), *missing]]


def positive(v: Any) -> Any:
    """A metric as the page ranks it: 0 (or less) is "not measured"."""
    return v if isinstance(v, (int, float)) and v > 0 else None


def no_measurement(e: dict[str, Any]) -> bool:
    """Nothing timed and nothing produced, or every request failed."""
    m = e["metrics"]
    nothing = positive(m.get("ttft_ms")) is None and positive(m.get("throughput_tps")) is None
    return nothing or m.get("error_rate") == 1


def measured(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not no_measurement(e)]


def tput(e: dict[str, Any]) -> Any:
    return positive(e["metrics"]["throughput_tps"])


def ttft(e: dict[str, Any]) -> Any:
    return positive(e["metrics"]["ttft_ms"])


def config(e: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two entries comparable: the validator's configuration (LB304) without the engine."""
    return configuration_key(e)[:-2]


def grouped(
    entries: list[dict[str, Any]], value: Callable[[dict[str, Any]], Any], desc: bool
) -> list[list[str]]:
    """The comparable-groups view: per group (best first) the id of each contender's best run (a
    contender: one engine build of the configuration, the validator's whole configuration key)."""
    groups: dict[tuple[Any, ...], dict[tuple[Any, ...], str]] = {}
    ids = order(measured(entries), value, desc)
    by_id = {e["entry_id"]: e for e in entries}
    for entry_id in ids:
        e = by_id[entry_id]
        groups.setdefault(config(e), {}).setdefault(configuration_key(e), entry_id)
    return [list(contenders.values()) for contenders in groups.values()]


# ---------- fixtures: built sites, a local HTTP server, the browser ----------


def evil_data(folder: Path) -> Path:
    """A data dir whose first single entry tries every injection the page could fall for."""
    evil = copy.deepcopy(SINGLE[0])
    evil["entry_id"] = "00000000-0000-4000-8000-000000000001"
    evil["model"]["name"] = XSS_MODEL
    evil["hardware"]["chip_model"] = XSS_CHIP
    evil["engine"] = '"><img src=x onerror=alert(7)>'
    evil["metadata"].update(notes=XSS_NOTES, changelog_url="javascript:alert(5)", reproducible_cmd=XSS_CMD)
    folder.mkdir()
    (folder / SINGLE_FILE).write_text(json.dumps([evil, *SINGLE[1:]]), encoding="utf-8")
    (folder / MULTI_FILE).write_text(json.dumps(MULTI), encoding="utf-8")
    return folder


def paged_entries() -> list[dict[str, Any]]:
    """PAGED distinct measured entries with throughput 1..PAGED (so the expected order is known)."""
    out = []
    for i in range(PAGED):
        e = copy.deepcopy(SINGLE[i % len(SINGLE)])
        e["entry_id"] = str(uuid.UUID(int=i + 1, version=4))
        e["metrics"].update(throughput_tps=float(i + 1), ttft_ms=10.0, error_rate=0.0)  # all measured
        out.append(e)
    return out


VERIFIED_EVERY = 3  # in the "verified" site every third single-node entry is verified


def with_verified() -> list[dict[str, Any]]:
    """The real single-node entries, every third one marked verified (the real data has none yet)."""
    out = copy.deepcopy(SINGLE)
    for i, e in enumerate(out):
        e["metadata"]["verified"] = i % VERIFIED_EVERY == 0
    return out


def duplicate_ids() -> list[dict[str, Any]]:
    """Two entries sharing one entry_id (upstream data once had such duplicates)."""
    twin = copy.deepcopy(SINGLE[0])
    twin["model"]["name"] = "twin-model"
    twin["metadata"]["reproducible_cmd"] = "echo twin"
    return [SINGLE[0], twin]


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sites")
    write_site(build_site(SINGLE, MULTI, generated_at="2026-03-18T00:00:00Z", repo_url=REPO), root / "real")
    write_site(build_site(paged_entries(), MULTI), root / "paged")
    write_site(build_site(duplicate_ids(), []), root / "small")
    write_site(build_site(with_verified(), MULTI), root / "verified")
    # The XSS site goes through the real command, file reading included.
    assert main(["site", "--data-dir", str(evil_data(root / "evil-data")), "--out", str(root / "evil")]) == 0
    return root


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


# Module scope: Playwright's sync API allows one running instance per thread, and each test module that
# imports this fixture gets its own copy; module scope closes one before the next module starts.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: run `apt-get install -y chromium` (tests/run.sh does it as root)"
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Tab:
    """One browser page plus everything it reported (errors, dialogs)."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, url: str) -> Tab:
        self.page.goto(url)
        self.page.wait_for_selector("html[data-ready]")
        return self

    def ids(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#rows tr[data-entry-id]", "rs => rs.map(r => r.dataset.entryId)"
        )

    def sorted_by(self) -> tuple[str, str]:
        th = self.page.locator("#board-head th[aria-sort]")
        assert th.count() == 1, "exactly one column carries aria-sort"
        return th.get_attribute("data-col") or "", th.get_attribute("aria-sort") or ""


@pytest.fixture
def new_tab(browser: Browser) -> Iterator[Callable[..., Tab]]:
    contexts = []
    tabs: list[Tab] = []

    def make(width: int = 1280, height: int = 900) -> Tab:
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        tab = Tab(ctx.new_page())
        tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
        tab.page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        tabs.append(tab)
        return tab

    yield make
    for ctx in contexts:
        ctx.close()
    for tab in tabs:  # JS errors and CSP violations fail every test
        assert tab.errors == []
        assert tab.dialogs == []


@pytest.fixture
def tab(new_tab: Callable[..., Tab], base_url: str) -> Tab:
    return new_tab().open(f"{base_url}/real/index.html{FLAT}")
