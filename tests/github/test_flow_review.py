"""GitHub's review semantics in the review job and the approval relay, the issue-form submitter, and
protected branches: what lands, what is refused, and what the bot says and outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.merge_stage import KINDS, head, main_text, open_results_pr, relay, replies, review
from tests.support.standin import GitHubStandin

SUBMISSION = {"data/submissions/h100.json": as_file(entry())}


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _approve_and_deliver(stage: Stage, kind: str, number: int, payload: dict[str, Any]) -> Run:
    """Deliver the approval's review event; for a fork, also the relay that follows its run."""
    run = stage.deliver("pull_request_review", payload)
    return relay(stage, number) if kind == "fork" else run


@pytest.mark.parametrize("kind", KINDS)
def test_requesting_changes_after_approving_withdraws_the_approval(stage: Stage, kind: str) -> None:
    number = open_results_pr(stage, kind, SUBMISSION)
    stage.pr_event(number)
    before = main_text(stage)
    payload = stage.approval_payload(number, "maint")  # approved, and the run has not started yet
    review(stage, number, "maint", "REQUEST_CHANGES", "wait: the ttft is off")
    run = _approve_and_deliver(stage, kind, number, payload)
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert run.code == 0
    if kind == "same-repo":  # queued (the review job reads no reviews); the land job refuses it
        assert "is not merged: no approval counts at its head" in replies(stage, number)
        assert "leaderboard: approved" not in [x["name"] for x in stage.srv.pull(REPO, number)["labels"]]
    else:  # the relay finds no counted approval any more: nothing to merge
        outputs = run.outputs
        assert (outputs["merged"], outputs["refused"]) == ("[]", "[]")


@pytest.mark.parametrize("kind", KINDS)
def test_another_maintainers_changes_request_blocks_an_approval(stage: Stage, kind: str) -> None:
    number = open_results_pr(stage, kind, SUBMISSION)
    stage.pr_event(number)
    review(stage, number, "writer", "REQUEST_CHANGES", "not this one")
    review(stage, number, "reader", "APPROVE")  # a reader's review changes nothing either way
    before = main_text(stage)
    run = _approve_and_deliver(stage, kind, number, stage.approval_payload(number, "maint"))
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert "@writer requested changes" in replies(stage, number)
    assert run.outputs.get("merged", "[]") == "[]"


def test_a_readers_changes_request_does_not_block(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    review(stage, number, "reader", "REQUEST_CHANGES", "I do not like it")
    run = stage.approve(number, "maint")
    assert run.code == 0, run.summary
    assert stage.srv.pull(REPO, number)["merged"] is True


def test_a_dismissed_approval_does_not_count_in_the_relay(stage: Stage) -> None:
    number = open_results_pr(stage, "fork", SUBMISSION)
    stage.pr_event(number)
    review_id = review(stage, number, "maint", "APPROVE")
    stage.srv.api("admin").put(
        f"/repos/{REPO}/pulls/{number}/reviews/{review_id}/dismissals", {"message": "stale"}
    )
    run = relay(stage, number)
    assert run.code == 0
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert (run.outputs["merged"], run.outputs["refused"]) == ("[]", "[]")


def test_the_relay_outputs_describe_what_it_merged(stage: Stage) -> None:
    approved = open_results_pr(stage, "fork", SUBMISSION)
    other = entry(entry_id="0f0e0d0c-0b0a-4908-8706-050403020100", workload__batch_size=8)
    ignored = open_results_pr(stage, "fork", {"data/submissions/o.json": as_file(other)}, branch="other")
    for number in (approved, ignored):
        stage.pr_event(number)
    review(stage, approved, "maint", "APPROVE")
    run = relay(stage, approved)
    assert run.code == 0, run.summary
    assert stage.srv.pull(REPO, approved)["merged"] is True
    assert stage.srv.pull(REPO, ignored)["merged"] is False
    assert json.loads(run.outputs["merged"]) == [approved]
    assert run.outputs["pull-request"] == str(approved)
    assert json.loads(run.outputs["added"]) == [entry()["entry_id"]]


def test_the_issue_form_submitters_approval_does_not_count(stage: Stage) -> None:
    issue = stage.open_issue(render_body(SINGLE_GPU), author="maint")
    assert stage.issue_event(issue, "opened").code == 0
    (pull,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls", state="open")
    number = int(pull["number"])
    before = main_text(stage)
    own = stage.approve(number, "maint")
    assert own.code == 0
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert f"maint submitted #{number} (issue #{issue})" in replies(stage, number)
    other = stage.approve(number, "admin")
    assert other.code == 0, other.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert json.loads(main_text(stage))[-1]["metadata"]["submitter"] == "maint"


@pytest.mark.parametrize("rule", ["protection", "pull-request", "signatures"])
def test_a_protected_branch_is_refused_once_with_what_to_configure(stage: Stage, rule: str) -> None:
    stage.srv.protect(REPO, "main", rule)
    number = stage.open_pr(SUBMISSION)
    before = main_text(stage)
    run = stage.approve(number, "maint")
    assert run.code == 1
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    moves = [r for r in stage.srv.requests if r.method == "PATCH" and r.path.endswith("/git/refs/heads/main")]
    assert len(moves) == 1, "a protection refusal is not a lost race: no retries"
    answer = replies(stage, number)
    assert "bypass list" in answer
    assert "not retry" in answer
    assert "kept moving" not in answer
    # queued by the review job (3), then one try of the land job: the approval-merge's 12 less its
    # notice (2), plus the refusal said on the PR (3) and the PR taken out of the queue (1, and 1 to
    # see that no new head came meanwhile)
    assert run.requests <= 18


def test_an_app_on_the_bypass_list_merges_into_a_protected_branch(stage: Stage) -> None:
    stage.srv.protect(REPO, "main", "pull-request", bypass=("leaderboard-bot",))
    stage.srv.set_role(REPO, "leaderboard-bot[bot]", "write")
    stage.token = stage.srv.app_token("leaderboard-bot")
    number = stage.open_pr(SUBMISSION)
    payload = stage.approval_payload(number, "maint")
    run = stage.deliver("pull_request_review", payload, {"LEADERBOARD_BOT_LOGIN": "leaderboard-bot[bot]"})
    assert run.code == 0, run.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert json.loads(main_text(stage))[-1] == entry()
    assert (
        head(stage, number)
        in stage.srv.api("admin").get(
            f"/repos/{REPO}/git/commits/{stage.srv.ref_sha(REPO, 'refs/heads/main')}"
        )["parents"][1]["sha"]
    )


@pytest.mark.parametrize(
    "name",
    [
        "Qwen2.5-7B-\u200bInstruct",  # a zero-width space
        "Qwen2.5-7B-Instruct\u202e",  # a right-to-left override
        "ＱＷＥＮ2.5-7B-Instruct",  # fullwidth letters (NFKC)
        "qwen2.5-7b-instruct",  # case
        "Qwen2.5-7B-Instruct ",  # a trailing space
        "Qwen2.5-7B-Instruct\u2800",  # the braille blank, which looks like a space
    ],
)
def test_lookalike_text_does_not_dodge_the_same_configuration_check(stage: Stage, name: str) -> None:
    first = stage.open_pr(SUBMISSION)
    assert stage.approve(first, "maint").code == 0
    twin = entry(entry_id="0f0e0d0c-0b0a-4908-8706-050403020100", model__name=name)
    number = stage.open_pr({"data/submissions/twin.json": as_file(twin)}, branch="twin")
    stage.pr_event(number)
    body = stage.bot_comments(number)[0]["body"]
    assert "(LB304)" in body
    visible = body.replace("\\", "").replace("\u200b", "")  # escapes and zero-width breaks unseen
    assert f"same configuration as entry {entry()['entry_id']}" in visible
