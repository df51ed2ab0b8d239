"""The submission pipeline, pure over parsed documents: collect the submitted entries, normalize
and check them, plan the merge, and hand back everything a report or the bot needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from bot.contract.config import Config
from bot.contract.crosschecks import Located, wrong_file
from bot.contract.document import Document
from bot.contract.findings import Finding, Verdict
from bot.contract.outliers import outliers
from bot.contract.rules import parse_time
from bot.contract.schema_check import EntryChecker
from bot.contract.validate import (
    EntryRules,
    apply_config,
    check_entry,
    hit_finding,
    locate,
    without_voided,
)
from bot.ledger.base_probe import peers
from bot.ledger.merge import MergeResult, plan_merge
from bot.ledger.submission import (
    Removed,
    Submitted,
    Submitter,
    fresh_id,
    from_documents,
    from_edits,
    normalize,
    stable_id,
)


@dataclass
class Outcome(Verdict):
    """Everything a submission produced: the merge plan and every finding, in report order."""

    base: Mapping[str, Document]
    submitted: list[Submitted]
    merge: MergeResult
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Submission:
    """What is submitted: entry files, and edited data files (``head``) whose edits are taken against
    ``edit_base`` (the pull request's merge base, so entries published after the branch was made are
    not mistaken for removals) and then applied to the base; who submits; what loading found."""

    files: Sequence[Document]
    head: Mapping[str, Document] | None = None
    edit_base: Mapping[str, Document] | None = None
    submitter: Submitter | None = None
    load_findings: Sequence[Finding] = ()
    # Where it comes from (a pull request's URL): an entry without entry_id gets an id derived from it,
    # the file and the entry's place, so the check a maintainer approves and the merge agree on it.
    origin: str | None = None
    # When it was submitted (a pull request's opening, ISO 8601): an entry without submitted_at gets
    # it, at the check and at the merge alike. None: the time of the evaluation.
    submitted_at: str | None = None


def evaluate(
    base: Mapping[str, Document],
    submission: Submission,
    config: Config,
    *,
    now: dt.datetime | None = None,
    allow_changes: bool = False,
) -> Outcome:
    """Check a submission against the base data and plan its merge; nothing is written here.

    ``allow_changes``: a maintainer allowed changes to published entries (a maintainer's own
    submission may make them anyway).
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    submitter = submission.submitter or Submitter()
    submitted = from_documents(list(submission.files))
    removed: list[Removed] = []
    if submission.head is not None:
        edits, removed = from_edits(submission.edit_base or base, submission.head)
        submitted += edits
    findings = _entry_findings(submission, submitted, EntryRules(EntryChecker(), config, now), submitter)
    findings += _outliers(base, submitted)
    merge = plan_merge(
        base, submitted, removed, config, allow_changes=allow_changes or submitter.is_maintainer
    )
    findings = apply_config(findings + merge.findings, config, set())
    findings = without_voided(findings, [*submission.files, *(submission.head or {}).values()])
    # An edited data file is located in the pull request's text (its head), not in the base's.
    edited = submission.head or {}
    locate(
        findings,
        [*submission.files, *edited.values(), *(d for name, d in base.items() if name not in edited)],
    )
    findings.sort(key=Finding.sort_key)
    if any(f.severity == "error" and f.waived is None for f in findings):  # waivers follow the entry
        merge.texts = {}  # nothing may be written while anything blocks the merge
    return Outcome(base, submitted, merge, findings)


def _entry_findings(
    submission: Submission, submitted: Sequence[Submitted], rules: EntryRules, submitter: Submitter
) -> list[Finding]:
    """What loading found, then each submitted entry's normalization, rule and wrong-file findings."""
    findings = list(submission.load_findings)
    when = parse_time(submission.submitted_at) or rules.now
    # Items of an array that are not entry objects: from_documents leaves them out.
    for doc in submission.files:
        for pointer, entry in doc.entries() if isinstance(doc.data, list) else []:
            if not isinstance(entry, dict):
                findings += check_entry(rules, doc.file, pointer, entry)
    for item in submitted:
        new_id = partial(stable_id, submission.origin, item) if submission.origin else fresh_id
        findings += [
            hit_finding(item.file, item.pointer, item.entry_id, hit)
            for hit in normalize(item, submitter, when, new_id)
        ]
        findings += check_entry(rules, item.file, item.pointer, item.entry)
        located = Located(item.file, item.pointer, item.entry)
        findings += [hit_finding(item.file, (), item.entry_id, hit) for hit in wrong_file(located)]
    return findings


def _outliers(base: Mapping[str, Document], submitted: Sequence[Submitted]) -> list[Finding]:
    """LB608: submitted entries against the median of the published entries of their configuration."""
    found = peers(base, [item.entry for item in submitted])
    published = [Located(name, pointer, entry) for name, pointer, entry in found if isinstance(entry, dict)]
    items = [Located(item.file, item.pointer, item.entry) for item in submitted]
    return [hit_finding(item.file, (), item.entry_id, hit) for item, hit in outliers(items, published)]
