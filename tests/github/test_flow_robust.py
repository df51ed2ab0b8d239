"""Robust GitHub calls end to end: a refused review does not abort the report, 429s are retried only
where that cannot duplicate anything, deleted accounts (``user: null``), and pull requests longer than
GitHub lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from github import GithubException

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import command, head, main_text, replies
from tests.support.standin import GitHubStandin

DIFF_MESSAGE = "Pull request review thread line must be part of the diff"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _fixable() -> dict[str, object]:
    item = entry()
    item["hardware"]["vendor"] = "Nvidia"  # a mechanical fix: the bot suggests "NVIDIA"
    return item


def test_the_standin_refuses_a_review_line_outside_the_diff(stage: Stage) -> None:
    published = main_text(stage).decode()
    edited = published.replace('"notes": "Benchmark run: short_input"', '"notes": "re-run"', 1)
    number = stage.open_pr({"data/leaderboard_single.json": edited})
    (changed,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/files")
    assert changed["patch"].startswith("@@ -")
    client = stage.srv.client(stage.srv.user_token("writer"))
    pull = client.get_repo(REPO).get_pull(number)
    line = published[: published.index('"notes": "Benchmark run: short_input"')].count("\n") + 1
    inside = {"path": "data/leaderboard_single.json", "line": line, "body": "here"}
    pull.create_review(body="ok", event="COMMENT", comments=[inside])  # type: ignore[list-item]
    outside = {**inside, "line": line + 400}
    with pytest.raises(GithubException) as refused:
        pull.create_review(body="no", event="COMMENT", comments=[outside])  # type: ignore[list-item]
    assert refused.value.status == 422
    assert DIFF_MESSAGE in json.dumps(refused.value.data)


def test_a_refused_review_does_not_abort_the_report(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/fix.json": as_file(_fixable())})
    stage.srv.faults.fail(422, "POST", r"/pulls/\d+/reviews$", message=DIFF_MESSAGE)
    run = stage.pr_event(number)
    assert "Traceback" not in run.stderr
    assert run.code == 1, run.stderr  # "Nvidia" is an error; the report is complete all the same
    assert run.outputs["valid"] == "false"
    assert "dropped" in run.summary
    assert len(stage.bot_comments(number)) == 1
    labels = {label["name"] for label in stage.srv.issue(REPO, number)["labels"]}
    assert "leaderboard: invalid" in labels
    runs = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head(stage, number)}/check-runs")
    assert [r["conclusion"] for r in runs["check_runs"]] == ["failure"]


def test_the_suggestions_review_carries_a_body(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/fix.json": as_file(_fixable())})
    stage.pr_event(number)
    (review,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/reviews")
    assert review["body"].startswith("Suggested fixes from leaderboard-bot")


def test_a_429_on_a_read_is_retried(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    reviews = rf"/pulls/{number}/reviews$"
    stage.srv.faults.fail(429, "GET", reviews, retry_after=0, message="secondary rate limit")
    run = stage.approve(number, "maint")
    assert run.code == 0, run.stderr
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert stage.srv.count("GET", reviews, status=429) == 1


def test_a_429_on_a_comment_is_not_resent(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.srv.faults.fail(429, "POST", r"/issues/\d+/comments$", retry_after=0, after_apply=True)
    run = stage.pr_event(number)
    assert run.code == 1
    assert "GitHub answered 429" in run.stderr
    assert stage.srv.count("POST", r"/issues/\d+/comments$") == 1
    assert len(stage.bot_comments(number)) == 1  # stored once, never sent twice


def test_deleted_accounts_in_reviews_and_comments(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.srv.add_user("gone")
    stage.srv.set_role(REPO, "gone", "write")
    stage.srv.review(REPO, number, author="gone", event="REQUEST_CHANGES", body="no")
    stage.srv.comment(REPO, number, "a comment", author="gone")
    stage.srv.delete_user("gone")
    listed = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/reviews")
    assert listed[0]["user"] is None
    run = command(stage, number, f"/leaderboard merge {head(stage, number)}")
    assert run.code == 0, run.stderr
    assert stage.srv.pull(REPO, number)["merged"] is True  # a ghost's review blocks nothing
    assert f"Merged #{number}" in replies(stage, number)


def test_a_pr_with_more_files_than_github_lists_is_refused(stage: Stage) -> None:
    files = {f"docs/many/{i:04d}.txt": f"{i}\n" for i in range(3000)}
    files["data/submissions/zz.json"] = as_file(entry())  # sorts last: the 3,001st file, never listed
    number = stage.open_pr(files)
    assert stage.srv.pull(REPO, number)["changed_files"] == 3001
    run = stage.pr_event(number)
    assert run.code == 1
    body = stage.bot_comments(number)[0]["body"]
    assert "changes 3001 files" in body
    assert "lists only the first 3000" in body
    before = main_text(stage)
    stage.approve(number, "maint")
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
