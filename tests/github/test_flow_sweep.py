"""The sweep (leaderboard.yml's `sweep` job: `schedule` and `workflow_dispatch`, in no concurrency group)
against the stand-in: a fork's run that holds the land jobs' group, or flushes the land jobs waiting
there (GitHub's rule modelled in tests/support/land_group.py), delays approved merges only until the
sweep, which lands the queue; a sweep overlapping a land job merges each pull request once; an empty
queue costs one request. And an issue labelled after it was filed becomes a pull request."""

from __future__ import annotations

import json
import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot.form.generator import SUBMISSION_LABEL
from bot.github.queue import LABEL_QUEUED
from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.fault_flows import main_ids, merge_commits
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.land_group import LandGroup
from tests.support.standin import GitHubStandin

SCHEDULE = {"schedule": "41 */3 * * *", "workflow": ".github/workflows/leaderboard.yml"}
PULLS = 3


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _submission(index: int) -> dict[str, Any]:
    return entry(entry_id=f"{index:08x}-5555-4222-8333-444455556666", workload__batch_size=index + 2)


def _queued(stage: Stage, count: int = PULLS) -> list[int]:
    """``count`` pull requests approved by a maintainer, each queued by its review job (no land job)."""
    numbers = []
    for index in range(count):
        files = {f"data/submissions/s{index}.json": as_file(_submission(index))}
        number = stage.open_pr(files, branch=f"sweep{index}")
        run = stage.deliver("pull_request_review", stage.approval_payload(number, "maint"), land=False)
        assert (run.code, run.outputs.get("queued")) == (0, "true"), run.stderr
        numbers.append(number)
    return numbers


def merged(run: Run) -> list[int]:
    """The land job's `merged` output: a JSON array of pull request numbers."""
    value = json.loads(run.outputs["merged"])
    assert isinstance(value, list)
    return [int(n) for n in value]


def _labels(stage: Stage, number: int) -> list[str]:
    return [label["name"] for label in stage.srv.issue(REPO, number)["labels"]]


def _landed_once(stage: Stage, numbers: list[int], published: set[str]) -> None:
    """Each pull request merged by exactly one bot commit, each entry on main exactly once, each told."""
    ids = main_ids(stage)
    assert len(ids) == len(set(ids))
    assert set(ids) - published == {_submission(i)["entry_id"] for i in range(len(numbers))}
    assert merge_commits(stage) == dict.fromkeys(numbers, 1)
    assert all(stage.srv.pull(REPO, n)["merged"] for n in numbers)
    assert all(any(f"Merged #{n} as " in c["body"] for c in stage.bot_comments(n)) for n in numbers)


def test_a_fork_holding_the_land_group_delays_merges_only_until_the_sweep(stage: Stage) -> None:
    """A fork's job holds `leaderboard-land`; the maintainers' land jobs wait there and a second fork job
    replaces the last one waiting. Nothing merges, the queue keeps its labels, and the sweep — in no
    group — lands all of it while the group is still held."""
    published = set(main_ids(stage))
    group, release = LandGroup(), threading.Event()

    def holder() -> Run:  # the fork's job: sleeps in the group (up to the six hours GitHub allows)
        release.wait(timeout=60)
        return Run(0, {}, "", 0)

    group.join(holder)
    numbers = _queued(stage)
    for number in numbers:
        group.join(partial(stage.land, "pull_request_review", stage.approval_payload(number, "maint")))
    group.join(lambda: Run(0, {}, "", 0))  # the fork's second job flushes the land job waiting
    assert group.cancelled == PULLS
    assert not any(stage.srv.pull(REPO, n)["merged"] for n in numbers)
    assert all(LABEL_QUEUED in _labels(stage, n) for n in numbers)

    sweep = stage.land("schedule", SCHEDULE)
    assert sweep.code == 0, sweep.stderr
    assert merged(sweep) == numbers
    _landed_once(stage, numbers, published)
    release.set()
    group.wait()
    assert [run.requests for run in group.ran] == [0, 0]  # only the fork's two jobs ever ran


def test_a_sweep_overlapping_a_land_job_merges_each_pull_request_once(stage: Stage) -> None:
    """The sweep and a land job started together: compare-and-swap lets one batch land; the other finds
    the pull requests merged (or built the very same commit), and nothing is merged twice or refused."""
    published = set(main_ids(stage))
    numbers = _queued(stage)
    payload = stage.approval_payload(numbers[-1], "maint")
    results: dict[str, Run] = {}
    barrier = threading.Barrier(2)

    def job(name: str, event: str, body: dict[str, Any]) -> None:
        barrier.wait()
        results[name] = stage.land(event, body)

    threads = [
        threading.Thread(target=job, args=("land", "pull_request_review", payload)),
        threading.Thread(target=job, args=("sweep", "workflow_dispatch", {"inputs": {}})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {"land", "sweep"}
    assert all(run.code == 0 for run in results.values()), [r.stderr for r in results.values()]
    # Both batches may build the identical commit (same tree, parents and message), and then both updates
    # succeed: the second moves the branch to where it already is. Either way each lands once.
    assert set().union(*(merged(run) for run in results.values())) == set(numbers)
    assert all(run.outputs["refused"] == "[]" for run in results.values())
    _landed_once(stage, numbers, published)


def test_a_sweep_of_an_empty_queue_costs_one_request_and_changes_nothing(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/s.json": as_file(_submission(0))})  # open, not approved
    before = main_ids(stage)
    run = stage.land("schedule", SCHEDULE)
    assert (run.code, run.requests, run.outputs["merged"], run.outputs["refused"]) == (0, 1, "[]", "[]")
    assert "No pull request is queued for merging" in run.summary
    assert main_ids(stage) == before
    assert stage.bot_comments(number) == []
    assert not stage.srv.pull(REPO, number)["merged"]


def test_an_issue_labelled_after_it_was_filed_becomes_a_pull_request(stage: Stage) -> None:
    """The form applies only labels that exist: an issue filed before the label existed starts nothing
    until a maintainer labels it; the `labeled` event (GitHub's own example payload) then opens its PR,
    and another label starts nothing."""
    number = stage.srv.create_issue(REPO, "[results] H100", render_body(SINGLE_GPU), author="alice")
    assert stage.issue_event(number, "opened").outputs.get("pull-request", "") == ""
    stage.srv.api("admin").post(f"/repos/{REPO}/issues/{number}/labels", {"labels": ["question"]})
    assert stage.job("issues", stage.issue_payload(number, "labeled", "question")).outputs == {}
    assert stage.srv.api("admin").get(f"/repos/{REPO}/pulls") == []
    stage.srv.api("admin").post(f"/repos/{REPO}/issues/{number}/labels", {"labels": [SUBMISSION_LABEL]})
    run = stage.issue_event(number, "labeled")
    assert run.code == 0, run.stderr
    (pull,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls")
    assert pull["head"]["ref"] == f"leaderboard/issue-{number}"
    assert run.outputs["pull-request"] == str(pull["number"])
