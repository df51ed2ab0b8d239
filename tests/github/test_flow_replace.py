"""`merge.same_config_policy: replace` against the stand-in: an approved entry with the configuration of
a published one replaces it, and the merge commit names both ids; a verified entry is never replaced
by a plain approval (the new one is added beside it, with a warning saying why)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import main_commit_message, replies
from tests.support.standin import GitHubStandin

DATA = "data/leaderboard_single.json"
CONFIG = ".github/leaderboard-bot.yml"
NEW_ID = "0f0e0d0c-0b0a-4908-8706-050403020100"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _publish_example(stage: Stage, *, verified: bool) -> str:
    """Publish the single-GPU example on main and switch the policy to replace; the example's id."""
    published = entry(metadata__verified=verified)
    entries = [*stage.main_entries(), published]
    config = (stage.srv.read_file(REPO, CONFIG, "main") or b"").decode()
    assert "same_config_policy: keep-both" in config
    files = {
        DATA: json.dumps(entries, indent=2) + "\n",
        CONFIG: config.replace("same_config_policy: keep-both", "same_config_policy: replace"),
    }
    stage.srv.commit(REPO, "main", files, author="admin")
    return str(published["entry_id"])


def _submit_twin(stage: Stage) -> int:
    """A pull request with the example's configuration under a new id, checked, then approved by a
    maintainer who saw the check's comment."""
    twin = entry(entry_id=NEW_ID, metrics__throughput_tps=150.0)
    number = stage.open_pr({"data/submissions/twin.json": as_file(twin)})
    assert stage.pr_event(number).code == 0
    assert stage.approve(number).code == 0
    assert stage.srv.pull(REPO, number)["merged"]
    return number


def test_an_entry_of_the_same_configuration_replaces_the_published_one(stage: Stage) -> None:
    old = _publish_example(stage, verified=False)
    number = _submit_twin(stage)
    ids = [e["entry_id"] for e in stage.main_entries()]
    assert (ids.count(NEW_ID), ids.count(old)) == (1, 0)
    assert f"- replaced {old} with {NEW_ID} ({DATA})" in main_commit_message(stage)
    said = replies(stage, number)  # what the maintainer saw before approving
    assert f"replaces published entry `{old}`" in said
    assert r"replaces it \(same\_config\_policy: replace\)" in said


def test_a_verified_entry_is_kept_beside_the_new_one(stage: Stage) -> None:
    old = _publish_example(stage, verified=True)
    number = _submit_twin(stage)
    entries = {e["entry_id"]: e for e in stage.main_entries()}
    assert entries[old]["metadata"]["verified"] is True  # not replaced, still verified
    assert entries[NEW_ID]["metadata"].get("verified", False) is False
    assert f"- added {NEW_ID} ({DATA})" in main_commit_message(stage)
    said = replies(stage, number)
    assert "same configuration as the verified entry" in said
    assert "never replaces a verified entry" in said
    assert "replaces published entry" not in said
