"""The fastest path of the JSON loader: a data file written exactly as orjson writes it (two-space
indentation, one member per line) — which is how the bundled data files and every file the bot
writes with two-space indentation look.

The proof is one comparison: the file's bytes equal ``orjson.dumps(orjson.loads(raw), indent 2)``.
A duplicate key (orjson keeps one), NaN, a number orjson cannot hold exactly, an escape written
differently, another layout: each makes the two texts differ and the caller takes the next path.
Equal texts also prove the layout, so the locator finds a member by its line — a newline, the
member's indentation and its key token — with one ``str.find`` from its object's offset: strings
cannot hold a raw newline, and inside an object only its own members sit at that indentation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bot.contract.locate import JsonLocator

_UNIT = 2  # orjson's OPT_INDENT_2
_BATCH = 512  # items serialized at a time for the comparison (about 1 MB of text)
_ITEM_LINE = re.compile(r"\n  \{")


def parse_canonical(raw: bytes, max_depth: int) -> list[Any] | None:
    """The items of a data file in orjson's own layout (valid UTF-8 then, without NUL), or None."""
    import orjson

    # A container nested D deep puts a line at indentation 2(D-1) at least: none deeper than
    # 2(max_depth-1) proves the depth limit (anything deeper is left to the precise path).
    if b"\n" + b" " * (_UNIT * max_depth - 1) in raw or not raw.startswith(b"[\n"):
        return None
    try:
        data = orjson.loads(raw)
        if type(data) is not list or not data or not all(type(item) is dict for item in data):
            return None
        end = _written_as_orjson_writes(raw, data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if end is None or raw[end:].strip(b" \t\r\n"):
        return None
    return data


def _written_as_orjson_writes(raw: bytes, data: list[Any]) -> int | None:
    """Where the array ends in ``raw`` when it is byte for byte orjson's text of ``data``, else None.

    Compared a batch of items at a time, so no second copy of the whole file is ever made.
    """
    import orjson

    at = 0
    for first in range(0, len(data), _BATCH):
        dumped = orjson.dumps(data[first : first + _BATCH], option=orjson.OPT_INDENT_2)
        body = memoryview(dumped)[2:-2]  # "[\n" + items joined by ",\n" + "\n]"
        glue = b"[\n" if first == 0 else b",\n"
        if not (raw.startswith(glue, at) and raw.startswith(body, at + 2)):
            return None
        at += 2 + len(body)
    return at + 2 if raw.startswith(b"\n]", at) else None


def item_starts(text: str) -> list[int]:
    """Offsets of the items' opening braces: in this layout each item starts a line at indentation 2."""
    return [match.end() - 1 for match in _ITEM_LINE.finditer(text)]  # one scan: 15 ms, a find loop 22


class CanonicalLocator(JsonLocator):
    """Locates pointers in a text that ``parse_canonical`` accepted, by indentation."""

    def __init__(self, text: str, top_items: list[int], data: list[Any]) -> None:
        super().__init__(text, top_items)
        self._data, self._top = data, top_items
        self._start = text.index("[")
        self._found: dict[tuple[int, str], tuple[int, int]] = {}
        self._head: Any = None

    def offset(self, pointer: Sequence[str | int], last_key: bool = False) -> int:
        """Character offset of the value at ``pointer`` (or of its nearest existing ancestor)."""
        return self.offsets([pointer])[0]

    def offsets(self, pointers: Sequence[Sequence[str | int]]) -> list[int]:
        """Offsets of many pointers in one loop (50,000 findings in a large run: no call per pointer)."""
        return self.places(pointers)[0]

    def places(self, pointers: Sequence[Sequence[str | int]]) -> tuple[list[int], list[int]]:
        """Offsets of the pointers, and their columns where the layout tells them (else 0).

        A member's value follows its line's indentation, key and ``": "``: its column is the length of
        that needle. Members found are remembered for one item at a time: findings come item by item.
        """
        data, top, start, find = self._data, self._top, self._start, self._text.find
        size, found, item = len(data), self._found, self._head
        offsets: list[int] = []
        columns: list[int] = []
        for pointer in pointers:
            head = pointer[0] if pointer else None
            if type(head) is not int or not 0 <= head < size:
                offsets.append(start)
                columns.append(0)
                continue
            if head != item:
                found, item = {}, head
            pos, column, value = top[head], _UNIT + 1, data[head]  # an item opens a line at indentation 2
            for depth in range(1, len(pointer)):
                key = pointer[depth]
                if type(value) is dict and type(key) is str and key in value:
                    place = found.get((pos, key))
                    if place is None:  # the member's line: after its object's opening, at depth + 1
                        needle = _needle(depth + 1, key)
                        place = found[(pos, key)] = (find(needle, pos) + len(needle), len(needle))
                    pos, column = place
                elif type(value) is list and type(key) is int and 0 <= key < len(value):
                    pos, column = self._members(pos)[key], 0
                else:
                    break
                value = value[key]
            offsets.append(pos)
            columns.append(column)
        self._found, self._head = found, item
        return offsets, columns


@lru_cache(maxsize=4096)
def _needle(level: int, key: str) -> str:
    """A member line up to its value: newline, indentation, the key as orjson writes it, ``": "``."""
    import orjson

    return "\n" + " " * (_UNIT * level) + orjson.dumps(key).decode() + ": "
