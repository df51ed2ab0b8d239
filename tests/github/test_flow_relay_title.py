"""The approval relay reads which review a run followed from the run's title (leaderboard.yml's
run-name), as a hint: reviews that approve nothing cost no request, an approval costs the approver's
permission and the label, and a false title (a fork can change the workflow its own runs use) queues
nothing that lands and says nothing. Runs of an older workflow (no such title) still find the pull
request by the run's head. End to end through the stand-in, with real workflow_run payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.fault_flows import merge_commits
from tests.support.merge_stage import FORK, relay_payload, replies, review
from tests.support.standin import GitHubStandin

LABEL_QUEUED = "leaderboard: approved"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _fork_pr(stage: Stage, index: int) -> int:
    if FORK not in stage.srv.world.repos:  # type: ignore[attr-defined]
        stage.srv.fork(REPO, "alice")
    item = entry(entry_id=f"{index:08x}-5555-4222-8333-444455556666", workload__batch_size=index + 2)
    stage.srv.commit(FORK, f"f{index}", {f"data/submissions/f{index}.json": as_file(item)}, author="alice")
    return stage.srv.open_pr(REPO, f"alice:f{index}", author="alice", title="Add results")


def _labels(stage: Stage, number: int) -> list[str]:
    return [label["name"] for label in stage.srv.pull(REPO, number)["labels"]]


def test_an_approval_titled_run_lands_its_fork_pull_request(stage: Stage) -> None:
    number = _fork_pr(stage, 1)
    review(stage, number, "maint", "APPROVE")
    payload = relay_payload(stage, number)
    assert payload["workflow_run"]["display_title"] == f"Review approved of #{number}"
    run = stage.deliver("workflow_run", payload)
    assert json.loads(run.outputs["merged"]) == [number], run.summary
    assert merge_commits(stage) == {number: 1}
    assert run.requests <= 10


@pytest.mark.parametrize("event", ["COMMENT", "REQUEST_CHANGES"])
def test_a_review_that_approves_nothing_costs_no_request(stage: Stage, event: str) -> None:
    number = _fork_pr(stage, 2)
    review(stage, number, "maint", event)
    run = stage.deliver("workflow_run", relay_payload(stage, number))
    assert (run.requests, run.jobs, run.outputs["merged"]) == (0, (), "[]")


def test_a_strangers_approval_costs_one_request_and_queues_nothing(stage: Stage) -> None:
    number = _fork_pr(stage, 3)
    review(stage, number, "reader", "APPROVE")
    run = stage.deliver("workflow_run", relay_payload(stage, number, "reader"))
    assert run.requests == 1  # the reviewer's permission
    assert LABEL_QUEUED not in _labels(stage, number)


def test_a_false_title_lands_nothing_unapproved_and_says_nothing(stage: Stage) -> None:
    """A fork's own workflow titles a maintainer's comment review "approved" and names another pull
    request: the land job checks both against GitHub and quietly takes the label off again."""
    attacker, victim = _fork_pr(stage, 4), _fork_pr(stage, 5)
    review(stage, attacker, "maint", "COMMENT")
    payload = relay_payload(stage, attacker)
    payload["workflow_run"]["display_title"] = f"Review approved of #{victim}"
    before = replies(stage, victim)
    run = stage.deliver("workflow_run", payload)
    assert json.loads(run.outputs["merged"]) == []
    assert merge_commits(stage) == {}
    assert LABEL_QUEUED not in _labels(stage, victim)
    assert replies(stage, victim) == before  # not a word on the pull request the title named


def test_a_false_title_does_not_stop_the_runs_own_approved_pull_request(stage: Stage) -> None:
    number, other = _fork_pr(stage, 6), _fork_pr(stage, 7)
    review(stage, number, "maint", "APPROVE")
    payload = relay_payload(stage, number)
    payload["workflow_run"]["display_title"] = f"Review approved of #{other}"
    run = stage.deliver("workflow_run", payload)
    assert json.loads(run.outputs["merged"]) == [number]  # found by the run's head, approval checked
    assert merge_commits(stage) == {number: 1}


def test_an_untitled_run_finds_its_pull_request_by_head(stage: Stage) -> None:
    number = _fork_pr(stage, 8)
    review(stage, number, "maint", "APPROVE")
    run = stage.deliver("workflow_run", relay_payload(stage, number, titled=False))
    assert json.loads(run.outputs["merged"]) == [number], run.summary


def test_a_false_title_naming_an_issue_leaves_no_label_on_it(stage: Stage) -> None:
    number = _fork_pr(stage, 9)
    issue = stage.srv.create_issue(REPO, "A question", "How do I submit?", author="alice")
    review(stage, number, "maint", "COMMENT")
    payload = relay_payload(stage, number)
    payload["workflow_run"]["display_title"] = f"Review approved of #{issue}"
    run = stage.deliver("workflow_run", payload)
    assert json.loads(run.outputs["merged"]) == []
    assert LABEL_QUEUED not in [label["name"] for label in stage.srv.issue(REPO, issue)["labels"]]
    assert stage.bot_comments(issue) == []
