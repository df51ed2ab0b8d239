"""A pull request that edits a data file is judged against the data files at its merge base. The bot
rebuilds them from the listed patches and the head, without asking GitHub which commit the merge base
is, and falls back to asking (compare, then reads at that commit) whenever the listing cannot be relied
on. Each test compares what the bot used with the files at the real merge base on the stand-in."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.contract.config import Config
from bot.github.api import GitHubAPI, client_from_env
from bot.github.pr_gather import Gathered, PullSource, gather
from tests.support.bot_stage import REPO, Stage, entry
from tests.support.standin import GitHubStandin

SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"
LATE = "0f0e0d0c-0b0a-4908-8706-050403020100"  # published on main after the branch was made
ADDED = "0e0e0d0c-0b0a-4908-8706-050403020100"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _text(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2) + "\n"


def _gather(stage: Stage, number: int, head_sha: str) -> tuple[Gathered, list[tuple[str, str]]]:
    """What the bot gathers for the pull request, and the requests it made for it (method, last part)."""
    before = len(stage.srv.requests)
    env = {"GITHUB_API_URL": stage.srv.url, "GITHUB_TOKEN": stage.token}
    api = GitHubAPI(client_from_env(env), REPO)  # the bot's own client (lazy, as in a run)
    gathered = gather(api, PullSource(number, head_sha, "main", "alice"), Config(), "data")
    made = [(r.method, r.path.rsplit("/", 1)[-1]) for r in stage.srv.requests[before:]]
    return gathered, made


def _at(stage: Stage, path: str, ref: str) -> str:
    data = stage.srv.read_file(REPO, path, ref)
    assert data is not None
    return data.decode()


def _edit_pr(stage: Stage, files: dict[str, str]) -> tuple[int, str, str]:
    """Open the pull request, then move main on (a new entry, a changed multi file): the PR's number,
    its head and its merge base."""
    merge_base = stage.srv.ref_sha(REPO, "main")
    assert merge_base is not None
    number = stage.open_pr(files, branch="edit")
    late = [*stage.main_entries(), entry(entry_id=LATE, workload__batch_size=8)]
    multi = json.loads(_at(stage, MULTI, "main"))
    stage.srv.commit(REPO, "main", {SINGLE: _text(late), MULTI: json.dumps(multi) + "\n"}, author="admin")
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    return number, head, merge_base


def _removed_and_added(stage: Stage) -> dict[str, str]:
    entries = stage.main_entries()
    edited = [*entries[:5], *entries[6:], entry(entry_id=ADDED)]
    return {SINGLE: _text(edited)}


def test_the_edit_base_is_rebuilt_from_the_patch_without_asking_for_the_merge_base(stage: Stage) -> None:
    removed = stage.main_entries()[5]["entry_id"]
    number, head, merge_base = _edit_pr(stage, _removed_and_added(stage))
    gathered, made = _gather(stage, number, head)
    assert gathered.edit_base is not None
    assert {path: doc.text for path, doc in gathered.edit_base.items()} == {
        SINGLE: _at(stage, SINGLE, merge_base),
        MULTI: _at(stage, MULTI, merge_base),
    }
    assert made == [("GET", "files"), ("GET", "leaderboard_single.json"), ("GET", "leaderboard_multi.json")]
    run = stage.pr_event(number)
    assert json.loads(run.outputs["removed"]) == [removed]  # not the entry main published meanwhile
    assert json.loads(run.outputs["added"]) == [ADDED]
    assert stage.srv.count("GET", "/compare/") == 0


def test_both_data_files_edited_are_both_rebuilt(stage: Stage) -> None:
    files = _removed_and_added(stage)
    multi = json.loads(_at(stage, MULTI, "main"))
    files[MULTI] = _text([*multi[1:], multi[0]])  # reordered
    number, head, merge_base = _edit_pr(stage, files)
    gathered, made = _gather(stage, number, head)
    assert gathered.edit_base is not None
    assert gathered.edit_base[SINGLE].text == _at(stage, SINGLE, merge_base)
    assert gathered.edit_base[MULTI].text == _at(stage, MULTI, merge_base)
    # the two heads, nothing at the merge base
    assert made == [("GET", "files"), ("GET", "leaderboard_multi.json"), ("GET", "leaderboard_single.json")]


def test_a_head_that_moved_after_the_event_is_not_read_at_all(stage: Stage) -> None:
    """The listing is of the new head, which no longer changes the multi file (and could add files the
    event's head lacks): nothing is read at the event's head, whose check or merge no longer counts;
    the new head's own event checks it."""
    files = _removed_and_added(stage)
    multi = json.loads(_at(stage, MULTI, "main"))
    files[MULTI] = _text([*multi, {**multi[0], "entry_id": str(uuid.UUID(int=7))}])
    number, head, merge_base = _edit_pr(stage, files)
    stage.srv.commit(REPO, "edit", {MULTI: _at(stage, MULTI, merge_base)}, author="alice")
    gathered, made = _gather(stage, number, head)
    assert gathered.moved
    assert gathered.documents == []
    assert gathered.head == {}
    assert gathered.edit_base is None
    assert made == [("GET", "files")]


def test_a_data_file_too_large_for_a_patch_makes_the_bot_ask(stage: Stage) -> None:
    entries = stage.main_entries()
    big = [{**e, "entry_id": str(uuid.UUID(int=n))} for n, e in enumerate(entries * 3)]
    stage.srv.commit(REPO, "main", {SINGLE: _text(big)}, author="admin")
    number, head, merge_base = _edit_pr(stage, {SINGLE: _text([*big[1:], entry(entry_id=ADDED)])})
    listed = stage.srv.api("admin").get(f"/repos/{REPO}/pulls/{number}/files")
    assert [item.get("patch") for item in listed] == [None]  # GitHub leaves large patches out too
    gathered, made = _gather(stage, number, head)
    assert gathered.edit_base is not None
    assert gathered.edit_base[SINGLE].text == _at(stage, SINGLE, merge_base)
    assert [kind for kind in made if "..." in kind[1]] == [("GET", f"main...{head}")]
