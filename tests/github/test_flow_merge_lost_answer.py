"""Issue 12, case 9: a re-run after a lost ref-update answer reports the PR as merged, not as a
duplicate of the entries it landed (end to end through the stand-in, real review payloads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import main_text, replies
from tests.support.standin import GitHubStandin


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def test_a_rerun_after_the_branch_update_answer_was_lost_reports_merged(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    payload = stage.approval_payload(number, "maint")
    # The branch moves to the merge commit, but every answer to that update is lost.
    stage.srv.faults.fail(502, "PATCH", r"/git/refs/heads/main$", times=5, after_apply=True)
    first = stage.deliver("pull_request_review", payload)
    landed = stage.main_entries()
    assert [e["entry_id"] for e in landed].count(entry()["entry_id"]) == 1
    stage.srv.faults.clear()
    rerun = stage.deliver("pull_request_review", payload)
    assert rerun.code == 0, (first.code, rerun.summary)
    assert stage.main_entries() == landed  # nothing landed twice
    assert main_text(stage).count(entry()["entry_id"].encode()) == 1
    assert first.code == 1  # the lost answer is reported as a failure to re-run ...
    merge_commit = stage.srv.ref_sha(REPO, "refs/heads/main")
    pull = stage.srv.pull(REPO, number)
    assert (pull["merged"], pull["merge_commit_sha"]) == (True, merge_commit)
    answer = replies(stage, number)  # ... and the re-run says the PR is merged, by that commit
    assert f"Merged #{number} as {merge_commit}." in answer
    assert "LB302" not in answer
    assert "LB302" not in rerun.summary
