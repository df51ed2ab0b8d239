"""Edits of published entries made to an older copy (LB310), against the stand-in: two pull requests
branched from the same main each change one entry, both allowed with `--allow-changes`. The second
used to land its whole copy of the entry over the first one's change, undoing it unseen; now it is
refused — merged one after the other or in one batch — and lands once its branch carries the first."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_stage import REPO, Stage
from tests.support.merge_stage import command, head, replies
from tests.support.standin import GitHubStandin

DATA = "data/leaderboard_single.json"
Edit = Callable[[list[dict[str, Any]]], None]


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _memory(entries: list[dict[str, Any]]) -> None:
    entries[1]["metrics"]["peak_mem_mb"] = 4242


def _notes(entries: list[dict[str, Any]]) -> None:
    entries[1]["metadata"]["notes"] = "re-measured by B"


def _drop(entries: list[dict[str, Any]]) -> None:
    del entries[1]


def _edit_pr(stage: Stage, branch: str, edit: Edit, base: str = "main") -> int:
    """A pull request that edits the data file as ``base`` holds it now."""
    entries = json.loads(stage.srv.read_file(REPO, DATA, base) or b"[]")
    edit(entries)
    stage.srv.commit(REPO, branch, {DATA: json.dumps(entries, indent=2) + "\n"}, base=base, author="alice")
    return stage.srv.open_pr(REPO, branch, author="alice", title=f"edit {branch}")


def _allow(stage: Stage, number: int) -> str:
    return f"/leaderboard merge {head(stage, number)} --allow-changes"


def _merged(stage: Stage, number: int) -> bool:
    return bool(stage.srv.pull(REPO, number)["merged"])


def test_a_change_made_to_an_older_copy_is_refused_and_the_first_change_kept(stage: Stage) -> None:
    original = stage.main_entries()[1]
    first, second = _edit_pr(stage, "edit-a", _memory), _edit_pr(stage, "edit-b", _notes)
    assert command(stage, first, _allow(stage, first)).code == 0
    assert _merged(stage, first)
    run = command(stage, second, _allow(stage, second), author="admin")
    assert not _merged(stage, second)
    entry = stage.main_entries()[1]
    assert entry["metrics"]["peak_mem_mb"] == 4242  # the first change stays
    assert entry["metadata"].get("notes") == original["metadata"].get("notes")
    said = replies(stage, second)
    assert "LB310" in said
    assert "changed on the base since this pull request branched off" in said
    assert (
        r"\(\$\.metrics\.peak\_mem\_mb\): merging this change would undo that" in said
    )  # what changed since
    assert run.code == 1


def test_the_same_two_changes_in_one_batch_land_the_first_only(stage: Stage) -> None:
    first, second = _edit_pr(stage, "edit-a", _memory), _edit_pr(stage, "edit-b", _notes)
    for number, who in ((first, "maint"), (second, "admin")):
        assert command(stage, number, _allow(stage, number), who, land=False).outputs["queued"] == "true"
    stage.land("workflow_dispatch", {"inputs": {}})  # one land job (the sweep's): both in its batch
    assert (_merged(stage, first), _merged(stage, second)) == (True, False)
    assert stage.main_entries()[1]["metrics"]["peak_mem_mb"] == 4242
    assert "LB310" in replies(stage, second)


def test_a_removal_of_an_entry_changed_since_is_refused(stage: Stage) -> None:
    changed, removal = _edit_pr(stage, "edit-a", _memory), _edit_pr(stage, "drop", _drop)
    command(stage, changed, _allow(stage, changed))
    before = stage.main_entries()
    command(stage, removal, _allow(stage, removal), author="admin")
    assert not _merged(stage, removal)
    assert stage.main_entries() == before
    assert "this removal was made to an older copy of it" in replies(stage, removal)


def test_the_change_lands_once_its_branch_is_up_to_date(stage: Stage) -> None:
    """After the first change, the second made again on main as it is now lands with both changes."""
    first = _edit_pr(stage, "edit-a", _memory)
    command(stage, first, _allow(stage, first))
    second = _edit_pr(stage, "edit-b", _notes)
    command(stage, second, _allow(stage, second), author="admin")
    assert _merged(stage, second)
    entry = stage.main_entries()[1]
    assert (entry["metrics"]["peak_mem_mb"], entry["metadata"]["notes"]) == (4242, "re-measured by B")
