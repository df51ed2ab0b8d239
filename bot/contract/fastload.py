"""The fast path of the JSON loader: a data file as the bot writes it, parsed item by item by orjson.

A data file is a top-level array whose items each start on their own line at one indentation. The
text is cut at those line starts and every cut is parsed by orjson on its own; the item offsets
come for free and the locator and the merge engine reuse them. The cut is proved, not assumed: the
pieces only parse if each one is exactly one item (a cut inside an item leaves an unclosed ``{``),
and the glue between them must be ``[``, commas and whitespace.

The path answers only for files that are certainly clean: any sign of a hygiene problem — a
duplicate key, NaN or Infinity, a number orjson cannot hold exactly, too deep a nesting, a lone
surrogate, a syntax error, an unusual layout — returns None, and the precise loader (``bot.contract.loader``)
parses the file again and reports exactly what it reports today.
"""

from __future__ import annotations

import re
from typing import Any

_WS = " \t\r\n"
_SPACE = re.compile(r"[ \t\r\n]*")
# orjson turns integers beyond 64 bits into floats (JSON readers in Python keep them exact); such a
# float is at least 9.2e18 and orjson writes it with an exponent of +18 or more.
_HUGE_FLOAT = re.compile(rb"e\+(?:1[89]|[2-9][0-9]|[0-9]{3})")
# An escaped colon would hide a key from the colon count below.
_ESCAPED_COLON = re.compile(r"\\u003[aA]")


def parse_data_array(text: str, max_depth: int) -> tuple[list[Any], list[int]] | None:
    """The items of a clean, line-per-item top-level array and their start offsets, or None."""
    import orjson

    cut = cut_items(text)
    if cut is None:
        return None
    starts, ends = cut
    items: list[Any] = []
    loads = orjson.loads
    budget = max_depth - 1  # the array itself is one level
    try:
        for start, end in zip(starts, ends, strict=True):
            piece = text[start:end]
            # An item cannot nest deeper than it has opening brackets (brackets in strings only add).
            if piece.count("{") + piece.count("[") > budget:
                return None
            items.append(loads(piece))
    except (
        orjson.JSONDecodeError
    ):  # NaN, Infinity, overflow, lone surrogates, syntax: the precise path says which
        return None
    if not _exact(text, items, orjson.dumps(items)):
        return None
    return items, starts


def cut_items(text: str) -> tuple[list[int], list[int]] | None:
    """Start and end offsets of the items, when the array is written one item per line start.

    An item ends where its separator (or the closing bracket) begins: trailing whitespace included.
    Only the separators are proved here; the caller proves that each piece is one item.
    """
    opening = _SPACE.match(text).end()  # type: ignore[union-attr]
    if text[opening : opening + 1] != "[":
        return None
    first = _SPACE.match(text, opening + 1).end()  # type: ignore[union-attr]
    line_start = text.rfind("\n", opening, first) + 1
    indent = text[line_start:first]
    if line_start == 0 or text[first : first + 1] != "{" or indent.strip(" \t"):
        return None
    closing = len(text) - 1
    while closing > first and text[closing] in _WS:
        closing -= 1
    if text[closing] != "]":
        return None
    needle = "\n" + indent + "{"
    starts, ends = [first], []
    at = text.find(needle, first)
    while at != -1:
        comma = text.rfind(",", starts[-1], at)
        if comma == -1 or text[comma + 1 : at].strip(_WS):
            return None  # an object at item indentation that does not follow a separator
        ends.append(comma)
        starts.append(at + len(needle) - 1)
        at = text.find(needle, at + 1)
    ends.append(closing)
    return starts, ends


def _exact(text: str, items: list[Any], dumped: bytes) -> bool:
    """Whether orjson's reading equals the precise loader's: no duplicate key, no inexact integer.

    Every colon outside strings separates a key from its value, and orjson writes string contents
    unescaped; so unless a colon is escaped, the text has more colons than orjson's output exactly
    when some object lost a duplicate key.
    """
    if "\\" in text and _ESCAPED_COLON.search(text):
        return False
    if text.count(":") != dumped.count(b":"):
        return False
    return not (b"e+" in dumped and _HUGE_FLOAT.search(dumped))
