"""Draft pull requests against the stand-in: GitHub lets a maintainer approve a draft but merges none,
and the bot, which moves the branch itself, must not either — on an approval, a merge command, or a
pull request converted to a draft after its approval was queued. Once marked ready, it merges."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.github.queue import LABEL_QUEUED
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import command, head, replies
from tests.support.standin import GitHubStandin

SUBMISSION = {"data/submissions/h100.json": as_file(entry())}
DRAFT = "it is a draft, and GitHub merges no draft. Mark it ready for review"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _draft(stage: Stage) -> int:
    stage.srv.commit(REPO, "results", SUBMISSION, base="main", author="alice")
    number = stage.srv.open_pr(REPO, "results", author="alice", title="Add results", draft=True)
    assert stage.srv.pull(REPO, number)["draft"] is True
    return number


def _merged(stage: Stage, number: int) -> bool:
    return bool(stage.srv.pull(REPO, number)["merged"])


def test_an_approved_draft_is_not_queued(stage: Stage) -> None:
    number = _draft(stage)
    before = stage.main_entries()
    run = stage.approve(number)
    assert run.outputs.get("queued", "") == ""
    assert not _merged(stage, number)
    assert stage.main_entries() == before
    assert DRAFT in replies(stage, number)
    assert f"`/leaderboard merge {head(stage, number)}`" in replies(stage, number)


def test_a_merge_command_on_a_draft_merges_nothing(stage: Stage) -> None:
    number = _draft(stage)
    run = command(stage, number, f"/leaderboard merge {head(stage, number)}")
    assert run.outputs.get("queued", "") == ""
    assert not _merged(stage, number)
    assert DRAFT in replies(stage, number)


def test_a_queued_pull_request_turned_draft_is_left_out_then_merges_when_ready(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    payload = stage.approval_payload(number, "maint")
    assert stage.deliver("pull_request_review", payload, land=False).outputs["queued"] == "true"
    stage.srv.set_draft(REPO, number, True)  # converted while its land job waited
    land = stage.land("pull_request_review", payload)
    assert not _merged(stage, number)
    assert LABEL_QUEUED not in [label["name"] for label in stage.srv.issue(REPO, number)["labels"]]
    assert DRAFT in replies(stage, number)
    assert land.outputs["refused"] == f"[{number}]"
    stage.srv.set_draft(REPO, number, False)  # marked ready for review
    command(stage, number, f"/leaderboard merge {head(stage, number)}")
    assert _merged(stage, number)
    assert stage.main_entries()[-1] == entry()
