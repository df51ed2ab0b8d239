"""The page's data file: entries packed losslessly so that 10,000 entries stay small and gzip well.

Leaderboard entries repeat most of their content (the same hardware, environment, versions and KV-cache
objects, the same reproduce command): each distinct object and string is written once and referred to by
index. ``core.js`` (``LB.unpack``) rebuilds the exact entries; the tests compare both ends.

Packed form::

    {"format": 1, "shapes": [[key, kind, key, kind, ...], ...], "strings": [...], "objects": [...],
     "single": [packed, ...], "multi": [packed, ...], ...}

A packed object is ``[shape index, value, ...]``; the shape lists its keys in order, each with a kind:
0 = the value is written inline (number, bool, null, array), 1 = index into ``objects``, 2 = index into
``strings``, 3 = index into ``strings`` of the value's JSON text, for a value JavaScript would not read
exactly (an integer beyond 2**53 - 1, or an array holding one): the page parses it for sorting and keeps
the text to show and to download. Arrays are otherwise kept inline as they are.

Beside the entries: ``setup`` and ``contender`` (``bot.site.groups``: per list, each entry's comparable
set-up and engine build, by the validator's configuration key), ``setup_fields`` and ``setup_parts`` (per
set-up, one id per field, so the page can name what set-ups differ in) and ``unsafe`` (the pattern of the
characters the page shows as ⟨U+XXXX⟩, as ``bot.render.plain.visible`` does).
"""

from __future__ import annotations

import json
from typing import Any

from bot.render.plain import UNSAFE_PATTERN
from bot.site.groups import configuration_ids

FORMAT = 2
INLINE, OBJECT, STRING, RAW = 0, 1, 2, 3
MAX_SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER


def inexact_in_js(value: Any) -> bool:
    """True for an integer a JavaScript number cannot hold exactly, or a list holding one anywhere."""
    if type(value) is int:
        return abs(value) > MAX_SAFE_INTEGER
    if isinstance(value, list):
        return any(inexact_in_js(v) for v in value)
    if isinstance(value, dict):
        return any(inexact_in_js(v) for v in value.values())
    return False


class Packer:
    """Collects the shared tables while entries are packed."""

    def __init__(self) -> None:
        self.shapes: list[list[Any]] = []
        self.strings: list[str] = []
        self.objects: list[list[Any]] = []
        self._shape_ids: dict[str, int] = {}
        self._string_ids: dict[str, int] = {}
        self._object_ids: dict[str, int] = {}

    def string(self, value: str) -> int:
        """Index of ``value`` in the string table."""
        if value not in self._string_ids:
            self._string_ids[value] = len(self.strings)
            self.strings.append(value)
        return self._string_ids[value]

    def shared(self, value: dict[str, Any]) -> int:
        """Index of an object in the object table (equal objects, key order included, share one slot)."""
        # The JSON text is the identity: it tells 1 from 1.0 and true, and keeps key order.
        key = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        if key not in self._object_ids:
            packed = self.pack(value)  # before taking the slot: inner objects get lower indices
            self._object_ids[key] = len(self.objects)
            self.objects.append(packed)
        return self._object_ids[key]

    def pack(self, value: dict[str, Any]) -> list[Any]:
        """One object as ``[shape, values...]``."""
        shape: list[Any] = []
        values: list[Any] = []
        for k, v in value.items():
            if isinstance(v, dict):
                shape += [k, OBJECT]
                values.append(self.shared(v))
            elif isinstance(v, str):
                shape += [k, STRING]
                values.append(self.string(v))
            elif inexact_in_js(v):
                shape += [k, RAW]
                values.append(self.string(json.dumps(v, ensure_ascii=False, separators=(",", ":"))))
            else:
                shape += [k, INLINE]
                values.append(v)
        sig = json.dumps(shape, ensure_ascii=False)
        if sig not in self._shape_ids:
            self._shape_ids[sig] = len(self.shapes)
            self.shapes.append(shape)
        return [self._shape_ids[sig], *values]


def pack_payload(lists: dict[str, list[dict[str, Any]]], extra: dict[str, Any]) -> dict[str, Any]:
    """Pack each named entry list; ``extra`` (build time, version, links) is stored as it is."""
    packer = Packer()
    packed = {name: [packer.pack(e) for e in entries] for name, entries in lists.items()}
    tables = {"shapes": packer.shapes, "strings": packer.strings, "objects": packer.objects}
    ids = configuration_ids(lists)
    return {"format": FORMAT, **extra, "unsafe": UNSAFE_PATTERN, **ids, **tables, **packed}
