"""The fast loader answers exactly as the precise loader, or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.contract.document import LoadResult
from bot.contract.fastload import cut_items, parse_data_array
from bot.contract.loader import load_json_text, load_json_text_precise
from tests.support.paths import FIXTURES, ROOT

CORPUS = sorted(
    [
        *(ROOT / "data").glob("*.json"),
        *(ROOT / "examples").glob("*.json"),
        *(ROOT / "tests" / "cases").rglob("*.json"),
        *FIXTURES.rglob("*.json"),
    ]
)
ENTRY = '{\n    "entry_id": "a",\n    "n": 1\n  }'


def _same(fast: LoadResult, precise: LoadResult) -> None:
    assert fast.findings == precise.findings
    assert (fast.document is None) == (precise.document is None)
    if fast.document is not None and precise.document is not None:
        assert fast.document.data == precise.document.data
        assert fast.document.item_offsets == precise.document.item_offsets


def _array(*items: str) -> str:
    return "[\n  " + ",\n  ".join(items) + "\n]\n"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_json_file_of_the_repository_loads_as_the_precise_path_loads_it(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return  # not text: the loader rejects it before either path (tested in test_loader)
    _same(
        load_json_text(path.name, text, max_depth=32), load_json_text_precise(path.name, text, max_depth=32)
    )


def test_the_real_data_files_take_the_fast_path() -> None:
    for name in ("leaderboard_single.json", "leaderboard_multi.json"):
        text = (ROOT / "data" / name).read_text(encoding="utf-8")
        parsed = parse_data_array(text, 32)
        assert parsed is not None
        assert parsed[0] == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        _array(ENTRY, '{"a": 1, "a": 2}'),  # duplicate key
        _array(ENTRY, '{"a": {"k": 1,\n  "k": 2}}'),  # duplicate key, nested
        _array(ENTRY, '{"a": NaN}'),
        _array(ENTRY, '{"a": -Infinity}'),
        _array(ENTRY, '{"a": 1e400}'),
        _array(ENTRY, '{"a": 18446744073709551616}'),  # orjson would read a float
        _array(ENTRY, '{"a": -9223372036854775809}'),
        _array(ENTRY, '{"a": ' + "9" * 5000 + "}"),
        _array(ENTRY, '{"a": "\\ud800"}'),  # lone surrogate
        _array(ENTRY, '{"a": "x", "b": 1,}'),  # syntax
        _array(ENTRY, '{"a": ' + "[" * 40 + "]" * 40 + "}"),  # too deep
        _array(ENTRY, '{"a\\u003a": 1, "a:": 2}'),  # an escaped colon hides a duplicate from the count
        _array(ENTRY, '{"a": 1}\n  , {"b": 2}'),  # an item that does not start a line
        _array(ENTRY, "1"),  # not an object
        _array(ENTRY, '{"a": [1,\n  {"b": 2}]}'),  # an object at item indentation inside an item
        '[{"a": 1}, {"b": 2}]',  # one line
        "[\n]",
        '{"a": 1}',
    ],
)
def test_anything_unusual_takes_the_precise_path_with_the_same_result(text: str) -> None:
    assert parse_data_array(text, 32) is None
    _same(load_json_text("x.json", text, max_depth=32), load_json_text_precise("x.json", text, max_depth=32))


def test_items_keep_the_precise_offsets_with_tabs_and_crlf() -> None:
    text = "[\r\n\t" + ",\r\n\t".join(['{"a": 1}', '{"b": {"c": [1, 2]}}', '{"d": "x, y"}']) + "\r\n]\r\n"
    parsed = parse_data_array(text, 32)
    precise = load_json_text_precise("x.json", text, max_depth=32).document
    assert parsed is not None
    assert precise is not None
    assert parsed == (precise.data, precise.item_offsets)


def test_the_depth_limit_is_the_precise_one() -> None:
    deep = _array('{"a": ' + "[" * 29 + "]" * 29 + "}")  # 1 array + 1 object + 29 = 31 levels
    assert parse_data_array(deep, 31) is not None
    assert parse_data_array(deep, 30) is None
    assert [f.rule for f in load_json_text("x.json", deep, max_depth=30).findings] == ["LB008"]


def test_cut_proves_the_separators() -> None:
    assert cut_items(_array(ENTRY, ENTRY)) is not None
    assert cut_items("[\n  " + ENTRY + "\n  x\n  " + ENTRY + "\n]") is None
