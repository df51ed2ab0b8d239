"""Compare two versions of the leaderboard entry by entry, and field by field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.contract.findings import Pointer, json_path

FILE_FIELD = "file"  # the pseudo-path of a change of data file
COPIES_FIELD = "copies"  # the pseudo-path of a change in how many times the data files hold an entry


@dataclass(frozen=True)
class FieldChange:
    """One value that differs: its JSONPath inside the entry, the old and the new value."""

    path: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape used by ``leaderboard-bot diff --format json``."""
        return {"path": self.path, "old": self.old, "new": self.new}


@dataclass
class DataDiff:
    """Entries added, removed and changed between two versions of the data files."""

    added: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    changed: dict[str, list[FieldChange]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """{"added": [ids], "removed": [ids], "changed": [ids], "changes": {id: [...]}} with sorted ids."""
        return {
            "added": sorted(self.added),
            "removed": sorted(self.removed),
            "changed": sorted(self.changed),
            "changes": {key: [c.as_dict() for c in self.changed[key]] for key in sorted(self.changed)},
        }


# entry_id → (file name, entry), as index_entries builds it.
EntriesById = Mapping[str, tuple[str, dict[str, Any]]]


def _identified(files: Mapping[str, Sequence[Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(file name, entry_id, entry) of every entry object with a text id, in file order."""
    for name, entries in files.items():
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("entry_id"), str):
                yield name, entry["entry_id"], entry


def index_entries(files: Mapping[str, Sequence[Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    """entry_id → (file name, entry) over several data files (first occurrence wins)."""
    index: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, entry_id, entry in _identified(files):
        index.setdefault(entry_id, (name, entry))
    return index


def copy_counts(files: Mapping[str, Sequence[Any]]) -> dict[str, int]:
    """entry_id → how many times the data files hold it, for the ids they hold more than once."""
    counts = Counter(entry_id for _, entry_id, _ in _identified(files))
    return {key: count for key, count in counts.items() if count > 1}


def diff_entries(
    base: EntriesById, head: EntriesById, copies: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {})
) -> DataDiff:
    """Added, removed and changed entries; an entry that moved to the other file is changed, and so is
    one held a different number of times (``copies``: the ``copy_counts`` of base and head)."""
    result = DataDiff()
    for entry_id, (file, entry) in head.items():
        old = base.get(entry_id)
        if old is None:
            result.added[entry_id] = (file, entry)
            continue
        before, after = copies[0].get(entry_id, 1), copies[1].get(entry_id, 1)
        changes = [FieldChange(COPIES_FIELD, before, after)] if before != after else []
        changes += [FieldChange(FILE_FIELD, old[0], file)] if old[0] != file else []
        # Not guarded by ``old[1] != entry``: ``==`` calls 0 and -0.0 (or 1 and 1.0) equal, yet the text
        # changed, and field_changes reports that; one walk keeps the two views of a change the same.
        changes += field_changes(old[1], entry)
        if changes:
            result.changed[entry_id] = changes
    for entry_id, where in base.items():
        if entry_id not in head:
            result.removed[entry_id] = where
    return result


def field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Leaf-level differences between two values, in document order."""
    return list(_walk(old, new, ()))


_MISSING = object()


def _walk(old: Any, new: Any, pointer: Pointer) -> Iterator[FieldChange]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _walk(old.get(key, _MISSING), new.get(key, _MISSING), (*pointer, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _walk(a, b, (*pointer, index))
    elif old != new or type(old) is not type(new):
        yield FieldChange(
            json_path(pointer), None if old is _MISSING else old, None if new is _MISSING else new
        )
