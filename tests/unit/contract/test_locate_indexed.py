"""The indexed locator answers exactly as the scanning locator, for every pointer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.contract.fastload import parse_data_array
from bot.contract.locate import IndexedJsonLocator, JsonLocator
from tests.support.paths import ROOT


def _pointers(value: Any, pointer: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every pointer into ``value``, plus missing keys and indices below each container."""
    found = [pointer]
    if isinstance(value, dict):
        found += [(*pointer, "missing"), (*pointer, 0)]
        for key, child in value.items():
            found += _pointers(child, (*pointer, key))
    elif isinstance(value, list):
        found += [(*pointer, len(value)), (*pointer, -1), (*pointer, "x")]
        for index, child in enumerate(value):
            found += _pointers(child, (*pointer, index))
    else:
        found.append((*pointer, "below"))
    return found


def _agree(text: str) -> None:
    parsed = parse_data_array(text, 64)
    assert parsed is not None, "the text must take the fast path"
    data, offsets = parsed
    pointers = _pointers(data)
    indexed = IndexedJsonLocator(text, offsets, data)
    scanned = JsonLocator(text, offsets)
    assert [indexed.offset(p) for p in pointers] == [scanned.offset(p) for p in pointers]
    assert indexed.positions(pointers) == scanned.positions(pointers)


@pytest.mark.parametrize("name", ["leaderboard_single.json", "leaderboard_multi.json"])
def test_every_pointer_of_the_real_data(name: str) -> None:
    _agree((ROOT / "data" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "items",
    [
        # the key also sits in an earlier sibling container, at any depth
        ['{"a": {"k": 1}, "k": 2}', '{"a": [{"b": {"k": 1}}], "k": 3}', '{"k": {"k": {"k": 1}}}'],
        # brackets and key-like text inside strings, escaped quotes
        ['{"s": "{\\"k\\": [", "k": 1}', '{"s": "x\\\\", "k": "]"}', '{"t": "\\"k\\": 1", "k": 2}'],
        # keys written with escapes, keys that need them, non-ASCII
        ['{"\\u006b": 1, "k2": {"k": 2}}', '{"a\\"b": 1, "é": {"ü": [1, {"k": 2}]}}'],
        # no backslash anywhere: the plain-file shortcut
        ['{"a": {"b": 1}, "b": 2, "c": [{"b": 3}]}', '{"x": [], "y": {}, "z": [[{"y": 1}]]}'],
    ],
)
def test_every_pointer_of_tricky_items(items: list[str]) -> None:
    _agree("[\n  " + ",\n  ".join(items) + "\n]\n")
    _agree("[\n" + ",\n".join(json.dumps(json.loads(i), indent="\t") for i in items) + "\n]")
