"""The canonical path (files in orjson's own layout) answers exactly as the precise loader, or not at all,
and its locator places every pointer where the scanning locator does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.contract.canonical import CanonicalLocator, item_starts, parse_canonical
from bot.contract.document import LoadResult
from bot.contract.loader import load_bytes, load_json_text_precise
from bot.contract.locate import JsonLocator
from tests.support.fuzz_strategies import hostile_text, json_values
from tests.support.paths import ROOT

REAL = ROOT / "data" / "leaderboard_single.json"


def _canonical_bytes(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def _load(raw: bytes) -> LoadResult:
    return load_bytes("leaderboard_single.json", raw, max_bytes=10**8, max_depth=32)


def _same_as_precise(raw: bytes) -> None:
    fast = _load(raw)
    precise = load_json_text_precise("leaderboard_single.json", raw.decode("utf-8"), max_depth=32)
    assert fast.findings == precise.findings
    assert (fast.document is None) == (precise.document is None)
    if fast.document is not None and precise.document is not None:
        assert fast.document.data == precise.document.data
        assert fast.document.item_offsets == precise.document.item_offsets


def _pointers(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, (*prefix, index))
    return found


def test_the_single_node_data_file_is_in_the_canonical_layout_and_the_tab_indented_one_is_not() -> None:
    raw = REAL.read_bytes()
    assert parse_canonical(raw, 32) == json.loads(raw)
    document = _load(raw).document
    assert document is not None
    assert isinstance(document.locator, CanonicalLocator)
    multi = (ROOT / "data" / "leaderboard_multi.json").read_bytes()
    assert parse_canonical(multi, 32) is None
    _same_as_precise(multi)


def test_every_pointer_of_the_real_data_is_placed_where_the_scanner_places_it() -> None:
    raw = REAL.read_bytes()
    document = _load(raw).document
    assert document is not None
    pointers = _pointers(document.data)
    missing = [(*p, "no-such-key") for p in pointers[1:200]] + [(10**6,), (0, "hardware", 99)]
    scanner = JsonLocator(document.text)
    expected = [scanner.position(p) for p in pointers + missing]
    assert document.locator.positions(pointers + missing) == expected
    assert document.locator.positions(list(reversed(pointers))) == list(reversed(expected[: len(pointers)]))


def test_lists_inside_entries_and_nested_objects_are_placed_exactly() -> None:
    data = [{"a": {"b": [1, {"c": [{"d": 2}, []], "e": {}}]}, "f": "x"}, {"a": {"b": []}, "c": 3}]
    raw = _canonical_bytes(data)
    document = _load(raw).document
    assert document is not None
    assert isinstance(document.locator, CanonicalLocator)
    pointers = _pointers(data)
    scanner = JsonLocator(raw.decode())
    assert document.locator.positions(pointers) == [scanner.position(p) for p in pointers]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace('"entry_id"', '"entry_id": "dup",\n    "entry_id"', 1),  # duplicate key
        lambda t: t.replace("79.25", "NaN", 1),
        lambda t: t.replace('"batch_size": 1', '"batch_size": 18446744073709551616', 1),  # beyond 64 bits
        lambda t: t.replace('"batch_size": 1', '"batch_size": 1e400', 1),
        lambda t: t.replace('"batch_size": 1', '"batch_size": 1.0e0', 1),  # written otherwise
        lambda t: t.replace('"vendor": "', '"vendor": "\\ud800', 1),  # lone surrogate
        lambda t: t.replace("\n    ", "\n\t", 3),  # another indentation
        lambda t: t.rstrip() + "\n]",  # trailing garbage
        lambda t: t.replace("[\n", "[\n" + "  [" * 40 + "]" * 40 + ",\n", 1),  # too deep
    ],
)
def test_anything_not_written_as_orjson_writes_it_is_read_exactly_as_the_precise_path_reads_it(
    change: Any,
) -> None:
    original = REAL.read_text(encoding="utf-8")
    text = change(original)
    assert text != original
    raw = text.encode("utf-8", "surrogatepass")
    assert parse_canonical(raw, 32) is None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # not text: the loader rejects it before either path (tested in test_loader)
    _same_as_precise(raw)


def test_the_depth_limit_is_the_precise_one() -> None:
    def nested(levels: int) -> list[Any]:
        value: Any = {"x": 1}
        for _ in range(levels - 2):  # the array and the entry are two levels
            value = {"n": value}
        return [value]

    assert parse_canonical(_canonical_bytes(nested(31)), 32) is not None
    for levels in (32, 33, 40):
        raw = _canonical_bytes(nested(levels))
        _same_as_precise(raw)


def test_item_starts_are_the_opening_braces() -> None:
    text = _canonical_bytes([{"a": 1}, {}, {"b": {"c": 2}}]).decode()
    assert [text[s] for s in item_starts(text)] == ["{", "{", "{"]
    assert item_starts(text) == load_json_text_precise("x.json", text, max_depth=32).document.item_offsets  # type: ignore[union-attr]


def test_non_ascii_text_keeps_character_offsets(tmp_path: Path) -> None:
    data = [{"model": {"name": "Ünïcode ×"}, "n": 1}, {"model": {"name": "b"}, "n": 2}]
    raw = _canonical_bytes(data)
    document = _load(raw).document
    assert document is not None
    assert isinstance(document.locator, CanonicalLocator)
    scanner = JsonLocator(raw.decode())
    pointers = _pointers(data)
    assert document.locator.positions(pointers) == [scanner.position(p) for p in pointers]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(hostile_text(), json_values(), min_size=1, max_size=4), min_size=1, max_size=3)
)
def test_any_data_in_the_canonical_layout_is_placed_where_the_scanner_places_it(data: list[Any]) -> None:
    # Keys and values of any text (escapes, quotes, non-ASCII, control characters): a member's column
    # is read off its line, so it must count characters exactly as the scanner does.
    try:
        raw = _canonical_bytes(data)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: not this path's business
        assume(False)
    document = _load(raw).document
    assert document is not None
    assume(isinstance(document.locator, CanonicalLocator))
    pointers = _pointers(data)
    pointers += [(*p, "no-such-key") for p in pointers] + [(len(data),), ("x",)]
    scanner = JsonLocator(raw.decode())
    assert document.locator.positions(pointers) == [scanner.position(p) for p in pointers]
