"""The summary the bot comments on a submission: verdict, what changes, how the new results
compare, every problem with its place and fix, and how to reproduce the check. GitHub-flavoured
Markdown, deterministic, below GitHub's comment limit, with all user text escaped."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot import SCHEMA_VERSION, __version__
from bot.contract.findings import Finding
from bot.contract.plausibility import assessment
from bot.contract.rules import section
from bot.ledger.diff import FILE_FIELD
from bot.ledger.evaluate import Outcome
from bot.ledger.merge import Change
from bot.render.comparison import comparison, comparison_groups, entry_cells
from bot.render.fitting import PROBLEMS, Draft, fit
from bot.render.markdown import code, code_block, escape, table

MARKER = "<!-- leaderboard-bot:summary -->"
LIMIT = 65_000
NOTE_COMPARISON = (
    "Rank (by throughput) and Δ compare with published entries of the same hardware, model, precision "
    "and workload, whatever the engine; Δ is against the fastest of them."
)
NOTE_PLAUSIBILITY = (
    "Roofline bounds from the hardware reference table (rules LB601–LB608); see "
    'docs/FIELD_SPECIFICATION.md, "Plausibility bounds".'
)
PLAUSIBILITY_ICONS = {True: "✅", False: "⚠️", None: "ℹ️"}
NOTE_PREVIEW = "🖼️ Page preview with this submission: the `leaderboard-preview` artifact of [this run]({run})."
ICONS = {"error": "❌", "warning": "⚠️"}


@dataclass(frozen=True)
class CommentContext:
    """Where the summary is shown: the command that reproduces the check, and a full-report link."""

    command: str
    full_report: str | None = None
    preview: str | None = None  # the run that carries the page preview artifact


def render(outcome: Outcome, context: CommentContext, limit: int = LIMIT) -> str:
    """The whole comment; parts are cut in a fixed order (bot.render.fitting) to stay under ``limit``."""
    return fit(draft(outcome, context), limit, _where(context))


def render_pair(outcome: Outcome, context: CommentContext, limit: int = LIMIT) -> tuple[str, str]:
    """(the comment, cut to ``limit``: GitHub's, less what the caller adds below it; the full report for
    the job summary), built once."""
    built = draft(outcome, context)
    return fit(built, limit, _where(context)), fit(built, None, _where(context))


def draft(outcome: Outcome, context: CommentContext) -> Draft:
    """The comment's parts before fitting."""
    lines = [MARKER, "### Leaderboard submission check", "", verdict(outcome), "", counts_table(outcome)]
    head = "\n".join(lines)
    parts = {
        "added": _added(outcome),
        "plausibility": _plausibility(outcome),
        "changed": _changed(outcome),
        "removed": _removed(outcome),
        PROBLEMS: "",
        "notes": _notes(outcome),
        "details": _details(outcome),
    }
    shown = [f for f in outcome.findings if f.waived is None]
    return Draft(head, parts, shown, _footer(context), _problems)


def _where(context: CommentContext) -> str:
    return f"in the [job summary]({context.full_report})" if context.full_report else "in the job summary"


def verdict(outcome: Outcome) -> str:
    """One line: ready to merge, blocked by errors, or ready with warnings."""
    errors, warnings = len(outcome.errors), len(outcome.warnings)
    added = sum(1 for c in outcome.merge.changes if c.arrives)
    what = f"{added} new entr{'y' if added == 1 else 'ies'}"
    if errors:
        return f"❌ **{errors} error{'s' * (errors != 1)}** must be fixed before this can be merged ({what})."
    if warnings:
        return f"⚠️ **Ready to merge with {warnings} warning{'s' * (warnings != 1)}**: {what}."
    if not outcome.merge.changes:
        return "ℹ️ **Nothing to merge**: no entries were submitted."
    return f"✅ **Ready to merge**: {what}."


def file_counts(outcome: Outcome) -> list[tuple[str, int, int, int, int]]:
    """(data file, entries before, added, changed, removed) for each data file."""
    tally = {name: [0, 0, 0] for name in outcome.base}  # added, changed, removed
    for change in outcome.merge.changes:
        plus, minus, in_place = _effects(outcome, change)
        for name, column in ((plus, 0), (in_place, 1), (minus, 2)):
            if name in tally:
                tally[name][column] += 1
    counts = []
    for name, doc in outcome.base.items():
        before = len(doc.data) if isinstance(doc.data, list) else 0
        added, changed, removed = tally[name]
        counts.append((name, before, added, changed, removed))
    return counts


def counts_table(outcome: Outcome) -> str:
    """Entries per data file before and after, with what changes."""
    rows = [
        [
            f"{code(name.rsplit('/', 1)[-1], in_table=True)}",
            str(before),
            f"+{added}",
            str(changed),
            f"−{removed}",
            str(before + added - removed),
        ]
        for name, before, added, changed, removed in file_counts(outcome)
    ]
    return table(["Data file", "Entries", "Added", "Changed", "Removed", "After merge"], rows)


def _effects(outcome: Outcome, change: Change) -> tuple[str | None, str | None, str | None]:
    """(file gaining an entry, file losing one, file with an entry changed in place)."""
    if change.kind == "added":
        return change.target, None, None
    if change.kind == "removed":
        return None, change.target, None
    if change.kind == "replaced":
        return change.target, _home(outcome, change.old), None
    moved = next((f.old for f in change.fields if f.path == FILE_FIELD), None)
    return (change.target, str(moved), None) if moved else (None, None, change.target)


def _home(outcome: Outcome, entry: Mapping[str, Any] | None) -> str | None:
    """The data file that holds a published entry."""
    wanted = (entry or {}).get("entry_id")
    for name, doc in outcome.base.items():
        if any(isinstance(e, dict) and e.get("entry_id") == wanted for e in doc.data):
            return name
    return None


def _added(outcome: Outcome) -> str:
    added = outcome.merge.incoming
    if not added:
        return ""
    groups = comparison_groups(outcome.base, [a.entry for a in added])
    header = ["Entry", "Model", "Precision", "Hardware", "Workload", "TTFT", "TPOT", "Throughput", "Peak mem"]
    header += ["Error rate", "Rank", "Δ throughput", "Δ TTFT", "From"]
    rows = [
        [
            *_entry_row(a.entry),
            *comparison(a.entry, groups),
            code(a.source or "–", 80, in_table=True),
        ]
        for a in added
    ]
    return f"#### New entries\n\n{table(header, rows)}\n\n<sub>{NOTE_COMPARISON}</sub>"


def _plausibility(outcome: Outcome) -> str:
    """One line per new entry: within the physical bounds, or how far outside (or why not checked)."""
    added = outcome.merge.incoming
    if not added:
        return ""
    lines = ["#### Plausibility", ""]
    for entry in (a.entry for a in added):
        ok, text = assessment(entry)
        short_id = code(str(entry.get("entry_id", "?"))[:8])
        lines.append(f"- {short_id}: {PLAUSIBILITY_ICONS[ok]} {escape(text, 1500)}")
    return "\n".join([*lines, "", f"<sub>{NOTE_PLAUSIBILITY}</sub>"])


def _entry_row(entry: Mapping[str, Any]) -> list[str]:
    cells = entry_cells(entry, escape)
    return [code(cells[0], in_table=True), *cells[1:]]


def _changed(outcome: Outcome) -> str:
    changed = [c for c in outcome.merge.changes if c.kind in ("changed", "replaced")]
    if not changed:
        return ""
    lines = ["#### Changed entries"]
    for change in changed:
        old_id = (change.old or {}).get("entry_id", change.entry_id)
        title = "replaces" if change.kind == "replaced" else "changes"
        lines += ["", f"**{code(change.entry_id[:8])}** {title} published entry {code(old_id)}:", ""]
        lines += [
            f"- {code(f.path)}: {escape(_value(f.old))} → {escape(_value(f.new))}" for f in change.fields[:50]
        ]
        if len(change.fields) > 50:
            lines.append(f"- … and {len(change.fields) - 50} more fields")
    return "\n".join(lines)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:80]


def _removed(outcome: Outcome) -> str:
    removed = [c for c in outcome.merge.changes if c.kind == "removed"]
    if not removed:
        return ""
    lines = [
        "#### Removed entries",
        "",
        "> [!CAUTION]",
        f"> This submission **removes {len(removed)} published entr{'y' if len(removed) == 1 else 'ies'}**:",
    ]
    for change in removed:
        model = section(change.old or {}, "model").get("name", "?")
        lines.append(f"> - {code(change.entry_id)} ({escape(model, 60)}) from {code(change.target)}")
    return "\n".join(lines)


def _problems(findings: Sequence[Finding]) -> str:
    shown = [f for f in findings if f.waived is None]
    if not shown:
        return ""
    lines = ["#### Problems"]
    by_entry: dict[tuple[str, str], list[Finding]] = {}
    for finding in shown:
        by_entry.setdefault((finding.file, finding.entry_id or ""), []).append(finding)
    for (file, entry_id), group in by_entry.items():
        label = f"entry {code(entry_id[:8])} in " if entry_id else ""
        lines += ["", f"{label}{code(file)}:", ""]
        for f in group:
            where = f"{code(f'{f.file}:{f.line or 1}:{f.column or 1}')}"
            hint = f" — {escape(f.hint, 300)}" if f.hint else ""
            message = f"{code(f.path)}: {escape(f.message, 300)}{hint} ({escape(f.rule)})"
            lines.append(f"- {ICONS[f.severity]} {where} {message}")
    return "\n".join(lines)


def _notes(outcome: Outcome) -> str:
    notes = [(item, note) for item in outcome.submitted for note in item.notes]
    if not notes:
        return ""
    lines = ["#### Filled in by the bot", ""]
    lines += [f"- {code((item.entry_id or '?')[:8])}: {escape(note)}" for item, note in notes]
    return "\n".join(lines)


def _details(outcome: Outcome) -> str:
    entries = [
        c.entry for c in outcome.merge.changes if c.kind in ("added", "replaced", "changed") and c.entry
    ]
    if not entries:
        return ""
    body = json.dumps(entries if len(entries) > 1 else entries[0], indent=2, ensure_ascii=False)
    # The JSON sits in a fenced block: GitHub renders no HTML and notifies no one from there.
    summary = "<summary>Normalized JSON of the new entries</summary>"
    return f"<details>{summary}\n\n{code_block(body, 'json')}\n\n</details>"


def _footer(context: CommentContext) -> str:
    preview = f"{NOTE_PREVIEW.format(run=context.preview)}\n\n" if context.preview else ""
    return (
        f"{preview}<sub>leaderboard-bot {__version__} · schema {SCHEMA_VERSION} · "
        f"reproduce this check locally:</sub>\n\n{code_block(context.command, 'sh')}"
    )


def reproduce_command(command: str, *args: str, options: Sequence[str] = ()) -> str:
    """The local dry run that repeats what the bot checked (the comment it prints), shell-quoted."""
    return shlex.join(["leaderboard-bot", command, *args, "--dry-run", *options, "--format", "markdown"])
