"""The land job's batch, end to end through the stand-in: several queued pull requests in one commit,
each re-validated against the batch built so far; a pull request failing inside the batch reported on
its own and left out; a label nobody's approval backs refused; merge commands read back from comments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.github.queue import LABEL_QUEUED
from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.fault_flows import merge_commits
from tests.support.merge_stage import command, head, main_commit_message, replies
from tests.support.standin import GitHubStandin


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _item(index: int, **changes: Any) -> dict[str, Any]:
    return entry(
        entry_id=f"{index:08x}-5555-4222-8333-444455556666", workload__batch_size=index + 2, **changes
    )


def _queue(stage: Stage, number: int, reviewer: str = "maint") -> Run:
    """The review job only: the approval queues the pull request; no land job runs yet."""
    run = stage.deliver("pull_request_review", stage.approval_payload(number, reviewer), land=False)
    assert run.outputs.get("queued") == "true", run.summary
    return run


def _land(stage: Stage, trigger: int) -> Run:
    return stage.land("pull_request_review", {"pull_request": {"number": trigger}})


def _labels(stage: Stage, number: int) -> list[str]:
    return [label["name"] for label in stage.srv.issue(REPO, number)["labels"]]


def test_queued_prs_land_in_one_commit_that_lists_each(stage: Stage) -> None:
    numbers = [
        stage.open_pr({f"data/submissions/b{i}.json": as_file(_item(i))}, branch=f"b{i}") for i in range(3)
    ]
    for number in numbers:
        _queue(stage, number)
    run = _land(stage, numbers[-1])
    assert run.code == 0, run.summary
    assert json.loads(run.outputs["merged"]) == numbers
    assert json.loads(run.outputs["added"]) == sorted(_item(i)["entry_id"] for i in range(3))
    assert merge_commits(stage) == dict.fromkeys(numbers, 1)
    message = main_commit_message(stage)
    assert message.startswith(f"Merge leaderboard results from #{numbers[0]}, #{numbers[1]}, #{numbers[2]}\n")
    for index, number in enumerate(numbers):
        assert f"#{number}:\n- added {_item(index)['entry_id']}" in message
        assert stage.srv.pull(REPO, number)["merged"] is True
        assert f"Merged #{number} as " in replies(stage, number)


def test_each_pr_is_checked_against_the_batch_built_so_far(stage: Stage) -> None:
    """Two PRs submitting the same entry: the first lands, the second is refused on its own PR."""
    first = stage.open_pr({"data/submissions/a.json": as_file(_item(1))}, branch="a")
    second = stage.open_pr({"data/submissions/b.json": as_file(_item(1))}, branch="b")
    valid = stage.open_pr({"data/submissions/c.json": as_file(_item(2))}, branch="c")
    for number in (first, second, valid):
        _queue(stage, number)
    run = _land(stage, valid)
    assert json.loads(run.outputs["merged"]) == [first, valid]
    assert json.loads(run.outputs["refused"]) == [second]
    assert run.code == 1  # a counted approval did not land
    assert stage.srv.pull(REPO, second)["merged"] is False
    assert "is not merged: the submission has errors" in replies(stage, second)
    assert LABEL_QUEUED not in _labels(stage, second)  # out of the queue until it changes
    assert [e["entry_id"] for e in stage.main_entries()].count(_item(1)["entry_id"]) == 1
    assert merge_commits(stage) == {first: 1, valid: 1}


def test_a_label_without_a_counted_approval_lands_nothing(stage: Stage) -> None:
    """Anyone with triage access can set the label: the land job checks the approval itself."""
    number = stage.open_pr({"data/submissions/a.json": as_file(_item(3))})
    stage.srv.api("admin").post(f"/repos/{REPO}/issues/{number}/labels", {"labels": [LABEL_QUEUED]})
    stage.srv.review(REPO, number, author="reader", event="APPROVE", body="lgtm")
    before = stage.main_entries()
    run = _land(stage, number)
    assert run.code == 0  # no counted approval failed to land
    assert (run.outputs["merged"], run.outputs["refused"]) == ("[]", "[]")
    assert stage.main_entries() == before
    assert "no approval counts at its head" in replies(stage, number)
    assert LABEL_QUEUED not in _labels(stage, number)


def test_an_approval_whose_label_came_off_still_lands_with_its_own_run(stage: Stage) -> None:
    """A land job took the label off just as the approval came: the approval's own land job checks its
    pull request whatever the label says."""
    number = stage.open_pr({"data/submissions/a.json": as_file(_item(4))})
    _queue(stage, number)
    stage.srv.api("admin").delete(f"/repos/{REPO}/issues/{number}/labels/{LABEL_QUEUED}")
    run = _land(stage, number)
    assert json.loads(run.outputs["merged"]) == [number]


def test_a_merge_command_is_read_back_with_its_allow_changes(stage: Stage) -> None:
    entries = stage.main_entries()
    entries[0]["metadata"]["notes"] = "re-measured"
    number = stage.open_pr({"data/leaderboard_single.json": json.dumps(entries, indent=2) + "\n"})
    assert stage.pr_event(number).outputs["valid"] == "false"
    sha = head(stage, number)
    queued = command(stage, number, f"/leaderboard merge {sha} --allow-changes")
    assert queued.code == 0, queued.summary
    assert stage.main_entries()[0]["metadata"]["notes"] == "re-measured"
    assert f"allowed by @maint (/leaderboard merge {sha} --allow-changes)" in main_commit_message(stage)
    # a stranger's later command naming the same head would not have counted, and changes nothing now
    assert command(stage, number, f"/leaderboard merge {sha}", author="reader").jobs == ()


def test_a_merged_pr_whose_answer_was_cut_off_is_answered_by_its_re_run(stage: Stage) -> None:
    """A batch run cut off after its commit but before answering: the merged pull request is not open,
    so no later listing sees it; re-running its own workflow run (its trigger) answers on it. Another
    land job in between neither answers nor merges it again, and its label stays (no request spent)."""
    cut = stage.open_pr({"data/submissions/a.json": as_file(_item(5))}, branch="a")
    _queue(stage, cut)
    _land(stage, cut)
    for comment in stage.bot_comments(cut):  # as if the answer had never been given
        if "Merged #" in comment["body"]:
            stage.srv.api("github-actions[bot]").delete(f"/repos/{REPO}/issues/comments/{comment['id']}")
    assert "Merged #" not in replies(stage, cut)
    other = stage.open_pr({"data/submissions/b.json": as_file(_item(6))}, branch="b")
    _queue(stage, other)
    assert json.loads(_land(stage, other).outputs["merged"]) == [other]
    assert "Merged #" not in replies(stage, cut)
    rerun = _land(stage, cut)
    assert json.loads(rerun.outputs["merged"]) == []
    assert f"Merged #{cut} as " in replies(stage, cut)
    assert LABEL_QUEUED in _labels(stage, cut)
    assert merge_commits(stage) == {cut: 1, other: 1}
