"""LB310: a change or removal of a published entry made to an older copy of it (the data files where the
pull request branched off) is refused, allowed or not, unless nothing made since would be undone."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from bot.contract.config import Config, load_config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.stale import MOST_NAMED, changed_fields, overtaken
from tests.support.paths import ROOT

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone.utc)
SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"
REAL = json.loads((ROOT / SINGLE).read_text(encoding="utf-8"))


def _files(single: list[dict[str, Any]]) -> dict[str, Document]:
    result = {}
    for name, data in ((SINGLE, single), (MULTI, json.loads((ROOT / MULTI).read_text(encoding="utf-8")))):
        loaded = load_bytes(name, json.dumps(data, indent=2).encode(), max_bytes=10**8, max_depth=32)
        assert loaded.document is not None, loaded.findings
        result[name] = loaded.document
    return result


def _with(index: int, section: str, key: str, value: Any) -> list[dict[str, Any]]:
    data = copy.deepcopy(REAL)
    data[index][section][key] = value
    return data


def _evaluate(published: list[dict[str, Any]], head: list[dict[str, Any]]) -> Outcome:
    """A pull request that branched off the real data and edited it into ``head``, merged into
    ``published``, with changes allowed."""
    submission = Submission([], head={SINGLE: _files(head)[SINGLE]}, edit_base=_files(REAL))
    return evaluate(_files(published), submission, Config(), now=NOW, allow_changes=True)


def _stale(outcome: Outcome) -> list[str]:
    return [f"{f.path}: {f.message}" for f in outcome.findings if f.rule == "LB310"]


def test_a_change_to_an_entry_changed_since_is_refused_and_names_what_changed() -> None:
    published = _with(1, "metrics", "peak_mem_mb", 4242)
    outcome = _evaluate(published, _with(1, "metadata", "notes", "re-measured"))
    entry_id = REAL[1]["entry_id"]
    assert _stale(outcome) == [
        f"$[1]: entry {entry_id} changed on the base since this pull request branched off "
        "($.metrics.peak_mem_mb): merging this change would undo that"
    ]
    assert not outcome.merge.texts  # nothing may be written


def test_a_removal_of_an_entry_changed_since_is_refused() -> None:
    published = _with(1, "metrics", "peak_mem_mb", 4242)
    head = copy.deepcopy(REAL)
    del head[1]
    (message,) = _stale(_evaluate(published, head))
    assert message.endswith("($.metrics.peak_mem_mb): this removal was made to an older copy of it")


@pytest.mark.parametrize(
    ("published", "head"),
    [
        pytest.param(REAL, _with(1, "metadata", "notes", "re-measured"), id="unchanged-since"),
        pytest.param(_with(2, "metrics", "peak_mem_mb", 1), _with(1, "metadata", "notes", "x"), id="other"),
        pytest.param(_with(1, "metadata", "notes", "x"), _with(1, "metadata", "notes", "x"), id="same"),
    ],
)
def test_no_lb310_when_nothing_made_since_would_be_undone(
    published: list[dict[str, Any]], head: list[dict[str, Any]]
) -> None:
    outcome = _evaluate(published, head)
    assert _stale(outcome) == []
    assert outcome.errors == []


def test_without_an_edit_base_the_published_copy_is_the_edited_one() -> None:
    """The local `submit` of an edited data file: edits are taken against the files themselves."""
    head = _with(1, "metadata", "notes", "re-measured")
    submission = Submission([], head={SINGLE: _files(head)[SINGLE]})
    outcome = evaluate(_files(REAL), submission, Config(), now=NOW, allow_changes=True)
    assert _stale(outcome) == []


def test_the_message_names_the_first_fields_and_counts_the_rest() -> None:
    before = {"metrics": {f"m{i}": 1 for i in range(MOST_NAMED + 2)}}
    now = {"metrics": {f"m{i}": 2 for i in range(MOST_NAMED + 2)}}
    named = ", ".join(f"$.metrics.m{i}" for i in range(MOST_NAMED))
    assert changed_fields(before, now) == f"{named} and 2 more"


def test_lb310_cannot_be_waived() -> None:
    raw = b"waivers:\n  - entry_id: x\n    rule: LB310\n    reason: keep my copy\n"
    config, findings = load_config("leaderboard-bot.yml", raw)
    assert config.waivers == ()
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("LB010", 3, "rule LB310 guards the parser or the merge and cannot be changed")
    ]


A, B, C = ({"n": 1}, {"n": 2}, {"n": 3})  # three copies of one entry


@pytest.mark.parametrize(
    ("before", "proposed", "current", "expected"),
    [
        ({"x": A}, {"x": B}, {"x": A}, []),  # the base left it alone
        ({"x": A}, {"x": B}, {"x": C}, ["x"]),  # changed there too: the merge would undo that
        ({"x": A}, {"x": B}, {"x": B}, []),  # changed there the same way
        ({"x": A}, {"x": B}, {}, ["x"]),  # removed there: the change has nothing left to change
        ({"x": A}, {"x": A}, {"x": C}, []),  # not changed by the proposal
        ({"x": A}, {}, {"x": C}, ["x"]),  # removed by the proposal, changed there
        ({"x": A}, {}, {}, []),  # removed on both sides
        ({}, {"x": B}, {"x": C}, []),  # added by the proposal: nothing to overtake
        ({"x": A, "y": A}, {"x": B, "y": B}, {"x": C, "y": C}, ["x", "y"]),
    ],
)
def test_overtaken_names_what_the_base_changed_under_a_proposal(
    before: dict[str, Any], proposed: dict[str, Any], current: dict[str, Any], expected: list[str]
) -> None:
    assert overtaken(before, proposed, current) == expected
