"""The merged data files as documents, built from what the merge's proof read: the next submission
of a batch is checked against them instead of parsing the whole file again (about a third of a
second per pull request at 10,000 entries, about 15 ms instead).

A merged document is built only when loading its text could report nothing: the base was proven
free of duplicate keys by a fast loader, the merged file is within the size and depth limits, and it
still holds items. Everything else about a loaded file holds by construction (the kept items are the
base's proven bytes, and the written ones are ``json.dumps`` of entries that loaded cleanly). It then
has the data, item offsets and positions loading would give; ``plain_objects`` may be True where a
loader that took the precise path (an integer beyond 64 bits, say) could not prove it. In every
other case the caller loads the text as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.contract.canonical import CanonicalLocator
from bot.contract.document import Document, depth_within
from bot.contract.locate import IndexedJsonLocator
from bot.ledger.base_probe import carry_index
from bot.ledger.merge import MergeResult
from bot.ledger.merge_verify import Rewritten


@dataclass(frozen=True)
class Limits:
    """What loading a data file would refuse: more bytes than ``max_bytes``, deeper than ``max_depth``."""

    max_bytes: int
    max_depth: int


def merged_documents(base: Mapping[str, Document], merge: MergeResult, limits: Limits) -> dict[str, Document]:
    """The merged files the merge's proof read, as documents, where it can tell (see merged_document).

    Built on demand: a batch goes on with them, a single merge needs none and pays nothing for them.
    """
    found = {}
    for name, text in merge.texts.items():  # no texts (a blocked merge): no documents either
        rewritten = merge.rewritten.get(name)
        document = merged_document(base[name], text, rewritten, limits) if rewritten else None
        if document is not None:
            found[name] = document
    return found


def next_base(base: Mapping[str, Document], merge: MergeResult, limits: Limits) -> dict[str, Document] | None:
    """The base the next submission of a batch is checked against: ``base`` with the merged files as
    documents; None when some merged file can only be loaded from its text."""
    merged = merged_documents(base, merge, limits)
    return {**base, **merged} if merged.keys() >= merge.texts.keys() else None


def merged_document(base: Document, text: str, rewritten: Rewritten, limits: Limits) -> Document | None:
    """The merged file as loading ``text`` would give it, or None where only loading can tell."""
    # The fast loaders prove that no object holds a key twice, which IndexedJsonLocator relies on.
    if base.kind != "json" or not isinstance(base.locator, (CanonicalLocator, IndexedJsonLocator)):
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if size > limits.max_bytes:
        return None  # loading reports LB007
    if not all(depth_within(item, limits.max_depth - 1) for item in rewritten.written):
        return None  # loading reports LB008 (one level is the array)
    items, offsets = rewritten.layout(base)
    if not items:
        return None  # an emptied array is read by the precise loader, which proves nothing plain
    locator = IndexedJsonLocator(text, offsets, items)
    # Kept items are the base's: where it proved them objects, only the written ones are new.
    objects = all(type(item) is dict for item in (rewritten.written if base.plain_objects else items))
    merged = Document(base.file, "json", text, items, locator, offsets, locator.plain and objects)
    if not rewritten.dropped:  # only appended: the base's index goes on, extended by the new items
        carry_index(base, merged, rewritten.written)
    return merged
