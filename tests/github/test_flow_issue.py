"""Issue-form submissions end to end: issue → checked form → one pull request → merge → issue closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.form.fields import CONFIRM_OPTION
from bot.form.generator import SUBMISSION_LABEL
from bot.github.issue import NOTE_FIX
from bot.render.comment import MARKER
from tests.support.bot_stage import REPO, Stage, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.standin import GitHubStandin

BRANCH = "leaderboard/issue-{number}"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _pulls(stage: Stage) -> list[dict[str, object]]:
    pulls: list[dict[str, object]] = stage.srv.api("admin").get(f"/repos/{REPO}/pulls", state="all")
    return pulls


def test_a_valid_form_opens_one_pull_request(stage: Stage) -> None:
    number = stage.open_issue(render_body(SINGLE_GPU))
    run = stage.issue_event(number, "opened")
    assert run.code == 0, run.summary
    (pull,) = _pulls(stage)
    assert pull["title"] == f"Add leaderboard results from #{number}"
    assert f"Closes #{number}" in str(pull["body"])
    assert pull["head"]["ref"] == BRANCH.format(number=number)  # type: ignore[index]
    text = stage.srv.read_file(REPO, f"data/submissions/issue-{number}.json", BRANCH.format(number=number))
    entry = json.loads(text or b"{}")
    assert entry["metadata"]["submitter"] == "alice"
    assert entry["metadata"]["data_source"] == "community-contribution"
    (issue_comment,) = stage.bot_comments(number)
    assert f"#{pull['number']} carries this submission" in issue_comment["body"]
    (pr_comment,) = stage.bot_comments(int(pull["number"]))  # type: ignore[arg-type]
    assert pr_comment["body"].startswith(MARKER)
    assert "Ready to merge" in pr_comment["body"]
    labels = {label["name"] for label in stage.srv.issue(REPO, int(pull["number"]))["labels"]}  # type: ignore[arg-type]
    assert "leaderboard: valid" in labels
    assert run.requests <= 10, f"issue-form submission took {run.requests} requests"


def test_editing_the_issue_updates_the_same_pull_request(stage: Stage) -> None:
    number = stage.open_issue(render_body(SINGLE_GPU))
    stage.issue_event(number, "opened")
    run = stage.edit_issue(number, render_body({**SINGLE_GPU, "ttft_ms": "33.3"}))
    assert run.code == 0, run.summary
    (pull,) = _pulls(stage)
    text = stage.srv.read_file(REPO, f"data/submissions/issue-{number}.json", BRANCH.format(number=number))
    assert json.loads(text or b"{}")["metrics"]["ttft_ms"] == 33.3
    assert len(stage.bot_comments(number)) == 1
    assert len(stage.bot_comments(int(pull["number"]))) == 1  # type: ignore[arg-type]
    assert run.requests <= 10, f"issue edit took {run.requests} requests"


def test_a_title_edit_leaves_the_pull_request_and_its_approvals_alone(stage: Stage) -> None:
    number = stage.open_issue(render_body(SINGLE_GPU))
    stage.issue_event(number, "opened")
    branch = BRANCH.format(number=number)
    head = stage.srv.ref_sha(REPO, f"refs/heads/{branch}")
    stage.srv.api("maint").patch(f"/repos/{REPO}/issues/{number}", {"title": "[results] H100, tidied"})
    payload = stage.issue_payload(number, "edited")
    payload["changes"] = {"title": {"from": "[results] H100"}}  # as GitHub says what an edit changed
    run = stage.deliver("issues", payload)
    assert run.code == 0
    assert stage.srv.ref_sha(REPO, f"refs/heads/{branch}") == head  # an approval of it still counts
    assert run.requests == 0
    assert "Only the title" in run.summary


def test_an_invalid_form_is_answered_field_by_field_and_opens_nothing(stage: Stage) -> None:
    number = stage.open_issue(render_body({**SINGLE_GPU, "error_rate": "15", "throughput_tps": "fast"}))
    run = stage.issue_event(number, "opened")
    assert run.code == 1
    assert _pulls(stage) == []
    (comment,) = stage.bot_comments(number)
    assert "Error rate \\(0–1\\)" in comment["body"]  # as escaped Markdown
    assert "Throughput \\(tokens/s\\)" in comment["body"]
    assert "Edit the issue to fix the problems above" in comment["body"]


def test_from_issue_to_merged_data_and_closed_issue(stage: Stage) -> None:
    number = stage.open_issue(render_body(SINGLE_GPU))
    stage.issue_event(number, "opened")
    (pull,) = _pulls(stage)
    before = len(stage.main_entries())
    run = stage.approve(int(pull["number"]), "maint")  # type: ignore[arg-type]
    assert run.code == 0, run.summary
    assert len(stage.main_entries()) == before + 1
    assert stage.main_entries()[-1]["metadata"]["submitter"] == "alice"
    assert stage.srv.issue(REPO, number)["state"] == "closed"


def test_an_edit_that_breaks_the_form_closes_its_pull_request_until_it_is_fixed(stage: Stage) -> None:
    """The pull request carries the previous valid text: left open, one approval would publish numbers
    the issue no longer says."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    stage.issue_event(number, "opened")
    (pull,) = _pulls(stage)
    first = int(pull["number"])  # type: ignore[arg-type]
    before = stage.main_entries()
    run = stage.edit_issue(number, render_body({**SINGLE_GPU, "ttft_ms": "52,1 ms"}))
    assert run.code == 1
    assert stage.srv.pull(REPO, first)["state"] == "closed"
    (pr_comment,) = stage.bot_comments(first)
    assert "no longer holds a valid submission" in pr_comment["body"]
    assert "Ready to merge" not in pr_comment["body"]
    (issue_comment,) = stage.bot_comments(number)
    assert f"#{first} carried the previous version of this submission and is closed" in issue_comment["body"]
    stage.approve(first, "maint")  # a closed pull request is never merged
    assert not stage.srv.pull(REPO, first)["merged"]
    assert stage.main_entries() == before
    fixed = stage.edit_issue(number, render_body({**SINGLE_GPU, "ttft_ms": "52.1"}))
    assert fixed.code == 0, fixed.summary
    (reopened,) = [p for p in _pulls(stage) if p["state"] == "open"]
    assert reopened["number"] != first
    assert stage.approve(int(reopened["number"]), "maint").code == 0  # type: ignore[arg-type]
    assert stage.main_entries()[-1]["metrics"]["ttft_ms"] == 52.1


def _open_submission(stage: Stage) -> tuple[int, int]:
    """A valid issue and the pull request it opened: (issue, pull request)."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    stage.issue_event(number, "opened")
    (pull,) = _pulls(stage)
    return number, int(pull["number"])  # type: ignore[arg-type]


def _withdrawn(stage: Stage, number: int, pr: int, why: str) -> None:
    """The pull request is closed, says why, and an approval of it merges nothing."""
    assert stage.srv.pull(REPO, pr)["state"] == "closed"
    (pr_comment,) = stage.bot_comments(pr)
    assert f"#{number} {why}, so its submission is withdrawn" in pr_comment["body"]
    (issue_comment,) = stage.bot_comments(number)
    assert f"#{pr} is closed, as this issue {why}" in issue_comment["body"]
    before = stage.main_entries()
    stage.approve(pr, "maint")
    assert not stage.srv.pull(REPO, pr)["merged"]
    assert stage.main_entries() == before


def test_closing_the_issue_withdraws_its_pull_request_and_reopening_submits_again(stage: Stage) -> None:
    number, pr = _open_submission(stage)
    stage.srv.api("alice").patch(f"/repos/{REPO}/issues/{number}", {"state": "closed"})
    assert stage.issue_event(number, "closed").code == 0
    _withdrawn(stage, number, pr, "was closed")
    stage.srv.api("alice").patch(f"/repos/{REPO}/issues/{number}", {"state": "open"})
    assert stage.issue_event(number, "reopened").code == 0
    (again,) = [p for p in _pulls(stage) if p["state"] == "open"]
    assert again["number"] != pr
    assert stage.approve(int(again["number"]), "maint").code == 0  # type: ignore[arg-type]
    assert stage.main_entries()[-1]["metadata"]["submitter"] == "alice"


def test_removing_the_submission_label_withdraws_its_pull_request(stage: Stage) -> None:
    number, pr = _open_submission(stage)
    stage.srv.api("maint").delete(f"/repos/{REPO}/issues/{number}/labels/{SUBMISSION_LABEL}")
    assert stage.issue_event(number, "unlabeled").code == 0
    _withdrawn(stage, number, pr, f"lost its `{SUBMISSION_LABEL}` label")


def test_a_merged_submission_is_left_alone_when_its_issue_closes(stage: Stage) -> None:
    number, pr = _open_submission(stage)
    assert stage.approve(pr, "maint").code == 0
    comments = stage.bot_comments(pr)
    closed = stage.issue_event(number, "closed")  # GitHub closed it: the merged pull request said so
    assert closed.code == 0
    assert stage.bot_comments(pr) == comments
    assert closed.requests == 1  # the one look for an open pull request


def test_a_long_answer_leaves_room_for_the_notes_below_it(stage: Stage) -> None:
    """400 pasted entries with every field missing, and the form's other headings deleted: the report
    is cut to fit GitHub's 65,536 characters with the form notes and the closing note below it."""
    paste = json.dumps([{"metadata": {}} for _ in range(400)])
    body = f"### Entry (JSON or YAML)\n\n```json\n{paste}\n```\n\n### Confirmation\n\n- [X] {CONFIRM_OPTION}"
    number = stage.open_issue(body)
    assert stage.issue_event(number, "opened").code == 1
    (comment,) = stage.bot_comments(number)
    assert len(comment["body"]) <= 65_536
    assert "**About the form:**" in comment["body"]
    assert comment["body"].endswith(NOTE_FIX)


def test_a_pull_request_a_maintainer_closed_is_not_submitted_again(stage: Stage) -> None:
    number, pr = _open_submission(stage)
    stage.srv.api("maint").patch(f"/repos/{REPO}/pulls/{pr}", {"state": "closed"})  # rejected
    run = stage.edit_issue(number, render_body({**SINGLE_GPU, "ttft_ms": "33.3"}))
    assert run.code == 0
    assert [p["number"] for p in _pulls(stage)] == [pr]  # no new pull request
    assert stage.srv.pull(REPO, pr)["state"] == "closed"
    (comment,) = stage.bot_comments(number)
    assert f"a maintainer closed #{pr}" in comment["body"]


def test_an_issue_reopened_after_its_merge_is_told_so_not_asked_to_fix_it(stage: Stage) -> None:
    number, pr = _open_submission(stage)
    assert stage.approve(pr, "maint").code == 0
    stage.srv.api("alice").patch(f"/repos/{REPO}/issues/{number}", {"state": "open"})
    run = stage.issue_event(number, "reopened")
    assert run.code == 0
    (comment,) = stage.bot_comments(number)
    assert f"#{pr} merged this submission already" in comment["body"]
    assert "LB302" not in comment["body"]
    assert len(_pulls(stage)) == 1


def test_issues_without_the_label_are_ignored(stage: Stage) -> None:
    number = stage.srv.create_issue(REPO, "question", "hello", author="alice")
    run = stage.issue_event(number, "opened")
    assert run.code == 0
    assert stage.bot_comments(number) == []
    assert _pulls(stage) == []


def test_a_repository_that_forbids_actions_prs_gets_a_clear_message(
    github_standin: GitHubStandin, tmp_path: Path
) -> None:
    stage = Stage(github_standin, tmp_path, allow_actions_prs=False)
    number = stage.open_issue(render_body(SINGLE_GPU))
    run = stage.issue_event(number, "opened")
    assert run.code == 1
    assert "Allow GitHub Actions to create and approve pull requests" in run.stderr


def test_a_heading_deleted_from_the_issue_is_pointed_out(stage: Stage) -> None:
    """An edit that deletes a field's heading is not an empty answer: the reply says which one is gone
    (a form as GitHub writes it gets no such note)."""
    complete = render_body(SINGLE_GPU)
    start = complete.index("### Notes")
    end = complete.find("### ", start + 1)
    number = stage.open_issue(complete[:start] + (complete[end:] if end != -1 else ""))
    run = stage.issue_event(number, "opened")
    assert run.code == 0, run.summary
    (reply,) = stage.bot_comments(number)
    assert '**About the form:**\n- the field "Notes" is missing from the issue' in reply["body"]
    assert len(_pulls(stage)) == 1  # an optional field: the submission goes ahead
    other = stage.open_issue(complete)
    stage.issue_event(other, "opened")
    assert "About the form" not in stage.bot_comments(other)[0]["body"]


def test_a_pasted_entry_cannot_name_another_submitter(stage: Stage) -> None:
    """The form promises "you as the submitter": a pasted metadata.submitter naming someone else (here
    a maintainer) is replaced by the issue's author, with an LB207 warning at the pasted line."""
    pasted = entry(metadata__submitter="maint")
    pasted.pop("entry_id")
    body = render_body({"entry": json.dumps(pasted, indent=2), "confirm": SINGLE_GPU["confirm"]})
    number = stage.open_issue(body, author="alice")
    run = stage.issue_event(number, "opened")
    assert run.code == 0, run.summary
    text = stage.srv.read_file(REPO, f"data/submissions/issue-{number}.json", BRANCH.format(number=number))
    assert json.loads(text or b"{}")["metadata"]["submitter"] == "alice"
    (pull,) = _pulls(stage)
    (comment,) = stage.bot_comments(int(pull["number"]))  # type: ignore[arg-type]
    assert "LB207" in comment["body"]
    assert "the submitter of this issue is its author, alice" in comment["body"]
