"""Entry-level and field-level differences between two versions of the data."""

from __future__ import annotations

import copy
import json

from bot.ledger.diff import FieldChange, diff_entries, field_changes, index_entries
from tests.support.paths import ROOT

SINGLE = json.loads((ROOT / "data" / "leaderboard_single.json").read_text())
MULTI = json.loads((ROOT / "data" / "leaderboard_multi.json").read_text())
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())


def test_field_changes_are_leaf_level_with_json_paths() -> None:
    old = {"a": {"b": 1, "c": [1, 2]}, "gone": True}
    new = {"a": {"b": 2, "c": [1, 3]}, "new": None}
    assert field_changes(old, new) == [
        FieldChange("$.a.b", 1, 2),
        FieldChange("$.a.c[1]", 2, 3),
        FieldChange("$.gone", True, None),
        FieldChange("$.new", None, None),
    ]
    assert field_changes({"x": 1}, {"x": 1.0}) == [FieldChange("$.x", 1, 1.0)]


def test_added_removed_changed_and_moved() -> None:
    base = index_entries({"leaderboard_single.json": SINGLE, "leaderboard_multi.json": MULTI})
    head_single = [*copy.deepcopy(SINGLE[1:]), EXAMPLE]
    head_single[0]["metrics"]["ttft_ms"] = 1.5
    moved = copy.deepcopy(MULTI[0])
    head = index_entries({"leaderboard_single.json": [*head_single, moved], "leaderboard_multi.json": []})
    result = diff_entries(base, head).as_json()
    assert result["added"] == [EXAMPLE["entry_id"]]
    assert result["removed"] == [SINGLE[0]["entry_id"]]
    assert result["changed"] == sorted([SINGLE[1]["entry_id"], MULTI[0]["entry_id"]])
    assert result["changes"][SINGLE[1]["entry_id"]] == [
        {"path": "$.metrics.ttft_ms", "old": SINGLE[1]["metrics"]["ttft_ms"], "new": 1.5}
    ]
    assert result["changes"][MULTI[0]["entry_id"]] == [
        {"path": "file", "old": "leaderboard_multi.json", "new": "leaderboard_single.json"}
    ]
