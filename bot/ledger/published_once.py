"""Each entry published once, before and after a merge.

The merge proof (``bot.ledger.merge_verify``) proves what a merge changes: the ids it writes and
drops are the planned ones. A base that already publishes an id twice (a push that bypassed the
bot, a conflict resolved by hand) passes that proof, and the merge would publish the duplicate on.
So the copies are looked up in the base index, where they were counted once while indexing, and a
merge that keeps more than one copy of an id is refused (LB309) unless it removes the extra ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from itertools import combinations
from typing import Any, Protocol

from bot.contract.document import Document
from bot.contract.findings import Finding, json_path
from bot.contract.ruletable import RULES
from bot.ledger.base_probe import base_index, repeated_ids

MSG_TWICE = "entry {entry} is published {count} times ({places}); this merge would keep it so"
MSG_MORE = " and {count} more"
_SHOWN = 5  # places named in the message (a file may repeat one entry thousands of times)
Place = tuple[str, int]  # (data file, item index)


class FileOps(Protocol):
    """What a merge does to one data file: items appended, replaced (by index) and removed."""

    @property
    def append(self) -> Sequence[Mapping[str, Any]]:
        """Entries appended at the end."""
        ...

    @property
    def replace(self) -> Mapping[int, Mapping[str, Any]]:
        """Entries written over the item at each index."""
        ...

    @property
    def remove(self) -> Collection[int]:
        """Indices of the items removed."""
        ...


def copies(base: Mapping[str, Document]) -> dict[str, list[Place]]:
    """Every place of each entry id that the base publishes more than once, in base order."""
    ids = {name: _ids(doc) for name, doc in base.items()}
    wanted = {entry_id for _, repeated in ids.values() for entry_id in repeated}
    for (one, _), (other, _) in combinations(ids.values(), 2):  # an id in both files
        wanted.update(i for i in one.keys() & other.keys() if type(i) is str)  # C-level intersection
    found: dict[str, list[Place]] = {}
    for name, (first, repeated) in ids.items():
        for entry_id in wanted:
            positions = repeated.get(entry_id) or ((first[entry_id],) if entry_id in first else ())
            found.setdefault(entry_id, []).extend((name, at) for at in positions)
    return found


def published_twice(
    base: Mapping[str, Document], published: Mapping[str, list[Place]], ops: Mapping[str, FileOps]
) -> list[Finding]:
    """LB309 for each id of ``published`` (the base's ``copies``) still published more than once
    after ``ops``."""
    arriving = Counter(
        entry_id
        for op in ops.values()
        for entry in op.append
        if type(entry_id := entry.get("entry_id")) is str  # a list is no Counter key (a schema error)
    )
    findings = []
    for entry_id, places in sorted(published.items()):
        kept = [(name, at) for name, at in places if _keeps(ops.get(name), at, entry_id)]
        count = len(kept) + arriving[entry_id]
        if count > 1 and kept:
            findings.append(_finding(base, entry_id, count, kept))
    return findings


def _ids(doc: Document) -> tuple[Mapping[Any, int], Mapping[str, tuple[int, ...]]]:
    """The first item of each id in a data file, and every item of each repeated text id."""
    index = base_index(doc)
    if index is not None:
        return index.first_by_id, index.repeated
    items = doc.data if isinstance(doc.data, list) else []  # a base the index cannot read: read it all
    ids = [item.get("entry_id") if type(item) is dict else None for item in items]
    first: dict[Any, int] = {}
    for position, entry_id in enumerate(ids):
        if type(entry_id) is str:
            first.setdefault(entry_id, position)
    return first, repeated_ids(ids)


def _keeps(op: FileOps | None, at: int, entry_id: str) -> bool:
    """Whether the item at ``at`` still holds ``entry_id`` after the merge."""
    if op is None:
        return True
    if at in op.remove:
        return False
    return at not in op.replace or op.replace[at].get("entry_id") == entry_id


def _finding(base: Mapping[str, Document], entry_id: str, count: int, kept: list[Place]) -> Finding:
    """Placed at the first extra copy, in the base's text (a pull request may have edited that file)."""
    name, at = kept[1] if len(kept) > 1 else kept[0]
    places = ", ".join(f"{file} {json_path((index,))}" for file, index in kept[:_SHOWN])
    places += MSG_MORE.format(count=len(kept) - _SHOWN) if len(kept) > _SHOWN else ""
    rule = RULES["LB309"]
    message = MSG_TWICE.format(entry=entry_id, count=count, places=places)
    finding = Finding(name, (at,), rule.id, rule.severity, message, rule.hint, entry_id=entry_id)
    finding.line, finding.column = base[name].locator.position((at,))
    return finding
