"""Byte-preserving edits of a data file: existing entries keep their exact text, new entries are
appended in the file's own indentation style, replaced and removed entries are cut out by span.

Rewriting the whole file with ``json.dumps`` would reformat every entry (upstream files use
two-space and tab indentation) and turn a one-entry submission into a whole-file git diff.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.ledger.pieces import Piece, Spliced

_SCAN: Any = json.decoder.JSONDecoder().scan_once  # type: ignore[attr-defined]
_INDENT = re.compile(r"\n([ \t]*)\S")


@dataclass(frozen=True)
class Layout:
    """How a data file is written: indentation of items and of one nesting level, line ending."""

    item_indent: str = "  "
    unit: str = "  "
    newline: str = "\n"


def detect_layout(text: str, offsets: Sequence[int]) -> Layout:
    """Read the indentation style off the first item of the array (defaults for an empty file)."""
    newline = "\r\n" if "\r\n" in text[: (offsets[0] if offsets else len(text))] else "\n"
    if not offsets:
        return Layout(newline=newline)
    start = offsets[0]
    line_start = text.rfind("\n", 0, start) + 1
    item_indent = text[line_start:start] if text[line_start:start].strip() == "" else ""
    inner = _INDENT.search(text, start)
    unit = "  "
    if (
        inner is not None
        and inner.group(1).startswith(item_indent)
        and len(inner.group(1)) > len(item_indent)
    ):
        unit = inner.group(1)[len(item_indent) :]
    return Layout(item_indent, unit, newline)


def serialize(entry: Mapping[str, Any], layout: Layout) -> str:
    """An entry as text, indented to sit at item level in the array."""
    body = json.dumps(entry, indent=layout.unit, ensure_ascii=False)
    return body.replace("\n", layout.newline + layout.item_indent)


def splice(
    text: str,
    offsets: Sequence[int],
    *,
    append: Sequence[Mapping[str, Any]] = (),
    replace: Mapping[int, Mapping[str, Any]] | None = None,
    remove: set[int] | frozenset[int] = frozenset(),
) -> Spliced:
    """The file's text with items replaced/removed (by index) and new items appended.

    Only the touched items and their neighbours are scanned, and every untouched range of the text
    is kept as a piece that points into it, so the cost follows the size of the change, not of the
    file.
    """
    replace = replace or {}
    if not (append or replace or remove):
        return Spliced.of(text)
    layout = detect_layout(text, offsets)
    end = _Ends(text, offsets)
    cuts: list[tuple[int, int, str]] = []  # (start, stop, replacement), non-overlapping
    for index, entry in replace.items():
        if index not in remove:
            cuts.append((offsets[index], end(index), serialize(entry, layout)))
    cuts += _removals(sorted(remove), len(offsets), offsets, end)
    kept = len(offsets) - len(remove)
    if append:
        cuts.append(_appendix(end, kept, append, layout))
    return _apply(text, cuts)


class _Ends:
    """End offsets of items, scanned on demand and remembered."""

    def __init__(self, text: str, offsets: Sequence[int]) -> None:
        self.text, self.offsets = text, offsets
        self._ends: dict[int, int] = {}

    def __call__(self, index: int) -> int:
        if index not in self._ends:
            self._ends[index] = int(_SCAN(self.text, self.offsets[index])[1])
        return self._ends[index]


def _removals(
    removed: list[int], count: int, offsets: Sequence[int], end: _Ends
) -> list[tuple[int, int, str]]:
    """Cuts for runs of removed items, taking one separator with each run."""
    cuts = []
    runs: list[list[int]] = []
    for index in removed:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        first, last = run[0], run[-1]
        if first > 0:  # from the end of the kept item before the run, separator included
            cuts.append((end(first - 1), end(last), ""))
        elif last + 1 < count:  # a leading run: up to the next kept item
            cuts.append((offsets[first], offsets[last + 1], ""))
        else:  # every item goes
            cuts.append((offsets[first], end(last), ""))
    return cuts


def _appendix(
    end: _Ends, kept: int, entries: Sequence[Mapping[str, Any]], layout: Layout
) -> tuple[int, int, str]:
    """An insertion after the last item (or into the empty array); ``kept`` items remain before it."""
    text, offsets = end.text, end.offsets
    body = ("," + layout.newline + layout.item_indent).join(serialize(e, layout) for e in entries)
    if offsets:
        last = end(len(offsets) - 1)
        sep = "," + layout.newline + layout.item_indent if kept else ""
        if not kept:  # everything was removed: the inserted text replaces the emptied range
            return (last, last, body)
        return (last, last, sep + body)
    opening = text.index("[")
    closing = text.rindex("]")
    inner = text[opening + 1 : closing]
    tail = inner if inner.strip() == "" and inner.startswith(("\n", "\r\n")) else layout.newline
    return (opening + 1, closing, layout.newline + layout.item_indent + body + tail)


def _apply(text: str, cuts: list[tuple[int, int, str]]) -> Spliced:
    pieces: list[Piece] = []
    cursor = 0
    for start, stop, insert in sorted(cuts, key=lambda cut: (cut[0], cut[1])):
        if start > cursor:
            pieces.append((cursor, start))
        if insert:
            pieces.append(insert)
        cursor = max(cursor, stop)
    if cursor < len(text):
        pieces.append((cursor, len(text)))
    return Spliced(text, tuple(pieces))
