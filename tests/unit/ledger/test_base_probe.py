"""Candidates for a merge: never miss a published entry with the same id or configuration."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from bot.contract.crosschecks import configuration_key
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.base_probe import candidates
from tests.support.paths import ROOT


def _doc(entries: list[Any], indent: int | None = 2) -> Document:
    raw = json.dumps(entries, indent=indent, ensure_ascii=False).encode()
    result = load_bytes("leaderboard_single.json", raw, max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


def _base(seed: int) -> tuple[list[dict[str, Any]], random.Random]:
    real = json.loads((ROOT / "data" / "leaderboard_single.json").read_text(encoding="utf-8"))
    return [copy.deepcopy(e) for e in real], random.Random(seed)


def _must_meet(base: list[Any], wanted: set[str], submitted: list[dict[str, Any]]) -> set[int]:
    keys = {configuration_key(e) for e in submitted}
    return {
        i
        for i, e in enumerate(base)
        if isinstance(e, dict) and (e.get("entry_id") in wanted or configuration_key(e) in keys)
    }


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("indent", [2, None])
def test_every_entry_with_the_same_id_or_configuration_is_a_candidate(seed: int, indent: int | None) -> None:
    base, rng = _base(seed)
    submitted = [copy.deepcopy(rng.choice(base)) for _ in range(rng.randint(1, 3))]
    for entry in submitted:
        entry["entry_id"] = f"new-{rng.random()}"
        if rng.random() < 0.3:
            entry["model"]["name"] = 'Ünïcode "quoted" model'  # needs an escape: in no plain file
    wanted = {str(e["entry_id"]) for e in submitted} | {str(rng.choice(base)["entry_id"])}
    if rng.random() < 0.3:  # escapes in the file: the text search cannot be trusted, fields are read
        base[0]["metadata"]["notes"] = 'a "quoted" note'
    picked = candidates(_doc(base, indent), wanted, submitted)
    assert picked is not None
    assert picked == sorted(picked)
    assert _must_meet(base, wanted, submitted) <= set(picked)


def test_candidates_are_few_when_nothing_matches() -> None:
    base, _ = _base(0)
    other = copy.deepcopy(base[0])
    other["model"]["name"], other["entry_id"] = "no-such-model", "no-such-id"
    assert candidates(_doc(base), {"no-such-id"}, [other]) == []


def test_a_base_with_odd_shapes_is_read_whole() -> None:
    base, _ = _base(0)
    base.append({"entry_id": "x", "hardware": None})
    submitted = copy.deepcopy(base[0])
    submitted["model"] = {"name": 7}  # not text: the fields are compared instead, and hardware is None
    assert candidates(_doc(base), set(), [submitted]) is None


def test_a_submission_with_an_array_where_a_probe_field_belongs_is_compared_in_full() -> None:
    """fuzz-7: the submitted value was put in a set before the container test, and raised TypeError."""
    base, _ = _base(0)
    submitted = copy.deepcopy(base[0])
    submitted["hardware"]["chip_model"] = ["Ascend 910B"]
    assert candidates(_doc(base), set(), [submitted]) is None
