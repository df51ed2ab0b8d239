"""Input hygiene of the loader: everything a JSON or YAML reader would accept silently."""

from __future__ import annotations

import pytest

from bot.contract.config import MAX_DEPTH_BOUND
from bot.contract.document import as_data_file
from bot.contract.loader import load_bytes
from tests.support.paths import ROOT

DATA = ROOT / "data" / "leaderboard_single.json"


def _load(name: str, raw: bytes, **limits: int):  # type: ignore[no-untyped-def]
    return load_bytes(
        name, raw, max_bytes=limits.get("max_bytes", 10**8), max_depth=limits.get("max_depth", 32)
    )


@pytest.mark.parametrize(
    ("raw", "rule", "line", "col"),
    [
        (b'{"a": 1,\n "b": }', "LB001", 2, 7),
        (b'{"a": 1, "a": 2}', "LB002", 1, 15),
        (b'{"a": [1, -Infinity]}', "LB003", 1, 11),
        (b"\xef\xbb\xbf{}", "LB004", 1, 1),
        (b'{"a":\n "\xc3\x28"}', "LB004", 2, 3),
        (b"", "LB005", 1, 1),
        (b"[1]" + b" " * 10, "LB006", None, None),
        (b"42", "LB006", 1, 1),
        (b"[" * 10_000 + b"]" * 10_000, "LB008", 1, 1),
        (b'{"n": ' + b"9" * 5000 + b"}", "LB003", 1, 7),
    ],
)
def test_json_hygiene(raw: bytes, rule: str, line: int | None, col: int | None) -> None:
    result = _load("x.json", raw)
    if rule == "LB006" and line is None:
        assert result.findings == []  # an array of non-objects is a schema matter, not hygiene
        return
    assert [f.rule for f in result.findings] == [rule]
    assert (result.findings[0].line, result.findings[0].column) == (line, col)
    assert result.findings[0].hint


@pytest.mark.parametrize(
    ("raw", "token"), [(b"1e999", "1e999"), (b" -Infinity\n", "-Infinity"), (b"NaN", "NaN")]
)
def test_a_top_level_bad_number_is_named_not_called_null(raw: bytes, token: str) -> None:
    """The lenient parse reads a bad number as null: the top level was "null" (LB006) and no LB003."""
    findings = _load("x.json", raw).findings
    assert [(f.rule, f.message) for f in findings] == [
        ("LB003", f"{token} is not a finite JSON number"),
        ("LB006", "the top level is a number, not an entry object or an array of entries"),
    ]
    assert [f.rule for f in _load("x.json", b"null").findings] == ["LB006"]


def test_duplicate_key_points_at_the_second_occurrence_and_keeps_parsing() -> None:
    result = _load("x.json", b'[{"a": {"k": 1,\n  "k": 2}}]')
    assert result.document is not None
    (finding,) = result.findings
    assert finding.path == "$[0].a.k"
    assert (finding.line, finding.column) == (2, 8)


def test_size_limit_is_checked_before_parsing() -> None:
    result = _load("x.json", b"[" + b"1," * 600 + b"1]", max_bytes=1000)
    assert [f.rule for f in result.findings] == ["LB007"]
    assert "1,203 bytes" in result.findings[0].message


def _nested(kind: str, levels: int) -> bytes:
    """``levels`` containers one inside the other, in the layouts the parsers recurse deepest on."""
    if kind in ("json", "flow"):  # a JSON array, or a YAML flow sequence
        return b"[" * levels + b"]" * levels
    return "".join("  " * depth + "a:\n" for depth in range(levels - 1)).encode() + b"  " * levels + b"a: 1\n"


@pytest.mark.parametrize("kind", ["json", "flow", "block"])
def test_the_largest_depth_limit_is_one_the_parsers_can_check(kind: str) -> None:
    """With max_depth 1000, a 995-deep JSON array and a 250-deep YAML mapping were said to be nested
    more than 1000 levels deep: the parsers' own recursion had stopped them. The bound is now 200."""
    limit = MAX_DEPTH_BOUND
    name = "x.json" if kind == "json" else "x.yaml"
    assert _load(name, _nested(kind, limit), max_depth=limit).findings == []
    (finding,) = _load(name, _nested(kind, limit + 1), max_depth=limit).findings
    assert (finding.rule, finding.message) == ("LB008", f"values are nested more than {limit} levels deep")


def test_depth_limit_is_configurable() -> None:
    raw = b'{"a": {"b": {"c": {}}}}'
    assert _load("x.json", raw, max_depth=8).findings == []
    (finding,) = _load("x.json", raw, max_depth=2).findings
    assert (finding.rule, finding.path) == ("LB008", "$.a.b")


@pytest.mark.parametrize(
    ("text", "rule", "path"),
    [
        ("a: &x {b: 1}\nc: *x\n", "LB009", "$.c"),
        ("a: !!python/object:os.system x\n", "LB009", "$.a"),
        ("a: !custom\n  b: 1\n", "LB009", "$.a"),
        ("a: .inf\n", "LB003", "$.a"),
        ("? [1, 2]\n: x\n", "LB009", "$"),
        ("a: 1\n---\nb: 2\n", "LB009", "$"),
        ("a: [1\n", "LB001", "$"),
        ("# only a comment\n", "LB005", "$"),
        ('a: "x\x07"\n', "LB001", "$"),
    ],
)
def test_yaml_hygiene(text: str, rule: str, path: str) -> None:
    result = _load("x.yaml", text.encode())
    assert [(f.rule, f.path) for f in result.findings] == [(rule, path)]
    assert result.document is None


def test_every_repeated_yaml_key_is_reported_at_its_place_and_the_rest_is_checked() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\nd: [{e: 1, e: 1}]\n"
    result = _load("x.yaml", text.encode())
    assert [(f.rule, f.path, f.line, f.column) for f in result.findings] == [
        ("LB002", "$.b.c", 4, 3),
        ("LB002", "$.a", 5, 1),
        ("LB002", "$.d[0].e", 6, 12),
    ]
    assert result.findings[0].message == 'key "c" appears more than once in this object'
    assert result.document is not None  # as for JSON: the entry's own checks still run


def test_a_yaml_control_character_is_named_at_its_line_and_column() -> None:
    (finding,) = _load("x.yaml", b"a: 1\nb: x\x01y\n").findings
    assert (finding.rule, finding.line, finding.column) == ("LB001", 2, 5)
    assert finding.message == "the control character U+0001 is not allowed in YAML"
    assert "escape inside double quotes" in finding.hint


def test_a_repeated_key_beside_an_alias_bomb_is_found_without_expanding_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    lines += ["a0: again"]
    result = _load("bomb.yaml", "\n".join(lines).encode())
    assert sorted(f.rule for f in result.findings) == ["LB002", "LB009"]


def test_yaml_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    result = _load("bomb.yaml", "\n".join(lines).encode())
    assert [f.rule for f in result.findings] == ["LB009"]


def test_yaml_timestamps_and_versions_stay_text() -> None:
    result = _load("x.yaml", b"when: 2026-01-28T10:30:00Z\nday: 2026-01-27\nv: 0.5.4.14\nname: yes\n")
    assert result.document is not None
    assert result.document.data == {
        "when": "2026-01-28T10:30:00Z",
        "day": "2026-01-27",
        "v": "0.5.4.14",
        "name": "yes",
    }


def test_real_data_file_parses_cleanly() -> None:
    result = _load(str(DATA), DATA.read_bytes())
    assert result.findings == []
    assert result.document is not None
    assert len(result.document.entries()) == 47


def test_a_lone_surrogate_is_explained_not_blamed_on_the_encoding() -> None:
    (finding,) = _load("x.json", b'{"model": {"name": "gpt\\ud800"}}').findings
    assert (finding.rule, finding.path) == ("LB004", "$.model.name")
    assert "both halves of its pair" in finding.hint
    assert "byte order mark" not in finding.hint  # the file is UTF-8; the escape is the problem


def test_an_empty_data_file_is_told_to_hold_an_empty_array() -> None:
    (submission,) = _load("x.json", b"  \n").findings
    (data_file,) = as_data_file(_load("data/leaderboard_single.json", b"  \n")).findings
    assert submission.rule == data_file.rule == "LB005"
    assert "or delete it" in submission.hint
    assert data_file.hint == "a data file without entries holds an empty array: write [] into it"
