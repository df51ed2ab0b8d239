"""The proof that merged data files hold every entry exactly once, before anyone writes them.

The merged text of a changed data file is read again where it changed: its top-level structure
(``[``, separators, ``]``) is parsed, every run of kept items must be the base file's exact text
(so it holds exactly the base's items, proven when the base was loaded), and every item the merge
wrote is parsed back. That equals re-reading the whole file, at the cost of the change: a run that
the splice kept as a range of the base's text is recognized by where it points, and any other text
is compared. The entry ids written and dropped must then be the ones the planned changes add and
remove. A base that cannot be read this way (an empty array, an item that is not an object) is
re-read whole, as before.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.contract.document import Document
from bot.ledger.pieces import Spliced


@dataclass(frozen=True)
class Edit:
    """What the splice did to one data file: items removed and replaced (by index), items appended."""

    remove: Collection[int]
    replace: Collection[int]
    appended: int


@dataclass(frozen=True)
class Rewritten:
    """What the proof read in one merged file: the items the merge wrote, the base items it dropped,
    and where each run of kept base items and each written item starts in the merged text."""

    written: list[Any]
    dropped: list[Any]
    # In file order: (first, last, shift) for a run of kept base items, now ``shift`` characters
    # further on, or the offset of the next written item.
    steps: list[tuple[int, int, int] | int]

    def layout(self, base: Document) -> tuple[list[Any], list[int]]:
        """The merged file's items (kept ones are the base's objects) and their start offsets."""
        items: list[Any] = []
        offsets: list[int] = []
        written, starts = iter(self.written), base.item_offsets or []
        for step in self.steps:
            if isinstance(step, int):
                items.append(next(written))
                offsets.append(step)
            else:
                first, last, shift = step
                items += base.data[first : last + 1]
                offsets += [start + shift for start in starts[first : last + 1]]
        return items, offsets


@dataclass(frozen=True)
class Proof:
    """Ids whose count differs from the plan (none: proven), and each file as the proof read it
    (none when a file had to be re-read whole)."""

    wrong: list[str]
    files: dict[str, Rewritten]


def prove(
    base: Mapping[str, Document],
    texts: Mapping[str, Spliced],
    edits: Mapping[str, Edit],
    planned: tuple[Sequence[Any], Sequence[str]],
) -> Proof:
    """Compare the entry ids of the merged files with the plan (``planned``: entries removed, ids added)."""
    olds, news = planned
    expected = Counter(news)
    expected.subtract(id_counts(olds))
    actual: Counter[str] = Counter()
    if not all(_objects_only(doc) for doc in base.values()):
        return Proof(_whole(base, texts, olds, news), {})
    files = {}
    for name, text in texts.items():
        proven = changed_items(base[name], text, edits[name])
        if proven is None:
            return Proof(_whole(base, texts, olds, news), {})
        actual.update(id_counts(proven.written))
        actual.subtract(id_counts(proven.dropped))
        files[name] = proven
    return Proof(_differing(expected, actual), files)


def changed_items(doc: Document, text: Spliced, edit: Edit) -> Rewritten | None:
    """The merged ``text`` as the proof reads it: the items it holds instead of the base's, the base
    items it dropped, and where its items start; None if it is not the planned edit."""
    starts = doc.item_offsets
    cursor = _after(text, 0, "[")
    if not starts or cursor is None:
        return None
    written, first = [], True
    placed: list[tuple[int, int, int] | int] = []  # the steps, where the merged text holds them
    for step in _steps(len(starts), edit):
        if not first and (cursor := _after(text, cursor, ",")) is None:
            return None
        first = False
        if step is None:  # an item the merge wrote: parse it back
            placed.append(cursor)
            try:
                value, cursor = text.decode(cursor)
            except ValueError:
                return None
            written.append(value)
            continue
        begin, end = starts[step[0]], _trim(doc.text, starts[step[0]], _old_end(doc, step[1]))
        if not text.holds(doc.text, begin, end, cursor):
            return None
        placed.append((step[0], step[1], cursor - begin))
        cursor += end - begin
    if _after(text, cursor, "]") != len(text):
        return None
    dropped = sorted({*edit.remove, *edit.replace})
    return Rewritten(written, [doc.data[index] for index in dropped], placed)


def _steps(count: int, edit: Edit) -> list[tuple[int, int] | None]:
    """The merged file in order: runs of kept base items (first, last index) and written items (None)."""
    steps: list[tuple[int, int] | None] = []
    kept_from = 0
    for index in sorted({*edit.remove, *edit.replace}):
        if index > kept_from:
            steps.append((kept_from, index - 1))
        if index not in edit.remove:
            steps.append(None)  # replaced in place
        kept_from = index + 1
    if kept_from < count:
        steps.append((kept_from, count - 1))
    return steps + [None] * edit.appended


def _old_end(doc: Document, index: int) -> int:
    """Where base item ``index`` ends: at its separator, or at the closing bracket for the last one."""
    starts = doc.item_offsets or []
    if index + 1 < len(starts):
        return doc.text.rfind(",", starts[index], starts[index + 1])
    return doc.text.rfind("]")  # only whitespace follows the closing bracket of a loaded array


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _after(text: Spliced, at: int, mark: str) -> int | None:
    """Past ``mark`` and the whitespace around it, from ``at``; None if ``mark`` is not next."""
    found = text.non_space(at)
    return text.non_space(found + 1) if text.char(found) == mark else None


def _objects_only(doc: Document) -> bool:
    return doc.plain_objects or (isinstance(doc.data, list) and set(map(type, doc.data)) <= {dict})


def id_counts(entries: Iterable[Any]) -> Counter[str]:
    """How often each entry id occurs ("?" for items that are not objects)."""
    return Counter(str(e.get("entry_id")) if isinstance(e, dict) else "?" for e in entries)


def _differing(expected: Counter[str], actual: Counter[str]) -> list[str]:
    return sorted(k for k in expected.keys() | actual.keys() if expected.get(k, 0) != actual.get(k, 0))


def _whole(
    base: Mapping[str, Document], texts: Mapping[str, Spliced], olds: Sequence[Any], news: Sequence[str]
) -> list[str]:
    """The full re-read: every id of every merged file against the base's, minus and plus the plan."""
    expected: Counter[str] = Counter()
    for doc in base.values():
        expected.update(id_counts(entry for _, entry in doc.entries() if isinstance(entry, dict)))
    expected.subtract(id_counts(olds))
    expected.update(news)
    actual: Counter[str] = Counter()
    for name, doc in base.items():
        actual.update(id_counts(json.loads(texts[name].text) if name in texts else doc.data))
    return _differing(expected, actual)
