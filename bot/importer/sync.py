"""What a sync from a Hugging Face dataset changes in the data files. Pure: bytes in, a plan out.

The dataset's files are read with the loader's hygiene checks and converted by ``bot.importer.hub``;
each entry is matched with the published ones by ``entry_id``, then by upload-hf's idempotency key
(a re-uploaded run keeps its published id). A published entry counts as changed only when the
dataset holds something else than what was published (neither its file's item nor the conversion of
it is the published entry), so the importer's normalization never rewrites published data. New
entries are appended to their data file and changed ones replaced in place, with the splicer the
merge uses, so the sync pull request edits the data files like a contributor would and the pipeline
checks exactly those edits (``evaluate`` with the data files as head). Entries missing from the
dataset are left alone: removing published results stays a maintainer's pull request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.findings import Finding, Pointer
from bot.contract.loader import load_bytes
from bot.contract.validate import locate
from bot.importer.hub import HubEntries, from_aggregate, from_canonical, idempotency_key
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.splice import splice
from bot.ledger.submission import Submitter, target_file

# Said by the command and by the workflow when the dataset holds nothing new.
MSG_NOTHING = "{dataset} at {short}: {entries} entries, all published already: nothing to sync."

AGGREGATE_FILES = ("leaderboard_single.json", "leaderboard_multi.json")
CANONICAL_FOLDER = "canonical"
SUBMITTER = "sagellm-benchmark (Hugging Face dataset sync)"
MAINTAINED = ("verified",)  # metadata a maintainer sets here; the dataset cannot take it back
FILLED = ("submitted_at", "submitter")  # metadata the bot fills in when an entry lacks it


@dataclass(frozen=True)
class HubFiles:
    """The dataset's files at one commit, and which of the tool's shapes they are."""

    dataset: str
    sha: str
    source: str  # aggregate | canonical
    files: Mapping[str, bytes]


@dataclass(frozen=True)
class HubEntry:
    """One entry of the dataset: where it is, as the dataset holds it, and as converted."""

    label: str
    pointer: Pointer
    raw: Any
    entry: dict[str, Any]


@dataclass
class SyncPlan:
    """The data files as the sync would leave them, and everything the pipeline said about it."""

    findings: list[Finding] = field(default_factory=list)  # the dataset's files could not be read
    texts: dict[str, str] = field(default_factory=dict)  # data file → new text (changed files only)
    outcome: Outcome | None = None
    entries: int = 0  # entries read from the dataset
    notes: list[str] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        """True when the dataset's files had errors before any entry could be compared."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def changes(self) -> int:
        """How many entries the sync adds or changes."""
        return len(self.outcome.merge.changes) if self.outcome else 0


def hub_label(dataset: str, path: str) -> str:
    """How findings name a file of the dataset."""
    return f"hf://datasets/{dataset}/{path}"


def plan_sync(hub: HubFiles, base: Mapping[str, Document], config: Config, now: dt.datetime) -> SyncPlan:
    """Read, convert, match and check the dataset's entries against the published data files."""
    plan = SyncPlan()
    documents, converted = _convert(hub, config, plan)
    if plan.unreadable:
        return plan
    origins: dict[tuple[str, int], tuple[str, Pointer]] = {}
    plan.texts = _edits(base, converted, origins)
    head = {}
    for name, doc in base.items():
        text = plan.texts.get(name, doc.text)
        loaded = load_bytes(name, text.encode(), max_bytes=len(text.encode()) + 1, max_depth=config.max_depth)
        if loaded.document is not None:
            head[name] = loaded.document
    outcome = evaluate(
        base,
        Submission(
            [], head=head, edit_base=base, submitter=Submitter(SUBMITTER), load_findings=plan.findings
        ),
        config,
        now=now,
        allow_changes=True,
    )
    outcome.findings = _to_hub(outcome, origins, documents)
    if outcome.merge.texts:
        plan.texts = dict(outcome.merge.texts)  # normalized exactly as a merge will write them
    plan.outcome = outcome
    return plan


def _convert(hub: HubFiles, config: Config, plan: SyncPlan) -> tuple[list[Document], list[HubEntry]]:
    """Load and convert every file: the documents (for locating findings) and their entries."""
    documents: list[Document] = []
    converted: list[HubEntry] = []
    limit = config.max_data_file_bytes if hub.source == "aggregate" else config.max_submission_bytes
    for path in sorted(hub.files):
        label = hub_label(hub.dataset, path)
        loaded = load_bytes(label, hub.files[path], max_bytes=limit, max_depth=config.max_depth, kind="json")
        plan.findings += loaded.findings
        doc = loaded.checkable
        if doc is None:
            continue
        documents.append(doc)
        result: HubEntries = (from_aggregate if hub.source == "aggregate" else from_canonical)(
            label, doc.data
        )
        plan.findings += result.findings
        plan.notes += result.notes
        pointers = [p for p, item in doc.entries() if isinstance(item, Mapping)]
        for index, entry in enumerate(result.entries):
            pointer = pointers[index] if len(pointers) == len(result.entries) else ()
            raw = doc.data[pointer[0]] if pointer else doc.data if not isinstance(doc.data, list) else None
            converted.append(HubEntry(label, pointer, raw, entry))
    locate(plan.findings, documents)
    plan.findings.sort(key=Finding.sort_key)
    plan.entries = len(converted)
    return documents, converted


def _edits(
    base: Mapping[str, Document],
    converted: list[HubEntry],
    origins: dict[tuple[str, int], tuple[str, Pointer]],
) -> dict[str, str]:
    """New data file texts: changed entries replaced in place, new ones appended to their file."""
    by_id: dict[str, tuple[str, int]] = {}
    by_key: dict[str, tuple[str, int]] = {}
    for name, doc in base.items():
        for index, item in enumerate(doc.data):
            if isinstance(item, dict) and isinstance(item.get("entry_id"), str):
                by_id.setdefault(item["entry_id"], (name, index))
                key = idempotency_key(item)
                if key:
                    by_key.setdefault(key, (name, index))
    replace: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in base}
    append: dict[str, list[dict[str, Any]]] = {name: [] for name in base}
    for item in converted:
        label, pointer, entry = item.label, item.pointer, item.entry
        key = idempotency_key(entry)  # the importer keeps only entries with an entry_id
        place = by_id.get(str(entry.get("entry_id"))) or (by_key.get(key) if key else None)
        if place is None:
            name = _file_for(base, entry)
            origins[(name, len(base[name].data) + len(append[name]))] = (label, pointer)
            append[name].append(entry)
            continue
        name, index = place
        published = base[name].data[index]
        entry = _carry(published, entry)
        # Unchanged on the dataset: what was published is what the dataset holds, or its conversion.
        if entry != published and item.raw != published:
            replace[name][index] = entry
            origins[(name, index)] = (label, pointer)
    texts = {}
    for name, doc in base.items():
        if replace[name] or append[name]:
            edited = splice(doc.text, doc.item_offsets or [], append=append[name], replace=replace[name])
            texts[name] = edited.text
    return texts


def _file_for(base: Mapping[str, Document], entry: Mapping[str, Any]) -> str:
    wanted = target_file(entry)
    return next((name for name in base if name.endswith(wanted)), next(iter(base)))


def _carry(published: Mapping[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The dataset's entry with the published id and what maintainers and the bot set on it."""
    entry = {**entry, "entry_id": published["entry_id"]}
    old, new = published.get("metadata"), entry.get("metadata")
    if isinstance(old, dict) and isinstance(new, dict):
        new = dict(new)
        for key in MAINTAINED:
            if key in old:
                new[key] = old[key]
        for key in FILLED:
            if key in old and not new.get(key):
                new[key] = old[key]
        entry["metadata"] = new
    return entry


def _to_hub(
    outcome: Outcome, origins: dict[tuple[str, int], tuple[str, Pointer]], documents: list[Document]
) -> list[Finding]:
    """Findings about the dataset's entries, named by the dataset's file and place (not the data file's)."""
    moved: list[Finding] = []
    for finding in outcome.findings:
        at = (
            (finding.file, finding.pointer[0])
            if finding.pointer and isinstance(finding.pointer[0], int)
            else None
        )
        origin = origins.get(at) if at else None
        if origin is None:
            moved.append(finding)
            continue
        label, prefix = origin
        pointer = (*prefix, *finding.pointer[1:])
        moved.append(dataclasses.replace(finding, file=label, pointer=pointer, line=None, column=None))
    for change in outcome.merge.changes:
        change.source = _source_of(change.entry_id, outcome, origins) or change.source
    locate(moved, documents)
    moved.sort(key=Finding.sort_key)
    return moved


def _source_of(
    entry_id: str, outcome: Outcome, origins: dict[tuple[str, int], tuple[str, Pointer]]
) -> str | None:
    for item in outcome.submitted:
        if item.entry_id == entry_id and item.pointer and isinstance(item.pointer[0], int):
            origin = origins.get((item.file, item.pointer[0]))
            if origin:
                return origin[0]
    return None
