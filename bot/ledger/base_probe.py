"""Which published entries a submission can meet, found without Python work per base entry.

A merge compares the submitted entries with the base by id (LB301/LB302) and by configuration
(LB304). Computing every base entry's configuration key costs Python work per entry, and even
touching 10,000 parsed entries is bound by memory latency. Ids are found in the text, scanned
sequentially: in a file without a backslash every string is written as it reads, so an entry with a
wanted id contains that id's JSON token. Configurations are compared after folding lookalike text
(crosschecks.fold), so they are probed by field: ``map`` over ``dict.get`` reads the probe fields of
every entry. Only candidates get full keys, so the answer is exact. A
base neither can read (an item or section that is not an object, a container where a scalar belongs)
returns None: read it all.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from bot.contract.crosschecks import fold
from bot.contract.document import Document
from bot.contract.findings import Pointer
from bot.contract.rules import section

PROBE_FIELDS = (
    ("hardware", "chip_model"),
    ("model", "name"),
    ("workload", "batch_size"),
    ("workload", "concurrent_requests"),
)
_CONTAINERS = {dict, list}


@dataclass(frozen=True)
class BaseIndex:
    """A data file indexed once: the first item of each entry id, and the items of each (folded)
    value of each probe field. A merge then finds its candidates by lookups alone. ``repeated``: every
    item of each text id the file holds more than once (a file the bot wrote has none)."""

    first_by_id: dict[Any, int]
    columns: tuple[dict[Any, list[int]], ...]
    repeated: dict[str, tuple[int, ...]]

    def candidates(self, wanted_ids: Collection[Any], entries: Sequence[Mapping[str, Any]]) -> list[int]:
        """Indices (in base order) of the first item of each wanted id and of the probe matches."""
        found = {self.first_by_id[i] for i in wanted_ids if _hashable(i) and i in self.first_by_id}
        matching: set[int] | None = set() if not entries else None
        for column, (name, field) in zip(self.columns, PROBE_FIELDS, strict=True):
            targets = {_folded(section(entry, name).get(field)) for entry in entries}
            hits = {index for target in targets if _hashable(target) for index in column.get(target, ())}
            matching = hits if matching is None else matching & hits
        return sorted(found | (matching or set()))


def base_index(doc: Document) -> BaseIndex | None:
    """The document's index (built on first use, kept on the document); None for odd shapes."""
    if "base_index" not in doc.cache:
        doc.cache["base_index"] = _build_index(doc.data)
    index: BaseIndex | None = doc.cache["base_index"]
    return index


def carry_index(base: Document, merged: Document, added: Sequence[Any]) -> None:
    """Give ``merged`` (``base`` with ``added`` appended) the base's index extended by the new items,
    when the base has one: what building it afresh would give, for the cost of the new items."""
    if "base_index" not in base.cache:
        return
    index: BaseIndex | None = base.cache["base_index"]
    if index is None or (more := _build_index(list(added))) is None:
        merged.cache["base_index"] = None  # an odd item stays odd; a new odd one makes the file odd
        return
    start = len(base.data)
    first_by_id = dict(index.first_by_id)
    repeated = _carried_repeats(index, more, start)
    for entry_id, position in more.first_by_id.items():
        first_by_id.setdefault(entry_id, start + position)  # the first item of an id wins
    columns = []
    for old, new in zip(index.columns, more.columns, strict=True):
        column = dict(old)
        for value, positions in new.items():
            column[value] = [*column.get(value, ()), *(start + position for position in positions)]
        columns.append(column)
    merged.cache["base_index"] = BaseIndex(first_by_id, tuple(columns), repeated)


def _carried_repeats(index: BaseIndex, more: BaseIndex, start: int) -> dict[str, tuple[int, ...]]:
    """The repeated ids of a file (``index``) with the items of ``more`` appended at ``start``."""
    repeated = dict(index.repeated)
    for entry_id, position in more.first_by_id.items():
        if type(entry_id) is not str:
            continue
        new = tuple(start + at for at in more.repeated.get(entry_id, (position,)))
        if entry_id in index.first_by_id:  # an appended copy of a published id
            repeated[entry_id] = (*repeated.get(entry_id, (index.first_by_id[entry_id],)), *new)
        elif len(new) > 1:
            repeated[entry_id] = new
    return repeated


def _build_index(items: Any) -> BaseIndex | None:
    if not isinstance(items, list) or not set(map(type, items)) <= {dict}:
        return None
    ids = list(map(dict.get, items, repeat("entry_id")))
    if set(map(type, ids)) & _CONTAINERS:
        return None
    first_by_id = dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True))  # the first wins
    repeated = repeated_ids(ids) if len(first_by_id) < len(ids) else {}
    columns = []
    for name, field in PROBE_FIELDS:
        sections: list[Any] = list(map(dict.get, items, repeat(name)))
        if not set(map(type, sections)) <= {dict}:
            return None
        values = list(map(dict.get, sections, repeat(field)))
        if set(map(type, values)) & _CONTAINERS:
            return None
        by_value: dict[Any, list[int]] = {}
        for position, value in enumerate(values):
            by_value.setdefault(value, []).append(position)
        column: dict[Any, list[int]] = {}
        for value, positions in by_value.items():  # lookalike spellings share one folded value
            column.setdefault(_folded(value), []).extend(positions)
        columns.append(column)
    return BaseIndex(first_by_id, tuple(columns), repeated)


def repeated_ids(ids: Sequence[Any]) -> dict[str, tuple[int, ...]]:
    """The positions of each text id that occurs more than once in ``ids``."""
    positions: dict[str, list[int]] = {}
    for position, entry_id in enumerate(ids):
        if type(entry_id) is str:
            positions.setdefault(entry_id, []).append(position)
    return {entry_id: tuple(found) for entry_id, found in positions.items() if len(found) > 1}


def peers(
    base: Mapping[str, Document], entries: Sequence[Mapping[str, Any]]
) -> list[tuple[str, Pointer, Any]]:
    """(file, pointer, item) of the published items that can share a configuration with one of
    ``entries``, in base order: those whose probe fields all match (by the base index), or every
    item of a file the index cannot read. The same-configuration checks and comparisons look no further.
    """
    found: list[tuple[str, Pointer, Any]] = []
    for name, doc in base.items():
        picked = candidates(doc, (), entries) if isinstance(doc.data, list) else None
        pairs = doc.entries() if picked is None else [((index,), doc.data[index]) for index in picked]
        found += [(name, pointer, item) for pointer, item in pairs]
    return found


def _hashable(value: Any) -> bool:
    return type(value) not in _CONTAINERS


def candidates(
    doc: Document, wanted_ids: Collection[Any], entries: Sequence[Mapping[str, Any]]
) -> list[int] | None:
    """Indices (in base order) of the items a submission can meet; None when every item must be read."""
    if not {type(section(e, name).get(field)) for e in entries for name, field in PROBE_FIELDS} & _CONTAINERS:
        index = base_index(doc)
        if index is not None:
            return index.candidates(wanted_ids, entries)
    items = doc.data if isinstance(doc.data, list) else []
    starts = doc.item_offsets
    if doc.plain_objects and starts and len(starts) == len(items):
        # Ids are compared exactly, so the text finds them; configurations are compared folded
        # (lookalike spellings of a model name are one configuration), so they are probed by field.
        found = _text_candidates(doc.text, starts, wanted_ids)
        matching = _probe_matches(items, entries) if set(map(type, items)) <= {dict} else None
        if matching is not None:
            return sorted(found | matching)
    return _field_candidates(items, wanted_ids, entries)


def _text_candidates(text: str, starts: list[int], wanted_ids: Collection[Any]) -> set[int]:
    found: set[int] = set()
    for entry_id in wanted_ids:
        if type(entry_id) is str:
            found |= _items_with(text, starts, entry_id)
    return found


def _token(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _items_with(text: str, starts: list[int], value: str) -> set[int]:
    """Items whose text holds the string ``value``'s JSON token (none if it needs an escape)."""
    token, found = _token(value), set[int]()
    if "\\" in token:
        return found  # a file without backslashes cannot hold it
    at = text.find(token)
    while at != -1:
        item = bisect_right(starts, at) - 1
        found.add(item)
        at = text.find(token, starts[item + 1]) if item + 1 < len(starts) else -1
    return found


def _field_candidates(
    items: Sequence[Any], wanted_ids: Collection[Any], entries: Sequence[Mapping[str, Any]]
) -> list[int] | None:
    if not set(map(type, items)) <= {dict}:
        return None
    ids = list(map(dict.get, items, repeat("entry_id")))
    wanted = {i for i in wanted_ids if type(i) is str}
    if set(map(type, ids)) & _CONTAINERS:
        return None
    found = set(compress(range(len(ids)), map(wanted.__contains__, ids)))
    matching = _probe_matches(items, entries)
    if matching is None:
        return None
    return sorted(found | matching)


def _folded(value: Any) -> Any:
    """Text as configuration keys compare it (see crosschecks.fold); other values unchanged."""
    return fold(value) if type(value) is str else value


def _probe_matches(items: Sequence[dict[str, Any]], entries: Sequence[Mapping[str, Any]]) -> set[int] | None:
    """Indices of items whose probe fields each equal that field of some submitted entry."""
    matching: set[int] | None = None
    for name, field in PROBE_FIELDS:
        if not entries:
            return set()
        sections: list[Any] = list(map(dict.get, items, repeat(name)))  # C-level: no Python step per item
        if not set(map(type, sections)) <= {dict}:
            return None
        values = list(map(dict.get, sections, repeat(field)))
        wanted = [section(entry, name).get(field) for entry in entries]
        if (set(map(type, values)) | set(map(type, wanted))) & _CONTAINERS:
            return None  # configuration keys write containers as JSON text: compare them in full
        targets = set(map(_folded, wanted))  # after the test above: a list cannot be a set member
        # A leaderboard repeats a few values thousands of times: fold each distinct one once.
        good = {value for value in set(values) if _folded(value) in targets}
        hits = set(compress(range(len(values)), map(good.__contains__, values)))
        matching = hits if matching is None else matching & hits
    return matching
