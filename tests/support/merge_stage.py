"""Helpers for the merge-integrity tests: fork and same-repository pull requests, comment commands and
reviews delivered as real webhook payloads, and what the base branch and the pull request look like."""

from __future__ import annotations

import json
from typing import Any

from tests.support.bot_stage import REPO, Run, Stage
from tests.support.standin.payloads import issue_comment_event, make_payload

FORK = "alice/leaderboard"
KINDS = ("same-repo", "fork")


def open_results_pr(stage: Stage, kind: str, files: dict[str, Any], branch: str = "results") -> int:
    """A pull request by alice from a branch of the repository itself or from her fork."""
    if kind == "same-repo":
        return stage.open_pr(files, branch=branch)
    if FORK not in stage.srv.world.repos:  # type: ignore[attr-defined]
        stage.srv.fork(REPO, "alice")
    stage.srv.commit(FORK, branch, files, base="main", author="alice")
    return stage.srv.open_pr(REPO, f"alice:{branch}", author="alice", title="Add results")


def push(stage: Stage, kind: str, files: dict[str, Any], branch: str = "results") -> str:
    """Push a commit to the pull request's head branch; its SHA."""
    repo = REPO if kind == "same-repo" else FORK
    stage.srv.commit(repo, branch, files, author="alice")
    sha = stage.srv.ref_sha(repo, f"refs/heads/{branch}")
    assert sha is not None
    return sha


def head(stage: Stage, number: int) -> str:
    """The pull request's head SHA now."""
    return str(stage.srv.pull(REPO, number)["head"]["sha"])


def command(stage: Stage, number: int, body: str, author: str = "maint", *, land: bool = True) -> Run:
    """Comment ``body`` on the pull request as ``author`` and deliver the issue_comment event (``land=False``:
    without the land job, as Stage.deliver)."""
    comment_id = stage.srv.comment(REPO, number, body, author=author)
    comment = stage.srv.api(author).get(f"/repos/{REPO}/issues/comments/{comment_id}")
    payload = issue_comment_event(comment, stage.srv.issue(REPO, number), REPO)
    payload["issue"]["pull_request"] = {"url": f"https://api.github.example/repos/{REPO}/pulls/{number}"}
    return stage.deliver("issue_comment", payload, land=land)


def review(stage: Stage, number: int, reviewer: str, event: str, body: str = "") -> int:
    """Submit a review (APPROVE, REQUEST_CHANGES, COMMENT) through the API, without delivering it."""
    return stage.srv.review(REPO, number, author=reviewer, event=event, body=body or f"{event} by {reviewer}")


def relay(stage: Stage, number: int, actor: str = "maint") -> Run:
    """Deliver the approval relay's workflow_run event as GitHub sends it after ``actor``'s review run of
    a fork's pull request ``number``: no pull request listed, the run's head (repository, branch, SHA)
    and actor given."""
    return stage.deliver("workflow_run", relay_payload(stage, number, actor))


def relay_payload(stage: Stage, number: int, actor: str = "maint", *, titled: bool = True) -> dict[str, Any]:
    """The workflow_run payload that follows ``actor``'s review run of pull request ``number``.

    ``titled``: the run's title as leaderboard.yml's run-name makes it from ``actor``'s latest review
    ("Review approved of #7"); else the example's (an older workflow without that run-name).
    """
    payload = make_payload("workflow_run", "completed.with-pull-requests", {})
    payload["workflow_run"]["event"] = "pull_request_review"
    if titled:
        payload["workflow_run"]["display_title"] = review_title(stage, number, actor)
    return with_head(payload, stage.srv.pull(REPO, number), actor)


def review_title(stage: Stage, number: int, actor: str) -> str:
    """The title leaderboard.yml's run-name gives the run of ``actor``'s latest review of ``number``."""
    reviews = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/reviews")
    state = next(r["state"] for r in reversed(reviews) if r["user"]["login"] == actor)
    return f"Review {state.lower()} of #{number}"


def with_head(payload: dict[str, Any], pull: dict[str, Any], actor: str = "maint") -> dict[str, Any]:
    """A workflow_run payload whose run was ``actor``'s review of ``pull``'s head, as GitHub sends it for
    a fork: no pull request listed, the head repository, branch and SHA given."""
    run = payload["workflow_run"]
    for user in (run["actor"], run["triggering_actor"], payload["sender"]):
        user["login"] = actor
    run["pull_requests"] = []  # GitHub lists no fork PRs here
    run["head_sha"], run["head_branch"] = pull["head"]["sha"], pull["head"]["ref"]
    head_repo = pull["head"]["repo"]
    run["head_repository"].update(full_name=head_repo["full_name"], name=head_repo["name"])
    run["head_repository"]["owner"].update(login=head_repo["owner"]["login"])
    return payload


def replies(stage: Stage, number: int) -> str:
    """Every comment of the bot on the pull request, joined."""
    return "\n\n".join(c["body"] for c in stage.bot_comments(number))


def main_text(stage: Stage, name: str = "data/leaderboard_single.json") -> bytes:
    """A data file of the base branch as bytes."""
    data = stage.srv.read_file(REPO, name, "main")
    assert data is not None
    return data


def main_commit_message(stage: Stage) -> str:
    """The message of the base branch's tip commit."""
    sha = stage.srv.ref_sha(REPO, "refs/heads/main")
    message: str = stage.srv.api("admin").get(f"/repos/{REPO}/git/commits/{sha}")["message"]
    return message


def published(stage: Stage, index: int = 0) -> dict[str, Any]:
    """A published entry of the base branch's single-GPU file."""
    entries: list[dict[str, Any]] = json.loads(main_text(stage))
    return entries[index]
