"""The hardening report: run the hostile-input corpus, the fuzzers, the API fault matrix, the
concurrency tests and the workflow checks (each as a quiet pytest subprocess), then print one table
of what they covered and how it went, plus the API requests each event costs.

    .venv/bin/python -m benchmarks.hardening_report [--workers 2] [--suite faults ...]

Figures come from the JUnit XML of each run and from the summaries the suites write to
``test-output/`` (only summaries written during this run are used). Exit 0 only if every suite that
is present passed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
Figures = Callable[[dict[str, Any]], str]


def _hostile(data: dict[str, Any]) -> str:
    outcomes = ", ".join(f"{n} {k}" for k, n in (data.get("outcomes") or {}).items())
    return f"{data.get('cases', '?')} cases" + (f" ({outcomes})" if outcomes else "")


def _fuzz(data: dict[str, Any]) -> str:
    invariants = data.get("invariants") or {}
    examples = data.get("total_examples", data.get("examples", "?"))
    return f"{examples} examples over {len(invariants)} invariants"


def _faults(data: dict[str, Any]) -> str:
    matrix = data.get("matrix") or {}
    flows = matrix.get("flows") or {}
    outcomes = data.get("outcomes") or {}
    kinds = len(matrix.get("kinds") or [])
    shape = f"{sum(flows.values())} request positions in {len(flows)} flows, {kinds} fault kinds"
    done = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
    return f"{data.get('faults injected', '?')} faults ({shape}; {done})"


def _concurrency(data: dict[str, Any]) -> str:
    approvals, edits = data.get("approvals") or {}, data.get("edits") or {}
    landed = f"{approvals.get('merged', '?')}/{approvals.get('pull requests', '?')} approvals landed"
    commits = f"{approvals.get('commits on the base', '?')} commits"
    edited = f"{edits.get('edits', '?')} overlapping edits -> {edits.get('pull requests', '?')} PR"
    return f"{landed} ({commits}); {edited}"


def _merge_queue(data: dict[str, Any]) -> str:
    forks = data.get("20 fork approvals (relay)") or {}
    hundred = data.get("100 same-repository approvals") or {}
    return (
        f"20 fork approvals: {forks.get('requests', '?')} requests; "
        f"100 approvals: {hundred.get('requests per approval', '?')} per approval"
    )


@dataclass(frozen=True)
class Suite:
    """A test module of the report, and the summary it leaves behind."""

    name: str
    module: str
    summary: str | None = None
    figures: Figures | None = None


SUITES = (
    Suite("hostile inputs", "tests/acceptance/test_hostile.py", "hostile-summary.json", _hostile),
    Suite("fuzzing", "tests/acceptance/test_fuzz.py", "fuzz-summary.json", _fuzz),
    Suite("API faults", "tests/github/test_faults.py", "faults-summary.json", _faults),
    Suite("concurrency", "tests/github/test_concurrency.py", "concurrency-summary.json", _concurrency),
    Suite("merge queue", "tests/github/test_flow_merge_queue.py", "merge-queue-summary.json", _merge_queue),
    Suite("workflows", "tests/acceptance/test_workflows.py"),
)


@dataclass
class Result:
    """What one suite's run gave."""

    suite: Suite
    present: bool = True
    tests: int = 0
    passed: int = 0
    failed: int = 0
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Present, ran something, and nothing failed."""
        return not self.present or (self.tests > 0 and self.failed == 0)


def run_suite(suite: Suite, workers: int) -> Result:
    """Run one suite quietly; read its JUnit XML and its summary."""
    if not (ROOT / suite.module).exists():
        return Result(suite, present=False)
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [sys.executable, "-m", "pytest", suite.module, "-q", "-p", "no:cacheprovider"]
        command += [f"--junitxml={junit}", "-o", "junit_family=xunit2"]
        command += ["-n", str(workers)] if workers > 0 else ["-p", "no:xdist"]
        started = time.time()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        result = Result(suite, seconds=time.time() - started)
        if junit.exists():
            _read_junit(junit, result)
    if result.tests == 0:  # a collection error reports no test
        result.failed = max(result.failed, 1)
        result.failures.append(f"pytest exited {done.returncode}: {done.stdout.strip()[-300:]}")
    if suite.summary:
        path = OUTPUT / suite.summary
        if path.exists() and path.stat().st_mtime >= started:
            try:
                result.summary = json.loads(path.read_text())
            except ValueError:
                result.failures.append(f"{suite.summary} is not JSON")
    return result


def _read_junit(path: Path, result: Result) -> None:
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        result.tests += 1
        outcome = {child.tag for child in case}
        if outcome & {"failure", "error"}:
            result.failed += 1
            result.failures.append(f"{case.get('classname')}::{case.get('name')}")
        elif "skipped" in outcome:  # a skipped test proves nothing: the report counts it as failed
            result.failed += 1
            result.failures.append(f"{case.get('classname')}::{case.get('name')} was skipped")
        else:
            result.passed += 1


def table(rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Rows as aligned text columns (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def report(results: Sequence[Result]) -> str:
    """The summary table, the requests per event, and the failures."""
    rows = [["suite", "cases / examples / faults", "passed", "failed", "seconds"]]
    for r in results:
        if not r.present:
            rows.append([r.suite.name, f"not present ({r.suite.module})", "-", "-", "-"])
            continue
        figures = r.suite.figures(r.summary) if r.suite.figures and r.summary else f"{r.tests} tests"
        rows.append([r.suite.name, figures, str(r.passed), str(r.failed), f"{r.seconds:.1f}"])
    total = [r for r in results if r.present]
    rows.append(["total", f"{sum(r.tests for r in total)} tests", str(sum(r.passed for r in total))])
    rows[-1] += [str(sum(r.failed for r in total)), f"{sum(r.seconds for r in total):.1f}"]
    text = [table(rows, right=(2, 3, 4))]
    for r in results:
        text += _requests(r.summary)
    for r in results:
        text += [f"FAILED {r.suite.name}: {line}" for line in r.failures[:10]]
    return "\n".join(text)


def _requests(summary: dict[str, Any]) -> list[str]:
    """The API requests per event, and what the racing approvals cost, from a suite's summary."""
    lines = []
    pairs = summary.get("requests per event") or []
    if pairs:
        rows = [["event", "API requests (clean run)"], *[[str(k), str(v)] for k, v in pairs]]
        lines += ["", table(rows, right=(1,))]
    approvals = summary.get("approvals")
    if approvals:
        lines.append(
            f"{approvals['pull requests']} approvals at once: {approvals['requests']} requests in all "
            f"({approvals['requests per approval']} per approval; the GITHUB_TOKEN budget is "
            f"{approvals['token budget per hour']} an hour), {approvals['commits on the base']} commits, "
            f"{approvals['land jobs run']} land jobs run ({approvals['land jobs cancelled while pending']} "
            f"cancelled while pending), {approvals['seconds']} s"
        )
    return lines + _queue_targets(summary)


def _queue_targets(summary: dict[str, Any]) -> list[str]:
    """The merges-at-scale targets against what the merge-queue suite measured."""
    if "targets" not in summary:
        return []
    targets, nothing = summary["targets"], summary.get("approves nothing, 50 other open PRs") or {}
    fork = summary.get("20 fork approvals (relay)") or {}
    rows = [["merge queue (stand-in, GitHub's group rule)", "measured", "target"]]
    rows.append(["20 fork approvals, requests in all", str(fork.get("requests")), "<= 300"])
    rows.append(["20 fork approvals, commits on the base", str(fork.get("commits on the base")), "<= 3"])
    for kind in ("same-repo", "fork"):
        alone = summary.get(f"1 approval alone ({kind})") or {}
        rows.append([f"1 approval alone ({kind}), requests", str(alone.get("requests")), "<= 10"])
    worst = max(nothing.values(), default=None)
    rows.append(["approves nothing, 50 open PRs, requests (worst)", str(worst), "<= 5"])
    hundred = summary.get("100 same-repository approvals") or {}
    per = hundred.get("requests per approval")
    rows.append(
        [
            "100 approvals, requests per approval",
            str(per),
            f"<= {targets.get('100 approvals, requests per approval')}",
        ]
    )
    return ["", table(rows, right=(1, 2))]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suites, print the report; 0 only if every present suite passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="pytest-xdist workers"
    )
    parser.add_argument("--suite", action="append", choices=[s.module.split("_", 1)[1][:-3] for s in SUITES])
    args = parser.parse_args(argv)
    chosen = [s for s in SUITES if not args.suite or s.module.split("_", 1)[1][:-3] in args.suite]
    results = [run_suite(suite, args.workers) for suite in chosen]
    print(report(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
