"""What a submission contributes: entries from submission files, or the entries added, changed
and removed by edits of the data files (the old manual flow); plus normalization of new entries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.contract.crosschecks import MULTI_FILE, SINGLE_FILE, data_file_role
from bot.contract.document import Document
from bot.contract.findings import Hit, Pointer, json_path

SUBMISSIONS_DIR = "data/submissions"
MSG_VERIFIED = "metadata.verified is true, but only maintainers can mark an entry verified: set to false"
NOTE_ID = "entry_id was missing: assigned {value}"
NOTE_TIME = "metadata.submitted_at was missing: set to {value}"
NOTE_SUBMITTER = "metadata.submitter was missing: set to {value}"

Kind = Literal["new", "changed"]


@dataclass
class Submitted:
    """One submitted entry and where it came from."""

    entry: dict[str, Any]
    file: str
    pointer: Pointer
    kind: Kind = "new"
    notes: list[str] = field(default_factory=list)
    # A changed entry: the copy the edit was made to (the data file where the pull request branched off).
    # The merge compares it with the copy published now, so that no change made since is undone unseen.
    before: dict[str, Any] | None = None

    @property
    def entry_id(self) -> str | None:
        """The entry's id when it is text."""
        value = self.entry.get("entry_id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Removed:
    """An existing entry that an edited data file no longer contains."""

    entry: dict[str, Any]
    file: str
    index: int


@dataclass(frozen=True)
class Submitter:
    """Who submits: their name for metadata.submitter, and whether they are a maintainer."""

    name: str | None = None
    is_maintainer: bool = False


def target_file(entry: Mapping[str, Any]) -> str:
    """The data file an entry belongs in, by its config_type."""
    return MULTI_FILE if entry.get("config_type") == "multi_node" else SINGLE_FILE


def from_documents(documents: list[Document]) -> list[Submitted]:
    """Every entry object of the submission files (non-objects are left to the schema check)."""
    return [
        Submitted(entry, doc.file, pointer)
        for doc in documents
        for pointer, entry in doc.entries()
        if isinstance(entry, dict)
    ]


def entries_by_id(documents: Mapping[str, Document]) -> dict[str, dict[str, Any]]:
    """The entries of the documents by id (the first copy of an id published twice)."""
    found: dict[str, dict[str, Any]] = {}
    for doc in documents.values():
        for _, entry in doc.entries():
            if isinstance(entry, dict) and isinstance(entry.get("entry_id"), str):
                found.setdefault(entry["entry_id"], entry)
    return found


def from_edits(
    base: Mapping[str, Document], head: Mapping[str, Document]
) -> tuple[list[Submitted], list[Removed]]:
    """Entries added or changed in edited data files, and entries they dropped (matched by id)."""
    base_ids = entries_by_id(base)
    submitted: list[Submitted] = []
    seen: set[str] = set()
    for doc in head.values():
        for pointer, entry in doc.entries():
            if not isinstance(entry, dict):
                continue
            entry_id = entry.get("entry_id")
            old = base_ids.get(entry_id) if isinstance(entry_id, str) else None
            if entry_id in seen:
                old = None  # a repeated id is a new entry, so the duplicate is reported (LB301/LB302)
            if isinstance(entry_id, str):
                seen.add(entry_id)
            if old is None:
                submitted.append(Submitted(entry, doc.file, pointer))
            elif old != entry:
                submitted.append(Submitted(entry, doc.file, pointer, "changed", before=old))
    return submitted, _dropped(base, head)


def _dropped(base: Mapping[str, Document], head: Mapping[str, Document]) -> list[Removed]:
    """The base entries the head no longer holds: by id, and the extra copies of an id the base
    holds more often than the head (a pull request that removes a duplicate)."""
    left = Counter(
        entry["entry_id"]
        for doc in head.values()
        for _, entry in doc.entries()
        if isinstance(entry, dict) and type(entry.get("entry_id")) is str
    )
    # Only data files present in the head can drop entries; an absent file is unchanged.
    head_roles = {data_file_role(name) for name in head}
    removed = []
    for name, doc in base.items():
        if not isinstance(doc.data, list) or data_file_role(name) not in head_roles:
            continue
        for index, entry in enumerate(doc.data):
            entry_id = entry.get("entry_id") if isinstance(entry, dict) else None
            if type(entry_id) is str and left[entry_id] > 0:
                left[entry_id] -= 1  # the head still holds this copy
            elif isinstance(entry, dict):
                removed.append(Removed(entry, name, index))
    return removed


def fresh_id() -> str:
    """A new random entry_id (a local submission)."""
    return str(uuid.uuid4())


def stable_id(origin: str, item: Submitted) -> str:
    """The entry_id of an entry without one, from where it was submitted (uuid5 of the pull request's
    URL, the file and the entry's place): the same at every check of that head and at its merge."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{origin}/files/{item.file}#{json_path(item.pointer)}"))


def normalize(
    item: Submitted,
    submitter: Submitter,
    now: dt.datetime,
    new_id: Callable[[], str] = fresh_id,
) -> list[Hit]:
    """Fill in what the bot may fill in, and reset what a submitter may not claim."""
    entry = item.entry
    if "entry_id" not in entry:
        entry["entry_id"] = new_id()
        item.notes.append(NOTE_ID.format(value=entry["entry_id"]))
    metadata = entry.get("metadata")
    if not isinstance(metadata, dict):  # a missing metadata object is reported by the schema check
        return []
    if "submitted_at" not in metadata:
        metadata["submitted_at"] = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        item.notes.append(NOTE_TIME.format(value=metadata["submitted_at"]))
    if submitter.name and not metadata.get("submitter"):
        metadata["submitter"] = submitter.name
        item.notes.append(NOTE_SUBMITTER.format(value=submitter.name))
    if metadata.get("verified") is True and not submitter.is_maintainer and item.kind == "new":
        metadata["verified"] = False
        return [Hit("LB206", ("metadata", "verified"), MSG_VERIFIED, fix=False, has_fix=True)]
    return []
