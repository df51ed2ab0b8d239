"""Maintainer comment commands and the approval relay for fork pull requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.commands import parse_command
from tests.bot_stage import REPO, Stage, as_file, entry
from tests.standin import GitHubStandin
from tests.standin.payloads import issue_comment_event, make_payload


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _command(stage: Stage, number: int, body: str, author: str) -> Any:
    comment_id = stage.srv.comment(REPO, number, body, author=author)
    comment = stage.srv.api(author).get(f"/repos/{REPO}/issues/comments/{comment_id}")
    issue = stage.srv.issue(REPO, number)
    payload = issue_comment_event(comment, issue, REPO)
    payload["issue"]["pull_request"] = {"url": f"https://api.github.example/repos/{REPO}/pulls/{number}"}
    return stage.deliver("issue_comment", payload)


def test_parse_command() -> None:
    assert parse_command("/leaderboard recheck\nplease") == "recheck"
    assert parse_command("  /LEADERBOARD Merge") == "merge"
    assert parse_command("/leaderboard") == ""
    assert parse_command("please /leaderboard merge") is None


def test_recheck_by_the_author_reports_again(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    run = _command(stage, number, "/leaderboard recheck", "alice")
    assert run.code == 0
    assert len(stage.bot_comments(number)) == 1


def test_merge_command_needs_write_access(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    denied = _command(stage, number, "/leaderboard merge", "reader")
    assert "may not run /leaderboard merge" in denied.summary
    assert stage.srv.pull(REPO, number)["merged"] is False
    merged = _command(stage, number, "/leaderboard merge", "maint")
    assert merged.code == 0, merged.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert stage.main_entries()[-1] == entry()


def test_the_relay_merges_an_approved_fork_pr(stage: Stage) -> None:
    stage.srv.fork(REPO, "alice")
    stage.srv.commit(
        "alice/leaderboard",
        "results",
        {"data/submissions/h100.json": as_file(entry())},
        base="main",
        author="alice",
    )
    number = stage.srv.open_pr(REPO, "alice:results", author="alice", title="Add results")
    assert stage.pr_event(number).code == 0  # labels it valid
    review = stage.approve(number, "maint")  # the fork's own run cannot write
    assert "comes from a fork" in review.summary
    assert stage.srv.pull(REPO, number)["merged"] is False
    payload = make_payload("workflow_run", "completed.with-pull-requests", {})
    payload["workflow_run"]["pull_requests"] = []  # GitHub lists no fork PRs here
    relay = stage.deliver("workflow_run", payload)
    assert relay.code == 0, relay.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert stage.main_entries()[-1] == entry()
