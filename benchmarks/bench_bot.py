"""Benchmark: GitHub API requests per event, and the time of one PR event against a 10,000-entry
leaderboard, on the local GitHub stand-in (real PyGithub over HTTP). Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.bench_bot
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_validate import synthesize
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.merge_stage import command, relay_payload, review
from tests.support.standin import GitHubStandin

ROOT = Path(__file__).resolve().parent.parent

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


BUDGETS = {
    "PR adding a submission file": 6,
    "PR editing a data file": 8,
    "same-repo approval-merge": 10,  # the review job (queue) and the land job together
    "fork approval (review run)": None,
    "fork approval (relay run)": 10,  # the relay (queue) and its land job together
    "issue-form submission": 10,
    "stranger's approval (approves nothing)": 5,
    "stranger's merge command": 5,
    "relay after a comment-only review": 5,
}


def _fork_pr(stage: Stage) -> int:
    """A second fork pull request (alice's fork exists already)."""
    item = entry(entry_id="0d0e0d0c-0b0a-4908-8706-050403020100", workload__batch_size=80)
    stage.srv.commit(
        "alice/leaderboard", "fork2", {"data/submissions/g.json": as_file(item)}, base="main", author="alice"
    )
    return stage.srv.open_pr(REPO, "alice:fork2", author="alice", title="Add results")


def _others(stage: Stage, count: int) -> None:
    """Open ``count`` other pull requests, each adding its own submission file, checked (labelled) but
    not approved: what the relay has to look through."""
    for index in range(count):
        item = entry(entry_id=f"{index:08x}-1111-4111-8111-000000000000", workload__batch_size=index + 2)
        number = stage.open_pr({f"data/submissions/o{index}.json": as_file(item)}, branch=f"other{index}")
        assert stage.pr_event(number).code == 0


def request_budgets(others: int) -> dict[str, int]:
    """Requests per event with ``others`` other open pull requests in the repository."""
    counts: dict[str, int] = {}
    with GitHubStandin() as srv, tempfile.TemporaryDirectory() as tmp:
        stage = Stage(srv, Path(tmp))
        _others(stage, others)
        number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
        counts["PR adding a submission file"] = stage.pr_event(number).requests
        counts["same-repo approval-merge"] = stage.approve(number, "maint").requests
        edited = [*stage.main_entries(), entry(entry_id="0f0e0d0c-0b0a-4908-8706-050403020100")]
        edit = stage.open_pr(
            {"data/leaderboard_single.json": json.dumps(edited, indent=2) + "\n"}, branch="edit"
        )
        counts["PR editing a data file"] = stage.pr_event(edit).requests
        srv.fork(REPO, "alice")
        fork_item = entry(entry_id="0e0e0d0c-0b0a-4908-8706-050403020100", workload__batch_size=64)
        srv.commit(
            "alice/leaderboard", "fork", {"data/submissions/f.json": as_file(fork_item)}, author="alice"
        )
        fork = srv.open_pr(REPO, "alice:fork", author="alice", title="Add results")
        assert stage.pr_event(fork).code == 0
        counts["fork approval (review run)"] = stage.approve(fork, "maint").requests
        relay = stage.deliver("workflow_run", relay_payload(stage, fork))  # the relay, then its land job
        assert srv.pull(REPO, fork)["merged"], relay.summary
        counts["fork approval (relay run)"] = relay.requests
        target = stage.open_pr(
            {"data/submissions/t.json": as_file(entry(workload__batch_size=96))}, branch="t"
        )
        head = srv.pull(REPO, target)["head"]["sha"]
        counts["stranger's approval (approves nothing)"] = stage.approve(target, "reader").requests
        counts["stranger's merge command"] = command(
            stage, target, f"/leaderboard merge {head}", "reader"
        ).requests
        review(stage, fork2 := _fork_pr(stage), "reader", "COMMENT")
        counts["relay after a comment-only review"] = stage.deliver(
            "workflow_run", relay_payload(stage, fork2, "reader")
        ).requests
        issue = stage.open_issue(render_body(SINGLE_GPU))
        counts["issue-form submission"] = stage.issue_event(issue, "opened").requests
    return counts


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
    budgets = {others: request_budgets(others) for others in (1, 50)}
    print(f"\n{'requests per event':<40}{'1 other PR':>12}{'50 other PRs':>14}{'target':>8}")
    for name, target in BUDGETS.items():
        row = f"{name:<40}{budgets[1][name]:>12}{budgets[50][name]:>14}"
        print(row + (f"{'<= ' + str(target):>8}" if target else ""))
    for size in (48, 10_000):
        check, merge = pr_event_time(size)
        print(
            f"{size:>6,} entries: PR validation {check * 1000:.0f} ms, approval-merge {merge * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
