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

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bot.contract.fastload import cut_items
from bot.contract.locate import JsonLocator

_UNIT = 2  # orjson's OPT_INDENT_2


def parse_canonical(text: str, raw: bytes, max_depth: int) -> tuple[list[Any], list[int]] | None:
    """The items of a data file in orjson's own layout and their start offsets, or None."""
    import orjson

    # A container nested D deep puts a line at indentation 2(D-1) at least: none deeper than
    # 2(max_depth-1) proves the depth limit (anything deeper is left to the precise path).
    if "\n" + " " * (_UNIT * max_depth - 1) in text or not raw.startswith(b"[\n"):
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if type(data) is not list or not data or not all(type(item) is dict for item in data):
        return None
    try:
        dumped = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return None
    if not (raw.startswith(dumped) and not raw[len(dumped) :].strip(b" \t\r\n")):
        return None
    del dumped
    cut = cut_items(text)
    if cut is None or len(cut[0]) != len(data):
        return None
    return data, cut[0]


class CanonicalLocator(JsonLocator):
    """Locates pointers in a text that ``parse_canonical`` accepted, by indentation."""

    def __init__(self, text: str, top_items: list[int], data: list[Any]) -> None:
        super().__init__(text, top_items)
        self._data, self._top = data, top_items
        self._start = text.index("[")
        self._found: dict[tuple[int, str], int] = {}

    def positions(self, pointers: Sequence[Sequence[str | int]]) -> list[tuple[int, int]]:
        """Positions of many pointers: offsets first, then lines counted once in offset order."""
        offset, text = self.offset, self._text
        offsets = [offset(pointer) for pointer in pointers]
        order = sorted(range(len(offsets)), key=offsets.__getitem__)
        result: list[tuple[int, int]] = [(0, 0)] * len(offsets)
        count, rfind = text.count, text.rfind
        line, previous = 1, 0
        for index in order:  # one pass: the newlines between consecutive offsets, counted in C
            at = offsets[index]
            line += count("\n", previous, at)
            previous = at
            result[index] = (line, at - rfind("\n", 0, at))
        return result

    def offset(self, pointer: Sequence[str | int], last_key: bool = False) -> int:
        """Character offset of the value at ``pointer`` (or of its nearest existing ancestor)."""
        data = self._data
        head = pointer[0] if pointer else None
        if type(head) is not int or not 0 <= head < len(data):  # type: ignore[operator]
            return self._start
        pos, value, found = self._top[head], data[head], self._found  # type: ignore[index]
        for depth in range(1, len(pointer)):
            key = pointer[depth]
            if type(value) is dict and type(key) is str and key in value:
                member = found.get((pos, key))
                if member is None:  # the member's line: after its object's opening, at depth + 1
                    needle = _needle(depth + 1, key)
                    member = found[(pos, key)] = self._text.find(needle, pos) + len(needle)
                pos = member
            elif type(value) is list and type(key) is int and 0 <= key < len(value):
                pos = self._members(pos)[key]
            else:
                return pos
            value = value[key]
        return pos


@lru_cache(maxsize=4096)
def _needle(level: int, key: str) -> str:
    """A member line up to its value: newline, indentation, the key as orjson writes it, ``": "``."""
    import orjson

    return "\n" + " " * (_UNIT * level) + orjson.dumps(key).decode() + ": "
