"""The merge engine: decide exactly which entries change in which data file, refuse what is not
safe, produce the new file texts, and prove them before anyone writes them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from bot.contract.config import Config
from bot.contract.crosschecks import Index, Located, configuration_key, data_file_role
from bot.contract.document import Document
from bot.contract.findings import Finding, Hit
from bot.contract.ruletable import RULES
from bot.ledger.base_probe import candidates
from bot.ledger.diff import FieldChange, field_changes
from bot.ledger.merge_verify import Edit, Rewritten, prove
from bot.ledger.pieces import MergedTexts, Spliced
from bot.ledger.published_once import Place, copies, published_twice
from bot.ledger.splice import splice
from bot.ledger.stale import stale_change, stale_removal
from bot.ledger.submission import Removed, Submitted, target_file

ChangeKind = Literal["added", "changed", "replaced", "removed"]
MSG_CHANGED = "entry {entry} is already published; this submission changes it"
MSG_GONE = "entry {entry} is no longer published, so this change cannot be applied; submit it as a new entry"
MSG_REMOVED = "this submission removes the published entry {entry}"
MSG_REPLACES = "same configuration as entry {entry}: replaces it (same_config_policy: replace)"
MSG_REJECTED = "same configuration as entry {entry} (same_config_policy: reject)"
MSG_KEEPS_VERIFIED = (
    "same configuration as the verified entry {entry}: added beside it, since same_config_policy: replace"
    " never replaces a verified entry (remove it in a pull request merged with --allow-changes first)"
)
MSG_VERIFIED = "entry {entry}: metadata.verified is {old} as published, this submission makes it {new}"
MSG_UNREAD = (
    "this entry belongs in {file}, which could not be read as an array of entries, so it cannot be merged"
)
HINT_UNREAD = "fix the errors reported for the data file first, then check the submission again"
MSG_VERIFY = "internal check failed: the merged data would not hold each entry exactly once ({detail})"


@dataclass
class Change:
    """One entry that the merge adds, changes, replaces or removes."""

    kind: ChangeKind
    entry_id: str
    target: str
    entry: dict[str, Any] | None
    old: dict[str, Any] | None = None
    source: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The change in a few words: "added ID", or "replaced OLD with ID" naming the entry it removes."""
        if self.kind == "replaced" and self.old is not None:
            return f"replaced {self.old.get('entry_id')} with {self.entry_id}"
        return f"{self.kind} {self.entry_id}"

    @property
    def arrives(self) -> bool:
        """Whether the change brings an entry into the data (added, or replacing another)."""
        return self.kind in ("added", "replaced")


class Incoming(NamedTuple):
    """An entry the merge brings into the data (added, or replacing another) and its submission file."""

    entry: dict[str, Any]
    source: str | None


@dataclass
class MergeResult:
    """The planned changes, the findings raised while planning, the new data file texts (each built
    when first read), and how the proof read each of them (from which bot.ledger.merged builds the
    merged files as documents)."""

    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    texts: Mapping[str, str] = field(default_factory=dict)
    rewritten: dict[str, Rewritten] = field(default_factory=dict)

    @property
    def incoming(self) -> list[Incoming]:
        """The entries the changes bring into the data (added, or replacing another), in order."""
        return [Incoming(c.entry, c.source) for c in self.changes if c.arrives and c.entry]


@dataclass
class _Ops:
    append: list[dict[str, Any]] = field(default_factory=list)
    replace: dict[int, dict[str, Any]] = field(default_factory=dict)
    remove: set[int] = field(default_factory=set)


@dataclass
class _Planning:
    """What planning one merge works on: the base, where each published entry sits, its index, the
    operations per data file so far, and the result being built."""

    base: Mapping[str, Document]
    index: Index
    positions: dict[str, tuple[str, int]]
    copies: dict[str, list[Place]]  # every place of each id the base publishes more than once
    ops: dict[str, _Ops]
    result: MergeResult
    config: Config
    allow_changes: bool


def plan_merge(
    base: Mapping[str, Document],
    submitted: Sequence[Submitted],
    removed: Sequence[Removed],
    config: Config,
    *,
    allow_changes: bool = False,
) -> MergeResult:
    """Route, cross-check and splice the submitted entries into the base data files."""
    result = MergeResult()
    files = {data_file_role(name): name for name in base}
    touched = {item.entry_id for item in submitted if item.kind == "changed"} | {
        r.entry.get("entry_id") for r in removed
    }
    index, positions = _seed(base, submitted, removed, touched)
    ops: dict[str, _Ops] = {name: _Ops() for name in base}
    planning = _Planning(base, index, positions, copies(base), ops, result, config, allow_changes)
    for item in submitted:
        target = files.get(data_file_role(target_file(item.entry)))
        if target is None:  # that data file did not load (its own findings say why): nothing to splice into
            _unmergeable(result, item)
        elif item.kind == "changed":
            _change(planning, item, target)
        else:
            _add(planning, item, target)
    for gone in removed:
        _remove(planning, gone)
    result.findings += published_twice(base, planning.copies, ops)
    if not any(f.severity == "error" for f in result.findings):
        _verify(base, result, ops, _apply(base, ops))
    return result


def _seed(
    base: Mapping[str, Document], submitted: Sequence[Submitted], removed: Sequence[Removed], skip: set[Any]
) -> tuple[Index, dict[str, tuple[str, int]]]:
    """Index the published entries a submission can meet (except those being changed) and remember
    where each sits.

    Only candidates are indexed (``bot.ledger.base_probe``: a shared id, or the probe fields of a submitted
    entry), in base order, so every lookup answers as if the whole base had been indexed, and the
    cost beyond parsing follows the submission, not the leaderboard.
    """
    wanted = {item.entry_id for item in submitted} | {r.entry.get("entry_id") for r in removed}
    entries = [item.entry for item in submitted]
    index = Index()
    positions: dict[str, tuple[str, int]] = {}
    for name, doc in base.items():
        items = doc.data if isinstance(doc.data, list) else []
        picked = candidates(doc, wanted, entries)
        for position in picked if picked is not None else range(len(items)):
            entry = items[position]
            if isinstance(entry, dict) and isinstance(entry.get("entry_id"), str):
                located = Located(name, (position,), entry)
                positions.setdefault(entry["entry_id"], (name, position))
                if entry["entry_id"] not in skip:
                    index.seed(located)
                else:  # its configuration may change, but a new entry still cannot take its id
                    index.by_id.setdefault(entry["entry_id"], located)
    return index, positions


def _add(planning: _Planning, item: Submitted, target: str) -> None:
    index, positions, ops, result = planning.index, planning.positions, planning.ops, planning.result
    existing = index.by_config.get(configuration_key(item.entry))
    replaced: Located | None = None
    for hit in index.check(Located(item.file, item.pointer, item.entry)):
        finding = _finding(item, hit)  # index hits carry the entry's pointer already
        if hit.rule == "LB304" and existing is not None and existing.entry_id in positions:
            replaced = _same_config(finding, existing, planning.config.same_config_policy)
        result.findings.append(finding)
    change = Change("added", item.entry_id or "", target, item.entry, source=item.file, notes=item.notes)
    if replaced is not None and replaced.entry_id is not None:
        name, position = positions[replaced.entry_id]
        ops[name].remove.add(position)
        change.kind, change.old = "replaced", dict(replaced.entry)
        change.fields = field_changes(replaced.entry, item.entry)
    ops[target].append.append(item.entry)
    result.changes.append(change)


def _same_config(finding: Finding, existing: Located, policy: str) -> Located | None:
    """Apply the same-configuration policy: keep both (warning), replace, or reject (error)."""
    other = existing.entry_id or "?"
    if policy == "replace" and _verified(existing.entry) is True:
        # A plain approval must not drop what maintainers verified: only an allowed removal can.
        finding.message = MSG_KEEPS_VERIFIED.format(entry=other)
        return None
    if policy == "replace":
        finding.message = MSG_REPLACES.format(entry=other)
        return existing
    if policy == "reject":
        finding.message, finding.severity = MSG_REJECTED.format(entry=other), "error"
    return None


def _change(planning: _Planning, item: Submitted, target: str) -> None:
    base, positions, ops, result = planning.base, planning.positions, planning.ops, planning.result
    if (item.entry_id or "") not in positions:
        hit = Hit("LB305", item.pointer, MSG_GONE.format(entry=item.entry_id))
        result.findings.append(_finding(item, hit))
        return
    name, position = positions[item.entry_id or ""]
    old: dict[str, Any] = base[name].data[position]
    if not planning.allow_changes:
        hit = Hit("LB305", item.pointer, MSG_CHANGED.format(entry=item.entry_id))
        result.findings.append(_finding(item, hit))
    stale = stale_change(item, old)
    if stale is not None:  # allowed or not: the change was made to a copy that is no longer published
        result.findings.append(_finding(item, Hit("LB310", item.pointer, stale)))
    verified = _verified_change(item, old)
    if verified is not None:  # no submission may verify (or unverify) an entry, allowed or not
        result.findings.append(_finding(item, verified))
    if name == target:
        ops[name].replace[position] = item.entry
    else:  # moved to the other data file
        ops[name].remove.add(position)
        ops[target].append.append(item.entry)
    result.changes.append(
        Change(
            "changed",
            item.entry_id or "",
            target,
            item.entry,
            old,
            item.file,
            _moves(name, target, old, item),
        )
    )


def _verified(entry: Mapping[str, Any]) -> Any:
    """The entry's metadata.verified (False when it has none)."""
    metadata = entry.get("metadata")
    return metadata.get("verified", False) if isinstance(metadata, dict) else False


def _verified_change(item: Submitted, old: dict[str, Any]) -> Hit | None:
    """LB307 when the change touches metadata.verified (only ``/leaderboard verify`` sets it)."""
    was, now = _verified(old), _verified(item.entry)
    if was == now:
        return None
    message = MSG_VERIFIED.format(entry=item.entry_id, old=json.dumps(was), new=json.dumps(now))
    return Hit("LB307", (*item.pointer, "metadata", "verified"), message)


def _moves(name: str, target: str, old: dict[str, Any], item: Submitted) -> list[FieldChange]:
    moved = [FieldChange("file", name, target)] if name != target else []
    return moved + field_changes(old, item.entry)


def _remove(planning: _Planning, gone: Removed) -> None:
    """Remove a published entry, found by id in the current base (it may have moved since)."""
    entry_id, result = str(gone.entry.get("entry_id")), planning.result
    if entry_id not in planning.positions:
        return  # already gone from the current base: nothing to remove
    left = [(n, at) for n, at in planning.copies.get(entry_id, ()) if at not in planning.ops[n].remove]
    # Of an id published more than once, the last copy left goes (an edit that keeps one kept the first).
    name, position = left[-1] if left else planning.positions[entry_id]
    if not planning.allow_changes:
        result.findings.append(_removal_finding(gone, "LB306", MSG_REMOVED.format(entry=entry_id)))
    places = planning.copies.get(entry_id) or [planning.positions[entry_id]]
    stale = stale_removal(gone, [planning.base[n].data[at] for n, at in places])
    if stale is not None:
        result.findings.append(_removal_finding(gone, "LB310", stale))
    planning.ops[name].remove.add(position)
    result.changes.append(Change("removed", entry_id, name, None, gone.entry))


def _removal_finding(gone: Removed, rule_id: str, message: str) -> Finding:
    """A finding at the removed entry's place in the data file the pull request edited."""
    rule = RULES[rule_id]
    finding = Finding(gone.file, (gone.index,), rule_id, rule.severity, message, rule.hint)
    finding.entry_id = str(gone.entry.get("entry_id"))
    return finding


def _unmergeable(result: MergeResult, item: Submitted) -> None:
    message = MSG_UNREAD.format(file=target_file(item.entry))
    result.findings.append(_finding(item, Hit("LB006", item.pointer, message, HINT_UNREAD)))


def _finding(item: Submitted, hit: Hit) -> Finding:
    """A finding at the hit's pointer, which is already absolute within the item's file."""
    rule = RULES[hit.rule]
    hint = rule.hint if hit.hint is None else hit.hint
    finding = Finding(item.file, hit.pointer, hit.rule, rule.severity, hit.message, hint)
    finding.entry_id = item.entry_id
    return finding


def _apply(base: Mapping[str, Document], ops: dict[str, _Ops]) -> dict[str, Spliced]:
    spliced = {}
    for name, op in ops.items():
        if op.append or op.replace or op.remove:
            doc = base[name]
            spliced[name] = splice(
                doc.text, doc.item_offsets or [], append=op.append, replace=op.replace, remove=op.remove
            )
    return spliced


def _verify(
    base: Mapping[str, Document], result: MergeResult, ops: dict[str, _Ops], spliced: dict[str, Spliced]
) -> None:
    """Re-read the merged texts where they changed: every entry exactly once, nothing else lost or
    added; only then does the result hold them."""
    olds = [c.old for c in result.changes if c.kind in ("removed", "replaced") and c.old is not None]
    news = [c.entry_id for c in result.changes if c.arrives]
    edits = {
        name: Edit(op.remove, {i for i in op.replace if i not in op.remove}, len(op.append))
        for name, op in ops.items()
    }
    proof = prove(base, spliced, edits, (olds, news))
    if proof.wrong:
        detail = ", ".join(proof.wrong[:5])
        result.findings.append(Finding("(merge)", (), "LB308", "error", MSG_VERIFY.format(detail=detail)))
        return
    result.texts, result.rewritten = MergedTexts(spliced), proof.files
