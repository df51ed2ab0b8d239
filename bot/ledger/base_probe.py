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
from itertools import compress, repeat
from typing import Any

from bot.contract.crosschecks import fold
from bot.contract.document import Document
from bot.contract.rules import section

PROBE_FIELDS = (
    ("hardware", "chip_model"),
    ("model", "name"),
    ("workload", "batch_size"),
    ("workload", "concurrent_requests"),
)
_CONTAINERS = {dict, list}


def candidates(
    doc: Document, wanted_ids: Collection[Any], entries: Sequence[Mapping[str, Any]]
) -> list[int] | None:
    """Indices (in base order) of the items a submission can meet; None when every item must be read."""
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
        sections: list[Any] = [item.get(name) for item in items]
        if not set(map(type, sections)) <= {dict}:
            return None
        values = [_folded(v) for v in map(dict.get, sections, repeat(field))]
        targets = [_folded(section(entry, name).get(field)) for entry in entries]
        if (set(map(type, values)) | set(map(type, targets))) & _CONTAINERS:
            return None  # configuration keys write containers as JSON text: compare them in full
        hits = set(compress(range(len(values)), map(set(targets).__contains__, values)))
        matching = hits if matching is None else matching & hits
    return matching
