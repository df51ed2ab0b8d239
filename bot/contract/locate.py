"""Map a JSON pointer back to the line and column of its value in the source text.

Positions are only needed for findings, so they are computed lazily: the JSON locator walks the
text with the C scanner of the standard ``json`` module, skipping sibling values in one call each,
and caches every object and array it opens, so many findings in one entry cost one walk.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

_WS = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_COMMA = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")
_SCAN: Any = json.decoder.JSONDecoder().scan_once  # type: ignore[attr-defined]
_SCANSTRING: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class Locator(Protocol):
    """Anything that turns a pointer into a 1-based (line, column)."""

    def position(self, pointer: Sequence[str | int], last_key: bool = False) -> tuple[int, int]:
        """Position of the deepest existing value along the pointer."""
        ...

    def positions(self, pointers: Sequence[Sequence[str | int]]) -> list[tuple[int, int]]:
        """Positions of many pointers at once (cheaper than one by one for large files)."""
        ...


class LineIndex:
    """Offset → (line, column), counting newlines with ``str.count`` from the previous answer.

    Findings come mostly in document order, so the total work is about one C-speed pass over the
    text instead of a Python list of every line start (a million of them in a large data file).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset, self._line = 0, 1

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line, offset - (self._text.rfind("\n", 0, offset) + 1) + 1


class JsonLocator:
    """Locates pointers in JSON text that is known to parse."""

    def __init__(self, text: str, top_items: list[int] | None = None) -> None:
        self._text = text
        self._lines: LineIndex | None = None
        self._containers: dict[int, Any] = {}
        if top_items is not None:  # item offsets recorded while parsing a top-level array
            self._containers[_skip(text, 0)] = top_items

    def position(self, pointer: Sequence[str | int], last_key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``pointer`` (or of its nearest existing ancestor)."""
        if self._lines is None:
            self._lines = LineIndex(self._text)
        return self._lines.line_col(self.offset(pointer, last_key))

    def positions(self, pointers: Sequence[Sequence[str | int]]) -> list[tuple[int, int]]:
        """Positions of many pointers, converted in offset order so newlines are counted once (however
        the pointers are ordered: a run's cross-entry findings start again at the first entry)."""
        offsets, columns = self.places(pointers)
        count, rfind = self._text.count, self._text.rfind
        result: list[tuple[int, int]] = [(0, 0)] * len(offsets)
        line, last = 1, 0
        for index in sorted(range(len(offsets)), key=offsets.__getitem__):
            at = offsets[index]
            line += count("\n", last, at)
            last = at
            result[index] = (line, columns[index] or at - rfind("\n", 0, at))
        return result

    def places(self, pointers: Sequence[Sequence[str | int]]) -> tuple[list[int], list[int]]:
        """Offsets of many pointers, and their 1-based columns where the locator knows them (else 0)."""
        offsets = self.offsets(pointers)
        return offsets, [0] * len(offsets)

    def offsets(self, pointers: Sequence[Sequence[str | int]]) -> list[int]:
        """Character offsets of many pointers (see ``offset``)."""
        return [self.offset(pointer) for pointer in pointers]

    def offset(self, pointer: Sequence[str | int], last_key: bool = False) -> int:
        """Character offset of the value at ``pointer`` (or of its nearest existing ancestor)."""
        pos = _WS.match(self._text, 0).end()  # type: ignore[union-attr]
        for depth, key in enumerate(pointer):
            members = self._members(pos)
            want_last = last_key and depth == len(pointer) - 1
            found = members.get((key, want_last)) if isinstance(members, dict) else None
            if isinstance(members, list) and isinstance(key, int) and 0 <= key < len(members):
                found = members[key]
            if found is None:
                return pos
            pos = found
        return pos

    def _members(self, pos: int) -> Any:
        """Value offsets of the object or array starting at ``pos`` (cached)."""
        cached = self._containers.get(pos)
        if cached is None:
            opener = self._text[pos : pos + 1]
            cached = (
                self._scan_object(pos) if opener == "{" else self._scan_array(pos) if opener == "[" else {}
            )
            self._containers[pos] = cached
        return cached

    def _scan_object(self, pos: int) -> dict[tuple[str | int, bool], int]:
        text = self._text
        members: dict[tuple[str | int, bool], int] = {}
        p = _skip(text, pos + 1)
        while p < len(text) and text[p] == '"':
            key, end = _SCANSTRING(text, p + 1)
            p = _COLON.match(text, end).end()  # type: ignore[union-attr]
            members.setdefault((key, False), p)
            members[(key, True)] = p
            p = _after_value(text, p)
        return members

    def _scan_array(self, pos: int) -> list[int]:
        text, items = self._text, []
        p = _skip(text, pos + 1)
        while p < len(text) and text[p] != "]":
            items.append(p)
            p = _after_value(text, p)
        return items


class IndexedJsonLocator(JsonLocator):
    """Locates pointers with the help of the parsed data (for files the fast loader proved clean).

    A member is found by searching its key token forward from its object's offset: one C-level
    search instead of a Python step per sibling. The first real key token found is the member
    itself unless an earlier sibling container also holds that key (then the scanner decides).
    Requires no duplicate keys, which the fast loader guarantees.
    """

    def __init__(self, text: str, top_items: list[int], data: Any) -> None:
        super().__init__(text, top_items)
        self._data, self._top = data, top_items
        self._start = _skip(text, 0)
        self._found: dict[tuple[int, str], int] = {}
        self.plain = "\\" not in text

    def offset(self, pointer: Sequence[str | int], last_key: bool = False) -> int:
        """Character offset of the value at ``pointer`` (or of its nearest existing ancestor)."""
        pos, value = self._start, self._data
        for depth, key in enumerate(pointer):
            kind = type(value)
            if kind is dict and type(key) is str and key in value:
                cached = self._found.get((pos, key))
                pos = cached if cached is not None else self._member(pos, value, key)
            elif kind is list and type(key) is int and 0 <= key < len(value):
                pos = self._top[key] if depth == 0 else self._members(pos)[key]
            else:
                return pos
            value = value[key]
        return pos

    def _member(self, pos: int, obj: dict[str, Any], key: str) -> int:
        text, found = self._text, None
        pattern = _key_pattern(key)
        match = pattern.search(text, pos + 1) if pattern is not None else None
        while match is not None and text[match.start() - 1] == "\\":  # a quote escaped inside a string
            match = pattern.search(text, match.start() + 1)  # type: ignore[union-attr]
        # Without escapes in the file every key is written as it reads, so the first key token
        # found is the member unless an earlier sibling container holds the same key.
        if match is not None and (
            _no_bracket(text, pos + 1, match.start()) or (self.plain and not _nested_before(obj, key))
        ):
            found = match.end()
        if found is None:  # a key written with escapes, or a sibling container holds it too
            found = self._members(pos)[(key, False)]
        self._found[(pos, key)] = found
        return found


_PLAIN_KEY = re.compile(r'[^"\\\x00-\x1f]*')


@lru_cache(maxsize=1024)
def _key_pattern(key: str) -> re.Pattern[str] | None:
    """The key token followed by its colon, for keys written without escapes."""
    if _PLAIN_KEY.fullmatch(key) is None:
        return None
    return re.compile('"' + re.escape(key) + '"[ \t\n\r]*:[ \t\n\r]*')


def _no_bracket(text: str, start: int, stop: int) -> bool:
    """No bracket between: a key token found there is a direct member of the object before it."""
    find = text.find
    return (
        find("{", start, stop) == -1
        and find("}", start, stop) == -1
        and find("[", start, stop) == -1
        and find("]", start, stop) == -1
    )


def _nested_before(obj: dict[str, Any], key: str) -> bool:
    """Whether a container member before ``key`` holds ``key`` at any depth."""
    for name, value in obj.items():
        if name == key:
            return False
        if (type(value) is dict or type(value) is list) and _holds_key(value, key):
            return True
    return False


def _holds_key(value: Any, key: str) -> bool:
    if type(value) is dict:
        if key in value:
            return True
        value = value.values()
    return any((type(child) is dict or type(child) is list) and _holds_key(child, key) for child in value)


def _skip(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]


def _after_value(text: str, pos: int) -> int:
    """Offset just past the value at ``pos`` and its trailing comma."""
    try:
        _, end = _SCAN(text, pos)
    except (StopIteration, ValueError):
        return len(text)
    return _COMMA.match(text, end).end()  # type: ignore[union-attr]


def key_place(locator: Locator, pointer: Sequence[str | int]) -> tuple[int, int]:
    """Where the key naming ``pointer``'s last step starts, where the locator records keys (YAML);
    elsewhere the place of its value."""
    if isinstance(locator, YamlLocator):
        return locator.key_position(pointer)
    return locator.position(pointer)


class YamlLocator:
    """Locates pointers in a ruamel.yaml round-trip tree using its line/column records."""

    def __init__(self, tree: Any) -> None:
        self._tree = tree

    def positions(self, pointers: Sequence[Sequence[str | int]]) -> list[tuple[int, int]]:
        """Positions of many pointers."""
        return [self.position(pointer) for pointer in pointers]

    def key_position(self, pointer: Sequence[str | int]) -> tuple[int, int]:
        """Line and column of the key naming the last step of ``pointer`` (for unknown keys)."""
        parent = self._tree
        try:
            for key in pointer[:-1]:
                parent = parent[key]
            line, col = parent.lc.key(pointer[-1])
        except (AttributeError, KeyError, IndexError, TypeError):
            return self.position(pointer)
        return line + 1, col + 1

    def position(self, pointer: Sequence[str | int], last_key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``pointer`` (or of its nearest existing ancestor)."""
        node, line, col = self._tree, 0, 0
        start = getattr(node, "lc", None)
        if start is not None and start.line is not None:
            line, col = start.line, start.col
        for key in pointer:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(key, int):
                    line, col = lc.item(key)  # type: ignore[union-attr]
                else:
                    line, col = lc.value(key)  # type: ignore[union-attr]
                node = node[key]
            except (AttributeError, KeyError, IndexError, TypeError):
                break
        return line + 1, col + 1
