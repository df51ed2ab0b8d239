"""Outliers (LB608) against the median of the same configuration, in validate and in submit."""

from __future__ import annotations

import json
import statistics
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.contract.outliers import _median_without, median_of_sorted
from bot.contract.validate import validate_inputs
from bot.ledger.evaluate import Submission, evaluate
from tests.support.cases_support import NOW
from tests.unit.contract.test_plausibility import example

SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"


def _run(throughput: float, ttft: float = 412.6) -> dict[str, Any]:
    """The four-A100 example re-measured: a fresh id, its own throughput and TTFT."""
    entry = example("multi-gpu.json", **{"metrics.throughput_tps": throughput, "metrics.ttft_ms": ttft})
    entry["entry_id"] = str(uuid.uuid4())
    return entry


def _doc(name: str, data: Any) -> Document:
    result = load_bytes(name, json.dumps(data, indent=2).encode(), max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


def _lb608(findings: list[Any]) -> list[tuple[str | None, str, str]]:
    return [(f.entry_id, f.path, f.message) for f in findings if f.rule == "LB608"]


def test_validate_flags_an_entry_3x_off_the_median_and_names_the_entries_compared() -> None:
    peers = [_run(468.3), _run(450.0), _run(480.0)]
    slow = _run(140.0, ttft=1500.0)
    report = validate_inputs([("runs.json", json.dumps([*peers, slow], indent=2).encode())], Config(), NOW)
    flagged = sorted(_lb608(report.findings), key=lambda f: f[1])
    assert [(entry_id, path) for entry_id, path, _ in flagged] == [
        (slow["entry_id"], "$[3].metrics.throughput_tps"),
        (slow["entry_id"], "$[3].metrics.ttft_ms"),
    ]
    ids = ", ".join(p["entry_id"][:8] for p in peers)
    assert flagged[0][2] == (
        f"throughput_tps 140 is 3.34× worse than the median 468 of 3 published entries with the same "
        f"configuration ({ids}; allowed: within 3×)"
    )
    assert flagged[1][2].startswith("ttft_ms 1,500 is 3.64× worse than the median 413 of 3")
    assert all(f.severity == "warning" for f in report.findings)


def test_within_3x_or_with_fewer_than_two_peers_nothing_is_flagged() -> None:
    close = [_run(468.3), _run(450.0), _run(200.0)]  # 200 is 2.3× below the others' median
    assert _lb608(validate_inputs([("a.json", json.dumps(close).encode())], Config(), NOW).findings) == []
    lonely = [_run(468.3), _run(100.0)]  # a median needs two published entries
    assert _lb608(validate_inputs([("b.json", json.dumps(lonely).encode())], Config(), NOW).findings) == []


def test_cpu_entries_are_not_compared() -> None:
    cpu = [_run(x) for x in (468.3, 450.0, 480.0, 10.0)]
    for entry in cpu:
        entry["hardware"]["chip_model"] = "CPU"
    assert _lb608(validate_inputs([("c.json", json.dumps(cpu).encode())], Config(), NOW).findings) == []


def test_submit_compares_a_new_entry_with_the_published_ones() -> None:
    published = [_run(468.3), _run(450.0)]
    base = {SINGLE: _doc(SINGLE, published), MULTI: _doc(MULTI, [])}
    fast = _run(2000.0)
    outcome = evaluate(base, Submission([_doc("data/submissions/fast.json", fast)]), Config(), now=NOW)
    flagged = _lb608(outcome.findings)
    assert len(flagged) == 1
    entry_id, path, message = flagged[0]
    assert (entry_id, path) == (fast["entry_id"], "$.metrics.throughput_tps")
    assert "4.36× better than the median 459 of 2 published entries" in message
    assert all(p["entry_id"][:8] in message for p in published)
    assert outcome.errors == []  # a warning: the merge goes ahead
    assert outcome.merge.texts


def test_the_median_leaves_the_entry_itself_out() -> None:
    values = [1.0, 2.0, 4.0, 8.0, 16.0]
    for removed in ([], [1.0], [4.0], [16.0], [2.0, 8.0]):
        rest = list(values)
        for value in removed:
            rest.remove(value)
        assert _median_without(values, removed) == statistics.median(rest), removed
    assert _median_without([1.0, 2.0], [1.0]) is None  # one peer left: no median


@given(st.lists(st.floats(min_value=0, max_value=1e300, allow_nan=False), min_size=1, max_size=40))
def test_the_median_of_sorted_values_is_statistics_median(values: list[float]) -> None:
    ordered = sorted(values)
    assert median_of_sorted(ordered) == statistics.median(values)


def test_validate_compares_every_entry_with_the_others_not_itself() -> None:
    runs = [_run(468.3), _run(450.0), _run(480.0), _run(470.0)]
    report = validate_inputs([("d.json", json.dumps(runs).encode())], Config(), NOW)
    assert _lb608(report.findings) == []
