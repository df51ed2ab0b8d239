"""A new text as pieces of its base: every read of the pieces equals the same read of the whole text."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ledger.pieces import MergedTexts, Piece, Spliced

_DECODE = json.JSONDecoder().raw_decode
BASE = '[\n  {"a": 1},\n  {"b": [2, 3.5e1]},\n  12,\n  "x\\"y"\n]\n'


@st.composite
def spliced(draw: st.DrawFn) -> Spliced:
    """Pieces of BASE (any ranges, in any order) and written text, empty ones included."""
    pieces: list[Piece] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            low = draw(st.integers(0, len(BASE)))
            pieces.append((low, draw(st.integers(low, len(BASE)))))
        else:
            pieces.append(draw(st.sampled_from(["", " ", ",", "1", "2}", '{"c": 4', "]", "true", " \n\t"])))
    return Spliced(BASE, tuple(pieces))


def _whole(text: Spliced) -> str:
    return "".join(BASE[p[0] : p[1]] if isinstance(p, tuple) else p for p in text.pieces)


@settings(max_examples=300, deadline=None)
@given(spliced(), st.integers(0, 120), st.integers(0, 120))
def test_a_window_is_the_slice_of_the_whole_text(text: Spliced, start: int, stop: int) -> None:
    whole = _whole(text)
    assert text.text == whole
    assert len(text) == len(whole)
    assert text.window(start, stop) == whole[start:stop]
    assert text.char(start) == whole[start : start + 1]


@settings(max_examples=300, deadline=None)
@given(spliced(), st.integers(0, 120))
def test_the_next_non_space_is_the_whole_text_s(text: Spliced, at: int) -> None:
    whole = _whole(text)
    found = re.compile(r"[^ \t\r\n]").search(whole, at)
    assert text.non_space(at) == (found.start() if found else len(whole))


@settings(max_examples=300, deadline=None)
@given(spliced(), st.integers(0, 120))
def test_a_value_decodes_as_in_the_whole_text(text: Spliced, at: int) -> None:
    whole = _whole(text)
    try:
        expected: object = _DECODE(whole, at)
    except ValueError:
        expected = ValueError
    try:
        actual: object = text.decode(at)
    except ValueError:
        actual = ValueError
    assert actual == expected


def test_a_number_split_between_pieces_is_read_whole() -> None:
    text = Spliced(BASE, ("1", "2", ","))
    assert text.decode(0) == (12, 2)
    assert Spliced(BASE, ('{"a": ', "1", "}")).decode(0) == ({"a": 1}, 8)


@settings(max_examples=300, deadline=None)
@given(spliced(), st.integers(0, len(BASE)), st.integers(0, len(BASE)), st.integers(0, 120))
def test_holds_answers_as_a_comparison_would(text: Spliced, begin: int, end: int, at: int) -> None:
    begin, end = min(begin, end), max(begin, end)
    whole = _whole(text)
    expected = whole[at : at + end - begin] == BASE[begin:end] and at <= len(whole)
    assert text.holds(BASE, begin, end, at) == expected
    assert text.holds(BASE.encode().decode(), begin, end, at) == expected  # an equal copy is compared


def test_a_kept_range_is_recognized_by_where_it_points() -> None:
    text = Spliced(BASE, ((0, 20), "x", (20, len(BASE))))
    assert text.holds(BASE, 2, 20, 2)  # the range itself
    assert text.holds(BASE, 21, 30, 22)  # after the written "x", shifted by one
    assert not text.holds(BASE, 19, 30, 19)  # across the written "x", which is not the base's
    other = "#" * len(BASE)  # a different text of the same length: compared, and it differs
    assert not text.holds(other, 2, 20, 2)


def test_merged_texts_build_each_text_when_read() -> None:
    text = Spliced(BASE, ((0, 2), "{}", (len(BASE) - 2, len(BASE))))
    texts = MergedTexts({"f.json": text})
    assert "text" not in text.__dict__  # nothing built yet
    assert list(texts) == ["f.json"]
    assert texts == {"f.json": "[\n{}]\n"}
    assert texts["f.json"] is text.text
    assert MergedTexts({}) == {}
