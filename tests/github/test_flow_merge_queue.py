"""The merge queue at scale, against the stand-in with its compare-and-swap semantics and GitHub's rule
for the land jobs' one concurrency group (tests/support/land_group.py): twenty fork approvals through
the relay, a hundred approvals at once, one approval alone, and what reviews and comments that approve
nothing cost with fifty other open pull requests. Figures go to ``test-output/merge-queue-summary.json``
(benchmarks/hardening_report.py prints them next to the targets of the merges-at-scale issue)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import hardening_summary
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.fault_flows import main_ids, merge_commits
from tests.support.land_group import Arrival, at_once
from tests.support.merge_stage import FORK, command, relay, relay_payload, review
from tests.support.standin import GitHubStandin

FIGURES: dict[str, Any] = {}
TARGETS = {  # the merges-at-scale issue's
    "20 approvals, requests in all": 300,
    "20 approvals, commits on the base": 3,
    "1 approval alone, requests": 10,
    "a review that approves nothing, 50 open PRs, requests": 5,
    "100 approvals, requests per approval": 15,
}


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    hardening_summary.merge(
        "merge-queue-summary.json", {"cases": len(FIGURES)}, fixed={**FIGURES, "targets": TARGETS}
    )


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    stage = Stage(github_standin, tmp_path)
    stage.srv.set_rate_limit(stage.token, 100_000)  # the figures say what was spent
    return stage


def _item(index: int, prefix: str = "1111") -> dict[str, Any]:
    return entry(entry_id=f"{index:08x}-{prefix}-4222-8333-444455556666", workload__batch_size=index + 2)


def _fork_pr(stage: Stage, index: int) -> int:
    if FORK not in stage.srv.world.repos:  # type: ignore[attr-defined]
        stage.srv.fork(REPO, "alice")
    files = {f"data/submissions/f{index}.json": as_file(_item(index, "2222"))}
    stage.srv.commit(FORK, f"fork{index}", files, base="main", author="alice")
    return stage.srv.open_pr(REPO, f"alice:fork{index}", author="alice", title="Add results")


def _fork_arrival(stage: Stage, number: int) -> Arrival:
    """A fork's approval: the review run (read-only token, nothing to do) and the relay that follows it."""
    read_only = {"GITHUB_TOKEN": stage.srv.actions_token(read_only=True)}
    first = [("pull_request_review", stage.approval_payload(number, "maint"), read_only)]
    relayed = relay_payload(stage, number)  # titled after the approval just submitted
    return Arrival([*first, ("workflow_run", relayed, None)], ("workflow_run", relayed))


def _same_repo_arrival(stage: Stage, number: int) -> Arrival:
    payload = stage.approval_payload(number, "maint")
    return Arrival([("pull_request_review", payload, None)], ("pull_request_review", payload))


def _assert_landed(stage: Stage, numbers: list[int], ids: list[str], figures: dict[str, Any]) -> None:
    assert (figures["failed runs"], figures["stderr problems"]) == (0, [])
    on_main = main_ids(stage)
    assert sorted(i for i in on_main if i in ids) == sorted(ids)  # each exactly once
    assert len(on_main) == len(set(on_main))
    assert all(stage.srv.pull(REPO, n)["merged"] for n in numbers)
    assert merge_commits(stage) == dict.fromkeys(numbers, 1)
    assert all(any(f"Merged #{n} as " in c["body"] for c in stage.bot_comments(n)) for n in numbers)


def test_twenty_fork_approvals_land_through_the_relay(stage: Stage) -> None:
    numbers = [_fork_pr(stage, i) for i in range(20)]
    figures = at_once(stage, [_fork_arrival(stage, n) for n in numbers])
    FIGURES["20 fork approvals (relay)"] = figures
    _assert_landed(stage, numbers, [_item(i, "2222")["entry_id"] for i in range(20)], figures)
    assert figures["commits on the base"] <= 3
    assert figures["requests"] <= 300


def test_a_hundred_approvals_cost_linearly(stage: Stage) -> None:
    numbers = [
        stage.open_pr({f"data/submissions/r{i}.json": as_file(_item(i))}, branch=f"race{i}")
        for i in range(100)
    ]
    figures = at_once(stage, [_same_repo_arrival(stage, n) for n in numbers])
    FIGURES["100 same-repository approvals"] = figures
    _assert_landed(stage, numbers, [_item(i)["entry_id"] for i in range(100)], figures)
    assert figures["requests per approval"] <= 15


@pytest.mark.parametrize("kind", ["same-repo", "fork"])
def test_one_approval_alone(stage: Stage, kind: str) -> None:
    """The queue job and the land job together, at the issue's target of 10."""
    number = (
        stage.open_pr({"data/submissions/r.json": as_file(_item(1))})
        if kind == "same-repo"
        else _fork_pr(stage, 1)
    )
    arrival = _same_repo_arrival(stage, number) if kind == "same-repo" else _fork_arrival(stage, number)
    figures = at_once(stage, [arrival])
    FIGURES[f"1 approval alone ({kind})"] = figures
    _assert_landed(
        stage, [number], [_item(1, "1111" if kind == "same-repo" else "2222")["entry_id"]], figures
    )
    assert figures["commits on the base"] == 1
    assert figures["requests"] <= 10


def _open_valid(stage: Stage, count: int) -> list[int]:
    numbers = []
    for index in range(count):
        files = {f"data/submissions/o{index}.json": as_file(_item(index, "3333"))}
        numbers.append(stage.open_pr(files, branch=f"other{index}"))
        assert stage.pr_event(numbers[-1]).code == 0
    return numbers


@pytest.mark.parametrize("others", [1, 50])
def test_what_approves_nothing_costs_a_constant(stage: Stage, others: int) -> None:
    """A stranger's approval, a stranger's review of a fork PR (the relay runs; also after a maintainer's
    approval, which the maintainer's own run queues), a stranger's merge command, and a maintainer's
    review that only comments: none starts a land job, each costs at most 5 requests."""
    target, *_ = _open_valid(stage, others)
    fork = _fork_pr(stage, 7)
    head = stage.srv.pull(REPO, target)["head"]["sha"]
    review(stage, fork, "reader", "COMMENT")
    runs = {
        "stranger approves": stage.approve(target, "reader"),
        "stranger reviews a fork PR (relay)": relay(stage, fork, actor="reader"),
        "stranger's merge command": command(stage, target, f"/leaderboard merge {head}", author="reader"),
    }
    review(stage, fork, "maint", "COMMENT")
    runs["maintainer comments on a fork PR (relay)"] = relay(stage, fork)
    # A maintainer's approval counts; a stranger's review run after it leaves it to the maintainer's run.
    review(stage, fork, "maint", "APPROVE")
    runs["stranger reviews an approved fork PR (relay)"] = relay(stage, fork, actor="reader")
    counts = {name: run.requests for name, run in runs.items()}
    FIGURES[f"approves nothing, {others} other open PRs"] = counts
    assert all(run.jobs == () for run in runs.values()), "no land job ran"
    assert all(run.code == 0 for run in runs.values())
    assert max(counts.values()) <= 5, counts
    assert not stage.srv.pull(REPO, target)["merged"]
