"""The validation pipeline: loader → checkers → collector. Pure over documents; the only I/O is
in bot.fs."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.contract.config import Config
from bot.contract.crosschecks import Located, cross_checks, data_file_role
from bot.contract.document import Document, LoadResult, as_data_file
from bot.contract.findings import Finding, Hit, Pointer, Verdict, in_report_order
from bot.contract.loader import load_bytes
from bot.contract.lookalikes import lookalike_hits, plain_text
from bot.contract.outliers import outliers
from bot.contract.plausibility import check as plausibility_check
from bot.contract.rules import run_checks
from bot.contract.ruletable import RULES
from bot.contract.schema_check import EntryChecker

INPUT_SUFFIXES = (".json", ".yaml", ".yml")
MSG_STALE_WAIVER = "the waiver for entry {entry} and rule {rule} matched no finding"
HINT_STALE_WAIVER = "remove the waiver from the config file: the problem it excused is gone"
MSG_ORPHAN_WAIVER = "the waiver for entry {entry} and rule {rule} names no entry of the data files"
HINT_ORPHAN_WAIVER = (
    "check the entry_id for a typo (copy it from the data file), or remove the waiver if the entry "
    "was removed"
)


@dataclass
class Report(Verdict):
    """Every finding of a run, with counts for the summary line."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    entries: int = 0

    @property
    def waived(self) -> list[Finding]:
        """Findings excused by a waiver in the config file."""
        return [f for f in self.findings if f.waived is not None]


class InputError(Exception):
    """A path given on the command line cannot be read (exit code 2)."""


@dataclass
class Loaded:
    """The inputs of a run once parsed: the documents to check and the findings of loading them."""

    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0


def validate_inputs(
    inputs: Iterable[tuple[str, bytes]], config: Config, now: dt.datetime | None = None
) -> Report:
    """Load and check every input; collect all findings before anything is reported."""
    with without_cycle_collection():
        return check_loaded(load_inputs(inputs, config), config, now)


def load_inputs(inputs: Iterable[tuple[str, bytes]], config: Config) -> Loaded:
    """Parse every input; each input's bytes are let go once it is parsed (when the caller hands
    them over one by one)."""
    loaded = Loaded()
    for result in (_load(name, raw, config) for name, raw in inputs):
        loaded.files += 1
        loaded.findings.extend(result.findings)
        if result.checkable is not None:
            loaded.documents.append(result.checkable)
    return loaded


def check_loaded(loaded: Loaded, config: Config, now: dt.datetime | None = None) -> Report:
    """Every check over the parsed inputs, with the loading findings, in report order."""
    report = check_documents(loaded.documents, config, now)
    report.findings = in_report_order(loaded.findings + report.findings)
    report.files = loaded.files
    return report


def _load(name: str, raw: bytes, config: Config) -> LoadResult:
    result = load_bytes(name, raw, max_bytes=hygiene_limit(name, config), max_depth=config.max_depth)
    return as_data_file(result) if data_file_role(name) else result


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: parsed documents and findings hold no reference cycles, and
    with 100,000 objects alive every collection re-walked them all (a fifth of a large run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def hygiene_limit(name: str, config: Config) -> int:
    """The size limit for a file: data files may be larger than submission files."""
    return config.max_data_file_bytes if data_file_role(name) else config.max_submission_bytes


def check_documents(documents: Sequence[Document], config: Config, now: dt.datetime | None = None) -> Report:
    """Schema, entry rules and cross-entry rules over parsed documents."""
    now = now or dt.datetime.now(dt.timezone.utc)
    rules = EntryRules(EntryChecker(), config, now)
    findings: list[Finding] = []
    items: list[Located] = []
    for doc in documents:
        plain = plain_text(doc.text, doc.kind)  # LB113 can find nothing in plain ASCII text
        for pointer, entry in doc.entries():
            findings += check_entry(rules, doc.file, pointer, entry, plain_text=plain)
            if isinstance(entry, dict):
                items.append(Located(doc.file, pointer, entry))
    for item, hit in cross_checks(items):
        findings.append(hit_finding(item.file, (), item.entry_id, hit))
    for item, hit in outliers(items, items):
        findings.append(hit_finding(item.file, (), item.entry_id, hit))
    # A waiver can name an entry that is nowhere only when the whole leaderboard was checked.
    everything = {data_file_role(doc.file) for doc in documents} >= {"single", "multi"}
    findings = apply_config(findings, config, {item.entry_id for item in items}, everything=everything)
    findings = without_voided(findings, documents)
    locate(findings, documents)
    return Report(findings, len(documents), len(items))


def without_voided(findings: list[Finding], documents: Sequence[Document]) -> list[Finding]:
    """The findings without the checks of values the loader voided (NaN, 1e999): their LB003 says it all."""
    voided = {doc.file: doc.voided for doc in documents if doc.voided}
    if not voided:  # nearly always
        return findings
    return [
        f
        for f in findings
        if f.rule.startswith("LB00") or not any(f.pointer[: len(v)] == v for v in voided.get(f.file, ()))
    ]


@dataclass(frozen=True)
class EntryRules:
    """What judges one entry: the schema checker, the config (rule options) and the current time."""

    checker: EntryChecker
    config: Config
    now: dt.datetime


def check_entry(
    rules: EntryRules, file: str, pointer: Pointer, entry: object, *, plain_text: bool = False
) -> list[Finding]:
    """Schema errors and rule hits of one entry (cross-entry rules excluded)."""
    checker, config, now = rules.checker, rules.config, rules.now
    entry_id = entry.get("entry_id") if isinstance(entry, dict) else None
    entry_id = entry_id if isinstance(entry_id, str) else None
    findings = []
    for error in checker.check(entry):
        finding = Finding(file, (*pointer, *error.pointer), error.rule, "error", error.message)
        finding.hint = error.hint if error.hint is not None else RULES[error.rule].hint
        finding.entry_id = entry_id
        finding.fix, finding.has_fix = error.fix, error.has_fix
        findings.append(finding)
    if isinstance(entry, dict):
        findings += [
            hit_finding(file, pointer, entry_id, hit) for hit in run_checks(entry, config.options, now)
        ]
        findings += [hit_finding(file, pointer, entry_id, hit) for hit in plausibility_check(entry)]
        if not plain_text:
            findings += [hit_finding(file, pointer, entry_id, hit) for hit in lookalike_hits(entry)]
    return findings


def hit_finding(file: str, prefix: Pointer, entry_id: str | None, hit: Hit) -> Finding:
    """A finding from a rule hit inside the entry at ``prefix``."""
    rule = RULES[hit.rule]
    hint = rule.hint if hit.hint is None else hit.hint
    pointer = (*prefix, *hit.pointer) if prefix else tuple(hit.pointer)  # a tuple is not copied
    # One call with every field (50,000 findings per large run): line and column come later.
    return Finding(
        file,
        pointer,
        hit.rule,
        rule.severity,
        hit.message,
        hint,
        None,
        None,
        entry_id,
        None,
        hit.fix,
        hit.has_fix,
    )


def apply_config(
    findings: list[Finding], config: Config, entry_ids: set[str | None], *, everything: bool = False
) -> list[Finding]:
    """Apply severity overrides and waivers; report waivers that no longer match anything.

    ``everything``: the findings are those of both data files, so a waiver whose entry is not among
    ``entry_ids`` names an entry the leaderboard does not hold (a typo, or a removed entry).
    """
    waivers = {(w.entry_id, w.rule): w for w in config.waivers}
    waived_ids = {w.entry_id for w in config.waivers}  # most findings' entries have no waiver at all
    severities = config.severities
    used: set[tuple[str, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        level = severities.get(finding.rule) if severities else None
        if level == "off":
            continue
        if level is not None:
            finding.severity = "error" if level == "error" else "warning"
        if (finding.entry_id or "") in waived_ids:
            key = (finding.entry_id or "", finding.rule)
            if key in waivers:
                finding.waived = waivers[key].reason
                used.add(key)
        kept.append(finding)
    for key, waiver in waivers.items():
        if key in used:
            continue
        if waiver.entry_id in entry_ids:
            template, hint = MSG_STALE_WAIVER, HINT_STALE_WAIVER
        elif everything:
            template, hint = MSG_ORPHAN_WAIVER, HINT_ORPHAN_WAIVER
        else:
            continue
        message = template.format(entry=waiver.entry_id, rule=waiver.rule)
        stale = Finding(config.source or "config", (), "LB010", "warning", message, hint)
        stale.line, stale.column = waiver.line, 1
        kept.append(stale)
    return kept


def locate(findings: list[Finding], documents: Sequence[Document]) -> None:
    """Fill in line and column of findings from their documents' source text."""
    by_name = {doc.file: doc for doc in documents}
    pending: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.line is None and finding.file in by_name:
            pending.setdefault(finding.file, []).append(finding)
    for name, group in pending.items():
        places = by_name[name].locator.positions([f.pointer for f in group])
        for finding, (line, column) in zip(group, places, strict=True):
            finding.line, finding.column = line, column
