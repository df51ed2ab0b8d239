"""Byte-preserving edits of data files."""

from __future__ import annotations

import json

import pytest

from bot.contract.loader import load_bytes
from bot.ledger.splice import Layout, detect_layout, splice
from tests.support.paths import ROOT

DATA = ROOT / "data"
NEW = {"entry_id": "new", "nested": {"list": [1, 2], "text": "ü"}}


def _doc(text: str):  # type: ignore[no-untyped-def]
    result = load_bytes("leaderboard_single.json", text.encode(), max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


@pytest.mark.parametrize("name", ["leaderboard_single.json", "leaderboard_multi.json"])
def test_append_keeps_every_existing_byte(name: str) -> None:
    doc = _doc((DATA / name).read_text(encoding="utf-8"))
    text = splice(doc.text, doc.item_offsets or [], append=[NEW]).text
    last_item_end = doc.text.rindex("}") + 1
    assert text[:last_item_end] == doc.text[:last_item_end]
    assert json.loads(text) == [*doc.data, NEW]
    assert text.endswith("\n]\n")


def test_layout_is_read_from_the_file() -> None:
    single = _doc((DATA / "leaderboard_single.json").read_text())
    multi = _doc((DATA / "leaderboard_multi.json").read_text())
    assert detect_layout(single.text, single.item_offsets or []) == Layout("  ", "  ", "\n")
    assert detect_layout(multi.text, multi.item_offsets or []) == Layout("\t", "\t", "\n")
    crlf = _doc('[\r\n    {\r\n        "a": 1\r\n    }\r\n]\r\n')
    assert detect_layout(crlf.text, crlf.item_offsets or []) == Layout("    ", "    ", "\r\n")
    appended = splice(crlf.text, crlf.item_offsets or [], append=[{"b": 2}]).text
    assert appended == '[\r\n    {\r\n        "a": 1\r\n    },\r\n    {\r\n        "b": 2\r\n    }\r\n]\r\n'


def test_replace_and_remove_by_index() -> None:
    doc = _doc((DATA / "leaderboard_single.json").read_text())
    data = doc.data
    replaced = splice(doc.text, doc.item_offsets or [], replace={3: NEW}).text
    assert json.loads(replaced) == [*data[:3], NEW, *data[4:]]
    removed = splice(doc.text, doc.item_offsets or [], remove={0, 5, len(data) - 1}).text
    assert json.loads(removed) == [e for i, e in enumerate(data) if i not in {0, 5, len(data) - 1}]
    untouched = doc.text[doc.item_offsets[1] : doc.item_offsets[5]]  # type: ignore[index]
    assert untouched in removed


@pytest.mark.parametrize(
    ("text", "expected"), [("[]", '[\n  {\n    "a": 1\n  }\n]'), ("[]\n", None), ("[\n]\n", None)]
)
def test_append_to_an_empty_file(text: str, expected: str | None) -> None:
    doc = _doc(text)
    result = splice(doc.text, doc.item_offsets or [], append=[{"a": 1}]).text
    assert json.loads(result) == [{"a": 1}]
    if expected is not None:
        assert result == expected


def test_no_operation_returns_the_text_unchanged() -> None:
    text = (DATA / "leaderboard_multi.json").read_text()
    assert splice(text, _doc(text).item_offsets or []).text is text


def test_untouched_ranges_stay_pieces_of_the_base() -> None:
    doc = _doc((DATA / "leaderboard_single.json").read_text())
    starts = doc.item_offsets or []
    spliced = splice(doc.text, starts, replace={3: NEW}, remove={7})
    assert spliced.base is doc.text
    kept = [piece for piece in spliced.pieces if isinstance(piece, tuple)]
    written = [piece for piece in spliced.pieces if isinstance(piece, str)]
    assert kept[0] == (0, starts[3])  # everything before the replaced item, as a range of the base
    assert sum(high - low for low, high in kept) > len(doc.text) - 2 * (starts[8] - starts[3])
    assert json.loads(written[0]) == NEW
    joined = "".join(doc.text[p[0] : p[1]] if isinstance(p, tuple) else p for p in spliced.pieces)
    assert spliced.text == joined
