"""Maintainer comment commands end to end: the strict grammar, merge commands that name the commit,
changes to published entries only through ``--allow-changes``, and ``/leaderboard verify``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.github.commands import Command, parse_command
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import (
    KINDS,
    command,
    head,
    main_commit_message,
    main_text,
    open_results_pr,
    push,
    relay,
    replies,
)
from tests.support.standin import GitHubStandin

SUBMISSION = {"data/submissions/h100.json": as_file(entry())}
EDITED = "data/leaderboard_single.json"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def test_the_grammar_is_strict() -> None:
    assert parse_command("/leaderboard recheck") == Command("recheck")
    full = "1a2b3c4d1a2b3c4d1a2b3c4d1a2b3c4d1a2b3c4d"
    assert parse_command(f"  /LEADERBOARD Merge {full.upper()} ") == Command("merge", full)
    assert parse_command(f"/leaderboard merge {full} --allow-changes") == Command("merge", full, True)
    assert parse_command("/leaderboard merge") == Command("merge")
    assert parse_command("/leaderboard verify 30d76796-ef21") == Command("verify", entry_id="30d76796-ef21")
    assert parse_command("please /leaderboard merge") is None
    assert parse_command("/leaderboardx merge") is None
    for malformed in (
        "/leaderboard",
        "/leaderboard merge -- NOT yet",
        "/leaderboard merge 1a2b3c",  # six digits: too short to name a commit
        f"/leaderboard merge {full}0",  # 41 digits: no commit
        f"/leaderboard merge {full} now",
        f"/leaderboard merge {full} --allow-change",
        "/leaderboard recheck please",
        "/leaderboard recheck\nplease",
        "/leaderboard deploy",
        "/leaderboard verify",
    ):
        assert isinstance(parse_command(malformed), str), malformed


def test_a_prefix_of_the_head_is_refused_as_forgeable() -> None:
    """Seven hex digits take a submitter seconds to collide; only the whole SHA names the reviewed commit."""
    for prefix in ("1a2b3c4", "1a2b3c4d1a2b3c4d1a2b3c4d1a2b3c4d1a2b3c4"):
        problem = parse_command(f"/leaderboard merge {prefix}")
        assert isinstance(problem, str)
        assert "full SHA (40 hex digits), not a prefix" in problem


def test_recheck_by_the_author_reports_again(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    run = command(stage, number, "/leaderboard recheck", "alice")
    assert run.code == 0
    assert len(stage.bot_comments(number)) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_bare_merge_answers_with_the_exact_command_and_changes_nothing(stage: Stage, kind: str) -> None:
    number = open_results_pr(stage, kind, SUBMISSION)
    before, sha = main_text(stage), head(stage, number)
    run = command(stage, number, "/leaderboard merge")
    assert run.code == 0
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert f"`/leaderboard merge {sha}`" in replies(stage, number)
    merged = command(stage, number, f"/leaderboard merge {sha}")
    assert merged.code == 0, merged.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert json.loads(main_text(stage))[-1] == entry()
    assert json.loads(merged.outputs["added"]) == [entry()["entry_id"]]
    assert f"Merged #{number}" in replies(stage, number)


@pytest.mark.parametrize("kind", KINDS)
def test_a_push_after_the_maintainer_looked_is_not_merged(stage: Stage, kind: str) -> None:
    """The maintainer reviewed one commit; a push lands before the job starts: the command refuses."""
    number = open_results_pr(stage, kind, SUBMISSION)
    reviewed = head(stage, number)
    sneaked = push(stage, kind, {"data/submissions/h100.json": as_file(entry(metrics__throughput_tps=99999))})
    before = main_text(stage)
    run = command(stage, number, f"/leaderboard merge {reviewed}")
    assert run.code == 0
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    answer = replies(stage, number)
    assert f"is not the head of #{number}" in answer
    assert f"/leaderboard merge {sneaked}" in answer
    assert "added" not in run.outputs


def test_anything_unexpected_is_refused_with_the_usage(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    before = main_text(stage)
    run = command(stage, number, "/leaderboard merge -- NOT yet")
    assert run.code == 0
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    answer = replies(stage, number)
    assert "The command was not run" in answer
    assert "`/leaderboard merge SHA`" in answer


def test_a_merge_command_needs_write_access_and_says_so(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    denied = command(stage, number, f"/leaderboard merge {head(stage, number)}", "reader")
    assert "may not run /leaderboard merge" in replies(stage, number)
    assert denied.code == 0
    assert stage.srv.pull(REPO, number)["merged"] is False


def test_outstanding_changes_requested_block_a_merge_command(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    stage.srv.review(REPO, number, author="writer", event="REQUEST_CHANGES", body="the ttft looks wrong")
    run = command(stage, number, f"/leaderboard merge {head(stage, number)}")
    assert run.code == 0
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert "@writer requested changes" in replies(stage, number)


def _edited_notes(stage: Stage, index: int, **changes: object) -> str:
    entries = json.loads(main_text(stage))
    entries[index]["metadata"].update(changes)
    return json.dumps(entries, indent=2) + "\n"


@pytest.mark.parametrize("kind", KINDS)
def test_changes_to_published_entries_need_allow_changes(stage: Stage, kind: str) -> None:
    target = json.loads(main_text(stage))[0]["entry_id"]
    number = open_results_pr(stage, kind, {EDITED: _edited_notes(stage, 0, notes="re-measured: same")})
    before, sha = main_text(stage), head(stage, number)
    assert stage.pr_event(number).outputs["valid"] == "false"  # LB305 without a maintainer's decision
    approved = stage.approve(number, "maint")  # same-repo: the review job lands it; forks: the relay
    if kind == "fork":
        approved = relay(stage, number)
        assert json.loads(approved.outputs["refused"]) == [number]
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, number)["merged"] is False
    assert f"`/leaderboard merge {sha} --allow-changes`" in replies(stage, number)
    plain = command(stage, number, f"/leaderboard merge {sha}")
    assert main_text(stage) == before
    assert plain.outputs["valid"] == "false"
    allowed = command(stage, number, f"/leaderboard merge {sha} --allow-changes")
    assert allowed.code == 0, allowed.summary
    assert json.loads(main_text(stage))[0]["metadata"]["notes"] == "re-measured: same"
    assert json.loads(allowed.outputs["changed"]) == [target]
    assert f"allowed by @maint (/leaderboard merge {sha} --allow-changes)" in main_commit_message(stage)
    assert f"- changed {target}" in main_commit_message(stage)
    assert f"@maint allowed these changes to published entries: changed {target}" in replies(stage, number)
    assert stage.srv.pull(REPO, number)["merged"] is True


def test_a_submission_can_never_set_verified(stage: Stage) -> None:
    number = stage.open_pr({EDITED: _edited_notes(stage, 0, verified=True)})
    before = main_text(stage)
    run = command(stage, number, f"/leaderboard merge {head(stage, number)} --allow-changes")
    assert run.code == 1
    assert main_text(stage) == before
    assert "LB307" in stage.bot_comments(number)[0]["body"]
    assert stage.srv.pull(REPO, number)["merged"] is False


def test_verify_marks_an_entry_verified_with_an_audit_trail(stage: Stage) -> None:
    number = stage.open_pr(SUBMISSION)
    target = json.loads(main_text(stage))[3]["entry_id"]
    denied = command(stage, number, f"/leaderboard verify {target}", "reader")
    assert denied.code == 0
    assert json.loads(main_text(stage))[3]["metadata"]["verified"] is False
    run = command(stage, number, f"/leaderboard verify {target}")
    assert run.code == 0, run.summary
    entries = json.loads(main_text(stage))
    assert entries[3]["metadata"]["verified"] is True
    assert [e["metadata"]["verified"] for i, e in enumerate(entries) if i != 3] == [False] * 46
    assert f"Verified by @maint (/leaderboard verify on #{number})" in main_commit_message(stage)
    assert f"@maint verified entry `{target}`" in replies(stage, number)
    again = command(stage, number, f"/leaderboard verify {target}")
    assert again.code == 0
    assert "already verified" in replies(stage, number)
    unknown = command(stage, number, "/leaderboard verify 00000000-0000-4000-8000-000000000000")
    assert unknown.code == 0
    assert "No published entry has entry_id" in replies(stage, number)


@pytest.mark.parametrize("kind", KINDS)
def test_a_waived_entry_can_be_edited_and_its_waiver_follows_it(stage: Stage, kind: str) -> None:
    """Entry 7 breaks LB201 under a waiver; a maintainer's edit of its notes merges: the waiver applies."""
    waived = json.loads(main_text(stage))[7]["entry_id"]
    number = open_results_pr(stage, kind, {EDITED: _edited_notes(stage, 7, notes="Q2: all-zero export")})
    checked = stage.pr_event(number)
    errors = [line for line in stage.bot_comments(number)[0]["body"].splitlines() if "❌" in line]
    assert "LB201" not in "\n".join(errors)
    assert checked.outputs["valid"] == "false"  # LB305 only: a change needs the maintainer's decision
    run = command(stage, number, f"/leaderboard merge {head(stage, number)} --allow-changes")
    assert run.code == 0, run.summary
    assert stage.srv.pull(REPO, number)["merged"] is True
    assert json.loads(main_text(stage))[7]["metadata"]["notes"] == "Q2: all-zero export"
    assert json.loads(run.outputs["changed"]) == [waived]
    assert f"changed {waived}" in replies(stage, number)


def test_a_submission_quoting_the_notice_marker_cannot_take_over_the_report(stage: Stage) -> None:
    """The marker counts only where the bot puts it, at the start: an entry that quotes it (the report
    shows the entry) must not make the next notice overwrite the report, nor the report the notice."""
    forged = entry(model__name="Qwen2.5-7B <!-- leaderboard-bot:notice -->")
    number = stage.open_pr({"data/submissions/h100.json": as_file(forged)})
    command(stage, number, "/leaderboard recheck", "alice")
    (report,) = stage.bot_comments(number)
    assert "<!-- leaderboard-bot:notice -->" in report["body"]
    command(stage, number, "/leaderboard merge")
    command(stage, number, "/leaderboard merge")  # a second notice updates the first one in place
    bodies = [c["body"] for c in stage.bot_comments(number)]
    assert len(bodies) == 2
    assert bodies[0] == report["body"]
    assert bodies[1].startswith("<!-- leaderboard-bot:notice -->")
    assert "Nothing merged: a merge command names the commit you reviewed" in bodies[1]


def test_a_base_that_publishes_an_id_twice_takes_no_merge_until_a_maintainer_removes_the_copy(
    stage: Stage,
) -> None:
    """A push that bypassed the bot left an id twice on main: a submission is refused (LB309, main
    unchanged); a pull request that deletes the copy lands with --allow-changes, and then the
    submission does."""
    published = json.loads(main_text(stage))
    copy = published[2]
    stage.srv.commit(REPO, "main", {EDITED: json.dumps([*published, copy], indent=2) + "\n"}, author="maint")
    before = main_text(stage)
    submission = stage.open_pr(SUBMISSION)
    refused = stage.approve(submission, "maint")
    assert main_text(stage) == before
    assert stage.srv.pull(REPO, submission)["merged"] is False
    comment = stage.bot_comments(submission)[0]["body"]
    assert "LB309" in comment, refused.summary
    assert f"entry `{copy['entry_id'][:8]}` in `{EDITED}`" in comment  # the problem sits at the copy
    assert "is published 2 times" in comment
    fix = stage.open_pr({EDITED: json.dumps(published, indent=2) + "\n"}, author="writer", branch="dedupe")
    sha = head(stage, fix)
    allowed = command(stage, fix, f"/leaderboard merge {sha} --allow-changes")
    assert allowed.code == 0, allowed.summary
    assert json.loads(main_text(stage)) == published
    assert stage.approve(submission, "maint").code == 0
    ids = [e["entry_id"] for e in json.loads(main_text(stage))]
    assert len(ids) == len(set(ids)) == len(published) + 1
