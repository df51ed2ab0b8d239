"""The comment the bot posts, rendered by GitHub's own Markdown engine (cmark-gfm)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

from bot.contract.config import Config
from bot.contract.crosschecks import configuration_key
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from bot.render.comment import MARKER, CommentContext, render
from bot.render.comparison import comparison, comparison_groups
from tests.support.paths import ROOT

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> @octocat #12 a|b `tick` <!-- c --> **bold**"
CONTEXT = CommentContext(
    "leaderboard-bot submit data/submissions/x.json --dry-run --format markdown", "https://example/run"
)


def _doc(name: str, data: Any) -> Document:
    result = load_bytes(name, json.dumps(data, indent=2).encode(), max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


def _base() -> dict[str, Document]:
    return {
        f"data/{name}": _doc(f"data/{name}", json.loads((ROOT / "data" / name).read_text()))
        for name in ("leaderboard_single.json", "leaderboard_multi.json")
    }


def _outcome(*entries: Any, base: dict[str, Document] | None = None) -> Outcome:
    files = [_doc(f"data/submissions/s{i}.json", e) for i, e in enumerate(entries)]
    return evaluate(base or _base(), Submission(files), Config(), now=NOW)


def _html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Tables(HTMLParser):
    """Collects the cells of every table row, and every tag used."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[int] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def test_a_ready_submission() -> None:
    markdown = render(_outcome(EXAMPLE), CONTEXT)
    assert markdown.startswith(MARKER + "\n")
    assert "✅ **Ready to merge**: 1 new entry." in markdown
    tables = _parse(_html(markdown))
    assert tables.rows == [6, 6, 6, 14, 14]  # counts table (header + 2 files), new entries (header + 1)
    assert "<details>" in _html(markdown)
    assert "leaderboard-bot submit data/submissions/x.json" in markdown
    assert render(_outcome(EXAMPLE), CONTEXT) == markdown  # deterministic


def test_user_text_cannot_inject_html_mentions_or_break_tables() -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["model"]["name"] = HOSTILE
    entry["hardware"]["chip_model"] = HOSTILE
    entry["metadata"]["notes"] = HOSTILE
    entry["hardware"]["vendor"] = HOSTILE  # also an error, so it shows in the problems list
    html = _html(render(_outcome(entry), CONTEXT))
    tables = _parse(html)
    assert all(cells in (6, 14) for cells in tables.rows)
    assert tables.tags <= {
        "h3",
        "p",
        "strong",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "code",
        "sub",
        "h4",
        "ul",
        "li",
        "details",
        "summary",
        "pre",
        "em",
    }
    outside_code = re.sub(r"<code>.*?</code>|<pre.*?</pre>", "", html, flags=re.S)
    assert not re.search(r"@octocat|#12\b", outside_code)
    assert "<script" not in html
    assert "<img" not in html
    assert "<!-- c" not in html


def test_errors_are_listed_with_position_path_and_hint() -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["hardware"]["vendor"] = "Nvidia"
    markdown = render(_outcome(entry), CONTEXT)
    assert "❌ **1 error** must be fixed" in markdown
    assert "`data/submissions/s0.json:8:15`" in markdown
    assert "`$.hardware.vendor`" in markdown
    assert 'did you mean "NVIDIA"?' in markdown


def test_rank_and_deltas_against_the_same_configuration() -> None:
    base = _base()
    first = _outcome(EXAMPLE, base=base)
    base["data/leaderboard_single.json"] = _doc(
        "data/leaderboard_single.json", json.loads(first.merge.texts["data/leaderboard_single.json"])
    )
    faster = copy.deepcopy(EXAMPLE)
    faster["entry_id"] = "0f0e0d0c-0b0a-4908-8706-050403020100"
    faster["engine"], faster["engine_version"] = "vllm", "0.17.0"
    faster["metrics"]["throughput_tps"] = 146.04  # +20 % over 121.7
    faster["metrics"]["ttft_ms"] = 34.56  # -10 % from 38.4
    markdown = render(_outcome(faster, base=base), CONTEXT)
    row = next(line for line in markdown.splitlines() if line.startswith("| `0f0e0d0c`"))
    assert row.endswith("| 1 of 2 | +20.0 % | -10.0 % | `data/submissions/s0.json` |")


def test_changed_and_removed_entries_are_loud() -> None:
    data = json.loads((ROOT / "data" / "leaderboard_single.json").read_text())
    data[0]["metrics"]["ttft_ms"] = 99.5
    removed_id = data.pop(1)["entry_id"]
    head = {
        "data/leaderboard_single.json": _doc("data/leaderboard_single.json", data),
        "data/leaderboard_multi.json": _base()["data/leaderboard_multi.json"],
    }
    outcome = evaluate(
        _base(), Submission([], head=head, submitter=Submitter("lead", is_maintainer=True)), Config(), now=NOW
    )
    markdown = render(outcome, CONTEXT)
    assert "#### Changed entries" in markdown
    assert "`$.metrics.ttft_ms`: 2094\\.5648670196533 → 99\\.5" in markdown
    assert "> [!CAUTION]" in markdown
    assert removed_id in markdown
    assert "| `leaderboard_single.json` | 47 | +0 | 1 | −1 | 46 |" in markdown


def test_long_reports_are_cut_below_the_limit_with_a_pointer() -> None:
    entries = []
    for index in range(400):
        entry = copy.deepcopy(EXAMPLE)
        entry["entry_id"] = f"{index:08x}-0000-4000-8000-000000000000"
        entry["hardware"]["vendor"] = "nvidia"
        entry["workload"]["batch_size"] = index + 1
        entries.append(entry)
    markdown = render(_outcome(entries), CONTEXT)
    assert len(markdown) <= 65_000
    assert "full report is in the [job summary](https://example/run)" in markdown
    assert markdown.rstrip().endswith("```")
    assert "❌ **400 errors**" in markdown


def _all_groups(base: dict[str, Document]) -> dict[tuple[Any, ...], list[Any]]:
    """The oracle: every published entry with a throughput, grouped by set-up, read one by one."""
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for doc in base.values():
        for entry in doc.data:
            if (entry.get("metrics", {}).get("throughput_tps") or 0) > 0:
                groups.setdefault(configuration_key(entry)[:-2], []).append(entry)
    return groups


def test_the_rank_among_peers_reads_only_the_entries_that_can_be_peers() -> None:
    """comparison_groups finds the published set-ups through the base index; every rank and delta is
    the one grouping the whole leaderboard gives, lookalike spellings and other engines included."""
    base = _base()
    published = [e for doc in base.values() for e in doc.data]
    submitted = []
    for index, source in enumerate(published[:12]):
        entry = copy.deepcopy(source)
        entry["entry_id"] = f"{index:08x}-1111-4222-8333-444455556666"
        entry["metrics"]["throughput_tps"] = (entry["metrics"].get("throughput_tps") or 1) * (
            0.5 + index / 10
        )
        if index % 3 == 0:
            entry["model"]["name"] = entry["model"]["name"].upper()  # folds onto the published spelling
        if index % 4 == 1:
            entry["engine"] = "vllm"  # another engine: still the same set-up
        submitted.append(entry)
    groups, oracle = comparison_groups(base, submitted), _all_groups(base)
    assert sum(map(len, groups.values())) < sum(map(len, oracle.values()))  # it did not read everything
    ranks = [comparison(entry, groups) for entry in submitted]
    assert ranks == [comparison(entry, oracle) for entry in submitted]
    assert any(rank[0] != "first of its kind" for rank in ranks)
