"""Benchmark: GitHub API requests per event, and the time of one PR event against a 10,000-entry
leaderboard, on the local GitHub stand-in (real PyGithub over HTTP). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_bot.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_validate import synthesize  # noqa: E402

from tests.bot_stage import REPO, Stage, as_file, entry  # noqa: E402
from tests.form_render import SINGLE_GPU, render_body  # noqa: E402
from tests.standin import GitHubStandin  # noqa: E402

TARGETS = {"PR validation": 6, "issue-form submission": 10, "approval-merge": 10}


def requests_per_event() -> dict[str, int]:
    """Requests the bot makes for each kind of event on the real data."""
    with GitHubStandin() as srv, tempfile.TemporaryDirectory() as tmp:
        stage = Stage(srv, Path(tmp))
        number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
        pr = stage.pr_event(number).requests
        merge = stage.approve(number, "maint").requests
        issue = stage.open_issue(render_body(SINGLE_GPU))
        opened = stage.issue_event(issue, "opened").requests
        edited = stage.edit_issue(issue, render_body({**SINGLE_GPU, "ttft_ms": "30"})).requests
    return {
        "PR validation": pr,
        "issue-form submission": opened,
        "issue-form edit": edited,
        "approval-merge": merge,
    }


def pr_event_time(size: int, repeat: int = 3) -> tuple[float, float]:
    """Median seconds of a PR validation and of an approval-merge against ``size`` entries."""
    checks, merges = [], []
    for attempt in range(repeat):
        with GitHubStandin() as srv, tempfile.TemporaryDirectory() as tmp:
            stage = Stage(srv, Path(tmp))
            big = json.dumps(synthesize(size, clean=True), indent=2) + "\n"
            srv.commit(REPO, "main", {"data/leaderboard_single.json": big}, author="admin")
            item = entry(entry_id=f"{attempt:08x}-0000-4000-8000-00000000beef")
            number = stage.open_pr({"data/submissions/new.json": as_file(item)})
            start = time.perf_counter()
            assert stage.pr_event(number).code == 0
            checks.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert stage.approve(number, "maint").code == 0
            merges.append(time.perf_counter() - start)
    return statistics.median(checks), statistics.median(merges)


def main() -> int:
    """Print the request counts against their targets and the 10k-entry timings."""
    print(f"{'event':<24}{'requests':>10}{'target':>8}")
    for name, count in requests_per_event().items():
        target = TARGETS.get(name)
        print(f"{name:<24}{count:>10}{'<= ' + str(target) if target else '':>8}")
    for size in (48, 10_000):
        check, merge = pr_event_time(size)
        print(
            f"{size:>6,} entries: PR validation {check * 1000:.0f} ms, approval-merge {merge * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
