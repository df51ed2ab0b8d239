"""Results pull requests end to end: PyGithub over HTTP against the stand-in, real payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.render.comment import MARKER
from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.standin import GitHubStandin, Symlink

OTHER_ID = "8a0c7f3e-5b1d-4e2a-9c6b-1f2e3d4c5b6a"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _check_runs(stage: Stage, sha: str) -> list[dict[str, object]]:
    runs: list[dict[str, object]] = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{sha}/check-runs")[
        "check_runs"
    ]
    return runs


def _annotations(stage: Stage, run_id: object) -> list[dict[str, object]]:
    items: list[dict[str, object]] = stage.srv.api("admin").get(
        f"/repos/{REPO}/check-runs/{run_id}/annotations"
    )
    return items


def _labels(stage: Stage, number: int) -> set[str]:
    return {label["name"] for label in stage.srv.issue(REPO, number)["labels"]}


def test_valid_pr_gets_one_comment_a_green_check_and_a_label(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    run = stage.pr_event(number)
    assert run.code == 0
    (comment,) = stage.bot_comments(number)
    assert comment["body"].startswith(MARKER)
    assert "✅ **Ready to merge**: 1 new entry." in comment["body"]
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    (check,) = _check_runs(stage, head)
    assert (check["name"], check["conclusion"]) == ("leaderboard", "success")
    assert _labels(stage, number) == {"leaderboard: valid"}
    assert run.outputs["valid"] == "true"
    assert json.loads(run.outputs["added"]) == [entry()["entry_id"]]
    assert run.outputs["pull-request"] == str(number)
    assert "Ready to merge" in run.summary
    assert run.requests <= 6, f"PR validation took {run.requests} requests"


def test_synchronize_updates_the_same_comment(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry(metrics__error_rate=12))})
    first = stage.pr_event(number)
    assert first.code == 1
    assert _labels(stage, number) == {"leaderboard: invalid"}
    stage.srv.commit(REPO, "results", {"data/submissions/h100.json": as_file(entry())}, author="alice")
    second = stage.pr_event(number, "synchronize")
    assert second.code == 0
    (comment,) = stage.bot_comments(number)
    assert "Ready to merge" in comment["body"]
    assert _labels(stage, number) == {"leaderboard: valid"}


def test_a_late_event_for_an_old_head_checks_and_posts_nothing(stage: Stage) -> None:
    """An event whose head a push has moved on: GitHub lists the new head's files, which need not exist
    at the old one (a 404 failed the run); the push's own event checks the new head."""
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    late = stage.pr_payload(number)
    stage.srv.commit(REPO, "results", {"data/submissions/more.json": as_file(entry(entry_id=OTHER_ID))})
    run = stage.deliver("pull_request_target", late)
    assert run.code == 0, run.stderr
    assert "head moved past" in run.summary
    assert stage.bot_comments(number) == []
    assert stage.pr_event(number, "synchronize").code == 0
    (comment,) = stage.bot_comments(number)
    assert "2 new entries" in comment["body"]


def test_invalid_pr_is_annotated_on_the_offending_lines(stage: Stage) -> None:
    bad = entry(metrics__error_rate=12)
    bad["hardware"]["vendor"] = "Nvidia"
    number = stage.open_pr({"data/submissions/bad.json": as_file(bad)})
    run = stage.pr_event(number)
    assert run.code == 1
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    (check,) = _check_runs(stage, head)
    assert check["conclusion"] == "failure"
    lines = sorted(
        (a["path"], a["start_line"], a["annotation_level"]) for a in _annotations(stage, check["id"])
    )
    assert lines == [
        ("data/submissions/bad.json", 8, "failure"),
        ("data/submissions/bad.json", 35, "failure"),
    ]
    (comment,) = stage.bot_comments(number)
    assert "`data/submissions/bad.json:35:19`" in comment["body"]


def test_a_pr_touching_workflows_is_reported(stage: Stage) -> None:
    files = {"data/submissions/h100.json": as_file(entry()), ".github/workflows/x.yml": "on: push\n"}
    number = stage.open_pr(files)
    run = stage.pr_event(number)
    assert run.code == 1
    (comment,) = stage.bot_comments(number)
    assert "\\.github/workflows/x\\.yml is outside the submission paths" in comment["body"]
    assert "(LB401)" in comment["body"]


def test_symlinks_are_refused(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/link.json": Symlink("../leaderboard_single.json")})
    run = stage.pr_event(number)
    assert run.code == 1
    assert "(LB402)" in stage.bot_comments(number)[0]["body"]


def test_a_user_comment_with_the_marker_is_not_the_bots(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    stage.srv.comment(REPO, number, f"{MARKER}\nspoofed", author="alice")
    stage.pr_event(number)
    bodies = [c["body"] for c in stage.srv.comments(REPO, number)]
    assert bodies[0] == f"{MARKER}\nspoofed"  # untouched
    assert len(stage.bot_comments(number)) == 1


def test_duplicate_bot_comments_are_cleaned_up_oldest_wins(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    bot = "github-actions[bot]"
    first = stage.srv.comment(REPO, number, f"{MARKER}\nold", author=bot)
    stage.srv.comment(REPO, number, f"{MARKER}\nduplicate", author=bot)
    stage.pr_event(number)
    (comment,) = stage.bot_comments(number)
    assert comment["id"] == first
    assert "Ready to merge" in comment["body"]


def test_a_pr_without_leaderboard_files_is_left_alone(stage: Stage) -> None:
    number = stage.open_pr({"README.md": "docs change\n"})
    run = stage.pr_event(number)
    assert run.code == 0
    assert stage.bot_comments(number) == []
    assert "nothing to check" in run.summary


def test_mechanical_fixes_become_suggested_changes(stage: Stage) -> None:
    fixable = entry()
    fixable["hardware"]["vendor"] = "Nvidia"
    number = stage.open_pr({"data/submissions/fix.json": as_file(fixable)})
    stage.pr_event(number)
    reviews = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/reviews")
    assert [r["user"]["login"] for r in reviews] == ["github-actions[bot]"]
    (comment,) = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/comments")
    assert (comment["path"], comment["line"]) == ("data/submissions/fix.json", 8)
    assert '```suggestion\n    "vendor": "NVIDIA",\n```' in comment["body"]
    assert stage.srv.count("GET", r"/commits/") == 0


def test_a_valid_pr_leaves_the_merged_data_for_the_page_preview(stage: Stage, tmp_path: Path) -> None:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    payload = stage.pr_payload(number, "opened")
    run = stage.deliver("pull_request_target", payload, {"RUNNER_TEMP": str(tmp_path / "runner")})
    preview = Path(run.outputs["preview"])
    merged = json.loads((preview / "leaderboard_single.json").read_text())
    assert merged[-1] == entry()
    assert (preview / "leaderboard_multi.json").is_file()
    (comment,) = stage.bot_comments(number)
    assert "`leaderboard-preview` artifact of [this run](https://github.example/" in comment["body"]
    invalid = stage.open_pr(
        {"data/submissions/bad.json": as_file(entry(metrics__error_rate=3))}, branch="bad"
    )
    rerun = stage.deliver(
        "pull_request_target", stage.pr_payload(invalid, "opened"), {"RUNNER_TEMP": str(tmp_path / "r2")}
    )
    assert "preview" not in rerun.outputs
