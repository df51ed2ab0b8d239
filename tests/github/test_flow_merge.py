"""Merge on approval end to end: who counts, what lands, and racing approvals."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.paths import ROOT
from tests.support.standin import GitHubStandin


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _ids(stage: Stage) -> list[str]:
    return [e["entry_id"] for e in stage.main_entries()]


def test_a_maintainers_approval_merges_the_pr(stage: Stage) -> None:
    before = stage.main_entries()
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    run = stage.approve(number, "maint")
    assert run.code == 0, run.summary
    after = stage.main_entries()
    assert after[:-1] == before
    assert after[-1] == entry()
    pull = stage.srv.pull(REPO, number)
    assert (pull["state"], pull["merged"]) == ("closed", True)
    main = stage.srv.read_file(REPO, "data/leaderboard_single.json", "main")
    published = (ROOT / "data" / "leaderboard_single.json").read_bytes()
    assert main is not None
    assert main.startswith(published[: published.rindex(b"}") + 1])
    assert stage.srv.read_file(REPO, "data/submissions/h100.json", "main") is None
    assert json.loads(run.outputs["added"]) == [entry()["entry_id"]]
    # The review job queues it (permission, reviews list, label: 3); the land job lists the queue,
    # re-checks the PR (PR, reviews, permission), reads the submission (2) and the base tip, writes the
    # tree, the commit and the ref, answers on the PR (2) and takes the label off: 13, the data files
    # read from its checkout.
    assert run.requests <= 16, f"approval-merge took {run.requests} requests"
    assert f"Merged #{number} as " in stage.bot_comments(number)[-1]["body"]


@pytest.mark.parametrize("reviewer", ["reader", "alice"])
def test_approvals_without_write_access_or_by_the_author_do_not_merge(stage: Stage, reviewer: str) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())}, author="writer")
    if reviewer == "alice":
        stage.srv.add_user("alice")
    run = stage.approve(number, reviewer)
    assert run.code == 0
    assert "only approvals by users with write access count" in run.summary
    assert entry()["entry_id"] not in _ids(stage)
    assert stage.srv.pull(REPO, number)["merged"] is False


@pytest.mark.parametrize(
    ("author", "reviewer", "reason"),
    [("maint", "maint", "an author's own approval does not count"), ("alice", "helper[bot]", "is a bot")],
)
def test_approvals_by_the_author_or_a_bot_do_not_count(
    stage: Stage, author: str, reviewer: str, reason: str
) -> None:
    # GitHub itself refuses both reviews, so the payloads are delivered as a spoofed event would be.
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())}, author=author)
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    fake = {"id": 1, "state": "APPROVED", "commit_id": head, "user": {"login": reviewer}, "body": ""}
    run = stage.deliver("pull_request_review", stage.review_payload(fake, number))
    assert reason in run.summary
    assert stage.srv.pull(REPO, number)["merged"] is False


def test_an_approval_of_an_older_commit_does_not_count(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    old = stage.srv.pull(REPO, number)["head"]["sha"]
    stage.srv.commit(
        REPO, "results", {"data/submissions/h100.json": as_file(entry(metrics__ttft_ms=1.0))}, author="alice"
    )
    run = stage.approve(number, "maint", commit_id=old)
    assert "approve the latest commit" in run.summary
    assert entry()["entry_id"] not in _ids(stage)


def test_a_pr_touching_workflows_is_never_merged(stage: Stage) -> None:
    files = {"data/submissions/h100.json": as_file(entry()), ".github/workflows/evil.yml": "on: push\n"}
    number = stage.open_pr(files)
    run = stage.approve(number, "admin")
    assert run.code == 1
    assert "is not merged" in run.summary
    assert stage.srv.read_file(REPO, ".github/workflows/evil.yml", "main") is None
    assert stage.srv.pull(REPO, number)["merged"] is False


def test_an_invalid_submission_is_not_merged_and_says_why(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/bad.json": as_file(entry(metrics__error_rate=3))})
    run = stage.approve(number, "maint")
    assert run.code == 1
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert "must be fixed" in stage.bot_comments(number)[0]["body"]


def test_an_edit_of_the_data_file_made_before_other_merges_loses_nothing(stage: Stage) -> None:
    original = stage.main_entries()
    edited = [*original, entry()]
    number = stage.open_pr(
        {"data/leaderboard_single.json": json.dumps(edited, indent=2) + "\n"}, branch="edit"
    )
    other = entry(entry_id="0f0e0d0c-0b0a-4908-8706-050403020100", workload__batch_size=8)
    second = stage.open_pr({"data/submissions/other.json": as_file(other)}, branch="other")
    assert stage.approve(second, "maint").code == 0
    run = stage.approve(number, "maint")
    assert run.code == 0, run.summary
    ids = _ids(stage)
    assert len(ids) == len(original) + 2 == len(set(ids))
    assert {entry()["entry_id"], other["entry_id"]} <= set(ids)


def test_two_approvals_racing_both_land(stage: Stage) -> None:
    numbers = []
    for index in range(2):
        item = entry(entry_id=f"{index:08x}-1111-4222-8333-444455556666", workload__batch_size=index + 2)
        numbers.append(
            stage.open_pr({f"data/submissions/r{index}.json": as_file(item)}, branch=f"race{index}")
        )
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def approve(number: int) -> None:
        barrier.wait()
        results.append(stage.approve(number, "maint"))

    threads = [threading.Thread(target=approve, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.code for r in results] == [0, 0], [r.summary for r in results]
    ids = _ids(stage)
    assert len(ids) == 49 == len(set(ids)), [r.summary for r in results]
    assert all(stage.srv.pull(REPO, n)["merged"] for n in numbers)


def test_a_pr_retargeted_to_another_branch_is_not_landed_there(stage: Stage) -> None:
    """Changing the base keeps the head and its approvals: the land job merges into the default branch
    only, and says how to get the submission merged."""
    stage.srv.create_branch(REPO, "release", "main")
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.srv.api("alice").patch(f"/repos/{REPO}/pulls/{number}", {"base": "release"})
    before = {ref: stage.srv.ref_sha(REPO, f"refs/heads/{ref}") for ref in ("main", "release")}
    run = stage.approve(number, "maint")
    assert {ref: stage.srv.ref_sha(REPO, f"refs/heads/{ref}") for ref in ("main", "release")} == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert "added" not in run.outputs
    notice = stage.bot_comments(number)[-1]["body"]
    assert (
        f"#{number} is not merged: it targets `release`, but submissions land on the default branch" in notice
    )
    stage.srv.api("alice").patch(f"/repos/{REPO}/pulls/{number}", {"base": "main"})
    again = stage.approve(number, "maint")
    assert stage.srv.pull(REPO, number)["merged"] is True, (
        again.summary,
        stage.bot_comments(number)[-1]["body"],
    )
    assert stage.main_entries()[-1] == entry()


def test_an_entry_without_an_id_lands_under_the_id_the_approved_report_showed(stage: Stage) -> None:
    """The check and the merge each fill in a missing entry_id and submitted_at: from the pull request
    (its address, the file and the entry's place; the time it was opened), so both give the same ones
    (a fresh uuid4 and the time of each evaluation made them differ)."""
    submitted = entry()
    submitted.pop("entry_id")
    submitted["metadata"].pop("submitted_at")
    before = {e["entry_id"] for e in stage.main_entries()}
    number = stage.open_pr({"data/submissions/x.json": as_file(submitted)})
    assert stage.pr_event(number).code == 0
    (report,) = [c["body"] for c in stage.bot_comments(number) if "leaderboard-bot:summary" in c["body"]]
    shown = re.search(r'"entry_id": "([0-9a-f-]{36})"', report)
    assert shown, report
    again = stage.pr_event(number)  # a re-run of the check names the same id
    assert again.code == 0
    (report,) = [c["body"] for c in stage.bot_comments(number) if "leaderboard-bot:summary" in c["body"]]
    assert f'"entry_id": "{shown[1]}"' in report
    stamp = re.search(r'"submitted_at": "([^"]+)"', report)
    assert stamp, report
    opened = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}")["created_at"]
    assert stamp[1] == opened  # the time the pull request was opened, not the time of a check
    assert stage.approve(number).code == 0
    (landed,) = [e for e in stage.main_entries() if e["entry_id"] not in before]
    assert (landed["entry_id"], landed["metadata"]["submitted_at"]) == (shown[1], stamp[1])
