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


def item_spans(text: str, offsets: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of every item's text."""
    return [(start, _SCAN(text, start)[1]) for start in offsets]


def splice(
    text: str,
    offsets: Sequence[int],
    *,
    append: Sequence[Mapping[str, Any]] = (),
    replace: Mapping[int, Mapping[str, Any]] | None = None,
    remove: set[int] | frozenset[int] = frozenset(),
) -> str:
    """The file's text with items replaced/removed (by index) and new items appended."""
    replace = replace or {}
    if not (append or replace or remove):
        return text
    layout = detect_layout(text, offsets)
    spans = item_spans(text, offsets)
    opening = text.index("[")
    default_sep = "," + layout.newline + layout.item_indent
    seps = [text[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    out = [text[: opening + 1]]
    previous: int | None = None
    for index, (start, end) in enumerate(spans):
        if index in remove:
            continue
        if previous is None:
            out.append(text[opening + 1 : spans[0][0]])
        else:  # the original separator when the two items were neighbours
            out.append(seps[previous] if index == previous + 1 else (seps[0] if seps else default_sep))
        out.append(serialize(replace[index], layout) if index in replace else text[start:end])
        previous = index
    for entry in append:
        out.append(default_sep if previous is not None else layout.newline + layout.item_indent)
        out.append(serialize(entry, layout))
        previous = len(spans)
    tail = text[spans[-1][1] :] if spans else text[opening + 1 :]
    if previous is not None and not tail.startswith(("\n", "\r\n")):
        tail = layout.newline + tail.lstrip(" \t")
    out.append(tail)
    return "".join(out)
