"""Suggested changes: the replacement line, offered only when it changes the offending value alone."""

from __future__ import annotations

import pytest

from bot.contract.findings import Finding, Pointer
from bot.render.suggest import replacement_line, review_comment


def _finding(file: str, pointer: Pointer, line: int, column: int, fix: object) -> Finding:
    finding = Finding(file, pointer, "LB105", "error", "vendor is not written as the contract spells it")
    finding.line, finding.column, finding.fix, finding.has_fix = line, column, fix, True
    return finding


# (file, source, pointer, line, column, fix, the suggested line)
CASES = [
    ("a.json", '{\n  "v": "Nvidia",\n  "x": 1\n}\n', ("v",), 2, 8, "NVIDIA", '  "v": "NVIDIA",'),
    ("a.json", '{"v": "Nvidia", "x": 1}\n', ("v",), 1, 7, "NVIDIA", '{"v": "NVIDIA", "x": 1}'),
    ("a.yaml", "hw: {vendor: Nvidia}\n", ("hw", "vendor"), 1, 14, "NVIDIA", "hw: {vendor: NVIDIA}"),
    ("a.yaml", "- {vendor: Nvidia, x: 1}\n", (0, "vendor"), 1, 12, "NVIDIA", "- {vendor: NVIDIA, x: 1}"),
    ("a.yaml", "v: [Nvidia, b]\n", ("v", 0), 1, 5, "NVIDIA", "v: [NVIDIA, b]"),
    ("a.yaml", "v: 'Nv''idia'  # c\n", ("v",), 1, 4, "NVIDIA", "v: NVIDIA  # c"),
    ("a.yaml", 'v: "Nv\\"idia" # c\n', ("v",), 1, 4, "NVIDIA", "v: NVIDIA # c"),
    ("a.yaml", "v: Nvidia, Inc.  # c\n", ("v",), 1, 4, "NVIDIA", "v: NVIDIA  # c"),
    ("a.yaml", 'v: ""\r\nw: 1\r\n', ("v",), 1, 4, None, "v: null"),
    ("a.yml", 'v: x\nw: ""\n', ("w",), 2, 4, None, "w: null"),
]


@pytest.mark.parametrize(("file", "source", "pointer", "line", "column", "fix", "expected"), CASES)
def test_the_suggestion_replaces_the_value_and_keeps_the_rest_of_the_line(
    file: str, source: str, pointer: Pointer, line: int, column: int, fix: object, expected: str
) -> None:
    assert replacement_line(source, _finding(file, pointer, line, column, fix)) == expected


@pytest.mark.parametrize(
    ("file", "source", "pointer", "column"),
    [
        ("a.yaml", "v: Nvidia\n", ("w",), 4),  # the pointer names another value than the column's
        ("a.yaml", "v: Nvidia\n", ("v",), 1),  # the column is not where the value starts
        ("a.json", '{"v": "Nvidia"}\n', ("v",), 2),
        ("a.yaml", "v: 'Nvidia\n", ("v",), 4),  # no closing quote: the file does not parse
        ("a.yaml", "v: Nvidia\nv: x\n", ("v",), 4),  # a repeated key: the file is refused, nothing to prove
    ],
)
def test_no_suggestion_unless_the_edited_file_reads_as_the_fix_says(
    file: str, source: str, pointer: Pointer, column: int
) -> None:
    assert replacement_line(source, _finding(file, pointer, 1, column, "NVIDIA")) is None


def test_a_line_with_hidden_characters_gets_no_suggestion() -> None:
    # The suggestion block shows U+200B as text: accepting it would write "⟨U+200B⟩" into the file.
    source = '{"vendor": "Nvidia", "notes": "a\u200bb"}\n'
    assert replacement_line(source, _finding("a.json", ("vendor",), 1, 12, "NVIDIA")) is None


def test_the_review_comment_carries_the_line_as_a_suggestion() -> None:
    finding = _finding("s.yaml", ("hardware", "vendor"), 1, 20, "NVIDIA")
    comment = review_comment("hardware: {vendor: Nvidia}\n", finding)
    assert comment is not None
    assert comment["path"] == "s.yaml"
    assert comment["line"] == 1
    assert comment["body"].endswith("```suggestion\nhardware: {vendor: NVIDIA}\n```")
