"""The base index: built once per data file, it finds every published entry a submission can meet."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.crosschecks import configuration_key
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.base_probe import base_index, candidates
from bot.ledger.evaluate import Submission, evaluate
from tests.support.paths import ROOT


def _doc(entries: list[Any], name: str = "data/leaderboard_single.json") -> Document:
    raw = json.dumps(entries, indent=2, ensure_ascii=False).encode()
    result = load_bytes(name, raw, max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


def _real() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((ROOT / "data" / "leaderboard_single.json").read_text())
    return entries


@pytest.mark.parametrize("seed", range(15))
def test_the_index_finds_every_entry_with_a_wanted_id_or_the_same_configuration(seed: int) -> None:
    rng = random.Random(seed)
    base = [copy.deepcopy(e) for e in _real()]
    base.append(copy.deepcopy(rng.choice(base)))  # a duplicate id and configuration in the base
    submitted = [copy.deepcopy(rng.choice(base)) for _ in range(rng.randint(1, 3))]
    for entry in submitted:
        entry["entry_id"] = f"new-{rng.random()}"
        if rng.random() < 0.5:  # a lookalike spelling: the same configuration once folded
            entry["model"]["name"] = entry["model"]["name"].upper()
    wanted = {str(rng.choice(base)["entry_id"]) for _ in range(2)} | {str(submitted[0]["entry_id"])}
    doc = _doc(base)
    picked = candidates(doc, wanted, submitted)
    assert picked is not None
    assert picked == sorted(set(picked))
    keys = {configuration_key(e) for e in submitted}
    first = {}
    for index, entry in enumerate(base):
        first.setdefault(entry["entry_id"], index)
    must = {i for i, e in enumerate(base) if configuration_key(e) in keys}
    must |= {first[i] for i in wanted if i in first}
    assert must <= set(picked)


def test_the_index_is_built_once_and_kept_on_the_document() -> None:
    doc = _doc(_real())
    index = base_index(doc)
    assert index is not None
    assert base_index(doc) is index
    other = copy.deepcopy(_real()[0])
    other["model"]["name"], other["entry_id"] = "no-such-model", "no-such-id"
    assert index.candidates({"no-such-id"}, [other]) == []


def test_a_base_with_odd_shapes_has_no_index_and_is_read_whole() -> None:
    base = [*_real(), {"entry_id": "x", "workload": []}]
    doc = _doc(base)
    assert base_index(doc) is None
    submitted = copy.deepcopy(_real()[0])
    submitted["entry_id"] = "new"
    picked = candidates(doc, {"new"}, [submitted])
    assert picked is None or 0 in picked


def test_a_merge_against_the_index_reports_what_a_merge_against_the_whole_base_reports() -> None:
    real = _real()
    base_entries = [copy.deepcopy(e) for e in real]
    duplicate = copy.deepcopy(base_entries[3])
    duplicate["entry_id"] = "00000000-0000-4000-8000-000000000001"
    submission = _doc([duplicate], "data/submissions/new.json")
    multi = load_bytes(
        "data/leaderboard_multi.json",
        (ROOT / "data" / "leaderboard_multi.json").read_bytes(),
        max_bytes=10**8,
        max_depth=32,
    ).document
    assert multi is not None
    indexed = {"data/leaderboard_single.json": _doc(base_entries), "data/leaderboard_multi.json": multi}
    outcome = evaluate(indexed, Submission([submission]), Config())
    assert "LB304" in {f.rule for f in outcome.findings}  # the same configuration as base entry 3
    unindexed = {**indexed, "data/leaderboard_single.json": _doc(base_entries)}
    unindexed["data/leaderboard_single.json"].cache["base_index"] = None  # forces the whole-base read
    again = evaluate(unindexed, Submission([_doc([duplicate], "data/submissions/new.json")]), Config())
    assert [(f.rule, f.path, f.message) for f in outcome.findings] == [
        (f.rule, f.path, f.message) for f in again.findings
    ]
    assert outcome.merge.texts == again.merge.texts
