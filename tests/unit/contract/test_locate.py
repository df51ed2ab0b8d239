"""Pointers map back to the exact source position of their value."""

from __future__ import annotations

import json
from typing import Any

from bot.contract.locate import JsonLocator, LineIndex
from tests.support.paths import ROOT

REAL = ROOT / "data"


def _leaves(value: Any, pointer: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*pointer, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*pointer, i))]
    return [(pointer, value)]


def test_every_leaf_of_the_real_data_is_located_at_its_own_text() -> None:
    decoder = json.JSONDecoder()
    for name in ("leaderboard_single.json", "leaderboard_multi.json"):
        text = (REAL / name).read_text(encoding="utf-8")
        locator = JsonLocator(text)
        leaves = _leaves(json.loads(text))
        assert len(leaves) > 40
        for pointer, value in leaves:
            decoded, _ = decoder.raw_decode(text, locator.offset(pointer))
            assert decoded == value, pointer


def test_missing_keys_fall_back_to_the_nearest_ancestor() -> None:
    text = '{\n  "a": {\n    "b": 1\n  }\n}'
    locator = JsonLocator(text)
    assert locator.position(("a", "zzz")) == (2, 8)
    assert locator.position(("nope",)) == (1, 1)
    assert locator.position(("a", "b", 5)) == (3, 10)


def test_line_index_counts_characters_not_bytes() -> None:
    index = LineIndex("é\nüx")
    assert index.line_col(3) == (2, 2)
