"""The act tier: the workflow files and the composite Action run by a real Actions runner (nektos/act, host
mode) against the stand-in, for real webhook payloads. Each test asserts which jobs ran, which did not, and
what the repository looks like afterwards. See tests/support/act_stage.py for how the runner is set up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.form.generator import SUBMISSION_LABEL
from bot.github.steps import LABEL_VALID
from tests.support.act_stage import ROOT, ActRun, ActStage, check_wheelhouse
from tests.support.bot_stage import REPO, as_file, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.merge_stage import with_head
from tests.support.standin import GitHubStandin
from tests.support.standin.payloads import issue_comment_event, make_payload

SUBMISSION = {"data/submissions/h100.json": as_file(entry())}
LEADERBOARD = "leaderboard.yml"
RELAY = "leaderboard-approval-relay.yml"
PAGES = "pages.yml"


def merge_command(head_sha: str) -> str:
    """The maintainer's merge command for a pull request whose head is ``head_sha``."""
    return f"/leaderboard merge {head_sha}"


@pytest.fixture(scope="session")
def act_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner's tool cache, Actions cache and installer caches, shared by the session's runs."""
    check_wheelhouse()
    return tmp_path_factory.mktemp("act-store")


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path, act_store: Path) -> ActStage:
    return ActStage(github_standin, tmp_path, store=act_store)


def _ok(run: ActRun, *jobs: str) -> None:
    """Exactly ``jobs`` ran, and each succeeded."""
    assert run.jobs == dict.fromkeys(jobs, "success"), run.log[-4000:]
    assert run.code == 0, run.log[-4000:]


def _fork_pr(stage: ActStage) -> int:
    stage.srv.fork(REPO, "alice")
    stage.srv.commit("alice/leaderboard", "results", SUBMISSION, base="main", author="alice")
    return stage.srv.open_pr(REPO, "alice:results", author="alice", title="Add results")


def _check_runs(stage: ActStage, sha: str) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{sha}/check-runs")[
        "check_runs"
    ]
    return runs


def _comment_payload(stage: ActStage, number: int, body: str, author: str) -> dict[str, Any]:
    comment_id = stage.srv.comment(REPO, number, body, author=author)
    comment = stage.srv.api(author).get(f"/repos/{REPO}/issues/comments/{comment_id}")
    payload = issue_comment_event(comment, stage.srv.issue(REPO, number), REPO)
    payload["issue"]["pull_request"] = {"url": f"{stage.srv.url}/repos/{REPO}/pulls/{number}"}
    payload["repository"]["default_branch"] = "main"  # the checkout's ref on issue_comment
    return payload


def _workflow_run(event: str, conclusion: str = "success") -> dict[str, Any]:
    """A ``workflow_run.completed`` payload of a Leaderboard run started by ``event`` in this repository."""
    changes = {
        "workflow_run.event": event,
        "workflow_run.conclusion": conclusion,
        "workflow_run.name": "Leaderboard",
        "repository.full_name": REPO,
        "repository.name": REPO.split("/")[1],
        "repository.owner.login": REPO.split("/")[0],
        "repository.default_branch": "main",
    }
    payload = make_payload("workflow_run", "completed.with-pull-requests", changes)
    payload["workflow_run"]["pull_requests"] = []  # GitHub lists no fork pull requests here
    return payload


def _relay_run(stage: ActStage, number: int) -> dict[str, Any]:
    """The ``workflow_run.completed`` payload after the approving review run of fork pull request
    ``number``, titled as leaderboard.yml's run-name titles it."""
    payload = with_head(_workflow_run("pull_request_review"), stage.srv.pull(REPO, number))
    payload["workflow_run"]["display_title"] = f"Review approved of #{number}"
    return payload


def _merged(stage: ActStage, number: int) -> bool:
    return bool(stage.srv.pull(REPO, number)["merged"])


def test_a_fork_pr_opened_and_synchronized_is_checked_with_one_comment(stage: ActStage) -> None:
    number = _fork_pr(stage)
    _ok(stage.act("pull_request_target", stage.pr_payload(number, "opened"), LEADERBOARD), "validate")
    first = stage.srv.pull(REPO, number)["head"]["sha"]
    changed = {"data/submissions/h100.json": as_file(entry(metrics__ttft_ms=1.5))}
    stage.srv.commit("alice/leaderboard", "results", changed, author="alice")
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    assert head != first
    _ok(stage.act("pull_request_target", stage.pr_payload(number, "synchronize"), LEADERBOARD), "validate")
    (comment,) = stage.bot_comments(number)
    assert "Ready to" in comment["body"]
    (check,) = _check_runs(stage, head)
    assert check["conclusion"] == "success"
    assert [label["name"] for label in stage.srv.issue(REPO, number)["labels"]] == [LABEL_VALID]
    assert not _merged(stage, number)
    assert (stage.artifacts(2) / "leaderboard-preview" / "index.html").is_file()


def test_a_same_repository_approval_merges(stage: ActStage) -> None:
    number = stage.open_pr(SUBMISSION)
    approval = stage.approval_payload(number, "maint")
    _ok(stage.act("pull_request_review", approval, LEADERBOARD), "merge", "land")  # queued, then landed
    assert _merged(stage, number)
    assert stage.main_entries()[-1] == entry()
    # The runner passed the merge job's `verified` output to the land job: the permission was asked once.
    assert stage.srv.count("GET", r"/collaborators/maint/permission$") == 1
    # Each job's checkout read the tip once; the land job built on its checkout's commit and tree
    # (the Action's `git rev-parse`) without reading the tip again, and won the fast-forward at once.
    assert stage.srv.count("GET", r"/commits/main$") == 2
    assert stage.srv.count("PATCH", r"/git/refs/heads/main$") == 1


def test_a_fork_approval_runs_read_only_and_the_relay_merges(stage: ActStage) -> None:
    number = _fork_pr(stage)
    _ok(stage.act("pull_request_target", stage.pr_payload(number), LEADERBOARD), "validate")
    read_only = stage.srv.actions_token(read_only=True)  # GitHub's token for a fork's pull_request_review
    review = stage.act("pull_request_review", stage.approval_payload(number, "maint"), LEADERBOARD, read_only)
    _ok(review, "merge")
    assert "comes from a fork" in review.log
    assert not _merged(stage, number)
    _ok(stage.act("workflow_run", _relay_run(stage, number), RELAY), "relay", "land")
    assert _merged(stage, number)
    assert stage.main_entries()[-1] == entry()
    assert stage.srv.count("GET", r"/collaborators/maint/permission$") == 1  # the relay's, handed over


def test_the_relay_ignores_runs_of_other_events(stage: ActStage) -> None:
    _ok(stage.act("workflow_run", _workflow_run("pull_request_target"), RELAY))


def test_an_issue_with_the_submission_label_opens_a_pr_and_one_without_starts_no_job(stage: ActStage) -> None:
    labelled = stage.open_issue(render_body(SINGLE_GPU))
    _ok(stage.act("issues", stage.issue_payload(labelled, "opened"), LEADERBOARD), "issue-form")
    pulls = stage.srv.api("admin").get(f"/repos/{REPO}/pulls")
    assert [p["head"]["ref"] for p in pulls] == [f"leaderboard/issue-{labelled}"]
    plain = stage.srv.create_issue(REPO, "A question", "How do I submit?", author="alice")
    _ok(stage.act("issues", stage.issue_payload(plain, "opened"), LEADERBOARD))
    assert stage.bot_comments(plain) == []
    assert len(stage.srv.api("admin").get(f"/repos/{REPO}/pulls")) == 1


def test_a_merge_command_merges_and_a_plain_comment_starts_no_job(stage: ActStage) -> None:
    number = stage.open_pr(SUBMISSION)
    _ok(stage.act("issue_comment", _comment_payload(stage, number, "Looks good!", "maint"), LEADERBOARD))
    assert not _merged(stage, number)
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    command = _comment_payload(stage, number, merge_command(head), "maint")
    _ok(stage.act("issue_comment", command, LEADERBOARD), "command", "land")
    assert _merged(stage, number)
    assert stage.main_entries()[-1] == entry()


def test_the_sweep_lands_the_queue_on_schedule_and_nothing_else_runs(stage: ActStage) -> None:
    """A queued pull request whose land job never ran (GitHub cancelled it while it waited): the
    scheduled run starts only the sweep, which merges it."""
    number = stage.open_pr(SUBMISSION)
    queued = stage.job("pull_request_review", stage.approval_payload(number, "maint"))  # the merge job only
    assert queued.outputs["queued"] == "true"
    assert not _merged(stage, number)
    schedule = {"schedule": "41 */3 * * *", "workflow": f".github/workflows/{LEADERBOARD}"}
    _ok(stage.act("schedule", schedule, LEADERBOARD), "sweep")
    assert _merged(stage, number)
    assert stage.main_entries()[-1] == entry()


def test_an_issue_labelled_later_opens_its_pr(stage: ActStage) -> None:
    """An issue filed before the submission label existed: labelling it starts the issue-form job."""
    number = stage.srv.create_issue(REPO, "[results] H100", render_body(SINGLE_GPU), author="alice")
    stage.srv.api("admin").post(f"/repos/{REPO}/issues/{number}/labels", {"labels": [SUBMISSION_LABEL]})
    _ok(stage.act("issues", stage.issue_payload(number, "labeled"), LEADERBOARD), "issue-form")
    pulls = stage.srv.api("admin").get(f"/repos/{REPO}/pulls")
    assert [p["head"]["ref"] for p in pulls] == [f"leaderboard/issue-{number}"]


def test_removing_the_submission_label_closes_the_issues_pr(stage: ActStage) -> None:
    """On `unlabeled` the label is no longer on the issue: the job's condition reads the event's label."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    _ok(stage.act("issues", stage.issue_payload(number, "opened"), LEADERBOARD), "issue-form")
    (pull,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls")
    stage.srv.api("maint").delete(f"/repos/{REPO}/issues/{number}/labels/{SUBMISSION_LABEL}")
    _ok(stage.act("issues", stage.issue_payload(number, "unlabeled"), LEADERBOARD), "issue-form")
    assert stage.srv.pull(REPO, pull["number"])["state"] == "closed"
    other = stage.issue_payload(number, "unlabeled", label="question")  # any other label: no job
    _ok(stage.act("issues", other, LEADERBOARD))


def test_the_pages_workflow_builds_and_deploys_the_site(stage: ActStage) -> None:
    _ok(stage.act("workflow_run", _workflow_run("pull_request_review", "cancelled"), PAGES))  # nothing new
    # A failed land run may have merged some of its pull requests: the page follows it too.
    _ok(stage.act("workflow_run", _workflow_run("pull_request_review", "failure"), PAGES), "build", "deploy")
    deployed = stage.artifacts(2) / "deployed"
    html = (deployed / "index.html").read_text(encoding="utf-8")
    data = (deployed / "data.js").read_text(encoding="utf-8")  # the page's entries, packed
    published = json.loads((ROOT / "data" / "leaderboard_single.json").read_text(encoding="utf-8"))
    assert '<script src="data.js?v=' in html
    assert data.startswith("window.LB_DATA = ")
    assert all(item["entry_id"] in data for item in published)
