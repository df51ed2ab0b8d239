"""What the land job takes from its workflow run instead of asking GitHub again: the write permissions
its queue job checked (the `verified` output), and the base branch's commit and tree from its checkout,
on which it builds the batch's commit (the fast-forward-only update is the compare-and-swap)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from bot.github.queue import verified_permissions
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.fault_flows import main_ids, merge_commits
from tests.support.standin import GitHubStandin


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"Maint": "write", "boss": "admin"}', {"maint": "write", "boss": "admin"}),
        ('{"reader": "read", "x": "none", "maint": "write"}', {"maint": "write"}),
        ('{"a b": "write", "-x": "admin", "bot[bot]": "write"}', {"bot[bot]": "write"}),
        ('["maint"]', {}),
        ("not json", {}),
        ("", {}),
    ],
)
def test_only_well_formed_write_permissions_are_taken(text: str, expected: dict[str, str]) -> None:
    assert verified_permissions(text) == expected


def test_the_queue_job_hands_the_approvers_permission_to_its_land_job(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    run = stage.approve(number, "maint")
    queue_job, land_job = run.jobs
    assert json.loads(queue_job.outputs["verified"]) == {"maint": "write"}
    assert land_job.outputs["merged"] == f"[{number}]"
    assert stage.srv.count("GET", r"/collaborators/maint/permission$") == 1  # asked once in the run


def test_without_the_handoff_the_land_job_asks_itself(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    queued = stage.deliver("pull_request_review", stage.approval_payload(number, "maint"), land=False)
    assert queued.outputs["queued"] == "true"
    forged = json.dumps({"maint": "read"})  # not a write level: ignored, and asked again
    landed = stage.land("pull_request_review", queued_payload(number), {"LEADERBOARD_VERIFIED": forged})
    assert json.loads(landed.outputs["merged"]) == [number]
    assert stage.srv.count("GET", r"/collaborators/maint/permission$") == 2


def test_a_push_after_the_checkout_loses_the_first_update_and_the_retry_lands(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.deliver("pull_request_review", stage.approval_payload(number, "maint"), land=False)
    checkout = str(stage.srv.ref_sha(REPO, "refs/heads/main"))
    stage.srv.commit(REPO, "main", {"NOTES.md": b"pushed after the land job's checkout\n"})
    env = {
        "LEADERBOARD_BASE_COMMIT": checkout,
        "LEADERBOARD_BASE_TREE": stage.srv.commit_tree(REPO, checkout),
        "LEADERBOARD_BASE_BRANCH": "main",
    }
    run = stage.land("pull_request_review", queued_payload(number), env)
    assert json.loads(run.outputs["merged"]) == [number], run.summary
    assert stage.srv.count("PATCH", r"/git/refs/heads/main$", status=422) == 1  # not a fast-forward
    assert stage.srv.read_file(REPO, "NOTES.md", "main") == b"pushed after the land job's checkout\n"
    assert entry()["entry_id"] in main_ids(stage)
    assert merge_commits(stage) == {number: 1}


def test_a_checkout_of_another_branch_is_not_built_on(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.deliver("pull_request_review", stage.approval_payload(number, "maint"), land=False)
    run = stage.land("pull_request_review", queued_payload(number), {"LEADERBOARD_BASE_BRANCH": "release"})
    assert json.loads(run.outputs["merged"]) == [number]
    assert stage.srv.count("GET", r"/commits/main$") == 1  # the tip read from GitHub instead
    assert stage.srv.count("PATCH", r"/git/refs/heads/main$", status=422) == 0


def queued_payload(number: int) -> dict[str, object]:
    """The part of a review payload the land job reads: which pull request started it."""
    return {"pull_request": {"number": number}}


def test_a_push_while_the_land_job_reads_a_pull_request_drops_it_and_lands_the_others(stage: Stage) -> None:
    """GitHub lists a pull request's files at its head of the moment, which a push can move after the
    land job listed the pull request (and its approved head): the files are then read at a commit that
    lacks them. That pull request's approval no longer counts, so it is left for its new head's check,
    and the rest of the batch still lands (a 404 there used to fail the whole run)."""
    moved = stage.open_pr({"data/submissions/a.json": as_file(entry())})
    other_entry = entry(entry_id="8a0c7f3e-5b1d-4e2a-9c6b-1f2e3d4c5b6a", model__name="other-model")
    other = stage.open_pr({"data/submissions/b.json": as_file(other_entry)}, branch="other")
    for number in (moved, other):
        stage.deliver("pull_request_review", stage.approval_payload(number, "maint"), land=False)
    stage.srv.faults.delay(1.5, "GET", rf"/pulls/{moved}/files")
    pushed = threading.Timer(
        0.5, stage.srv.commit, (REPO, "results", {"data/submissions/late.json": as_file(entry())})
    )
    pushed.start()
    run = stage.land("pull_request_review", queued_payload(moved))
    pushed.join()
    assert run.code == 0, run.summary
    assert json.loads(run.outputs["merged"]) == [other], run.summary
    assert other_entry["entry_id"] in main_ids(stage)
    assert entry()["entry_id"] not in main_ids(stage)
