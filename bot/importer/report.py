"""The human-readable report of ``leaderboard-bot import``: per entry, where it came from, what was
filled in and from where, what stayed unknown, what drift was normalized, and what went wrong.

Pure: builds text from results; the command prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.contract.hints import show
from bot.importer.model import ImportResult, Value

MSG_FAILED = "workload {workload} of {run} failed and is skipped: {why}"
MSG_WROTE_DIR = "wrote {count} entr{ies} to {target}"
MSG_WROTE_FILE = "wrote {count} entr{ies} as one JSON array to {target}"
MSG_NOTHING_WRITTEN = "nothing written: {errors} error(s); fix them (each says how) and run the command again"
MSG_NO_ENTRIES = "nothing to import: no entry was produced"


@dataclass
class ImportOutcome:
    """Everything one source (run directory or export file) produced."""

    label: str
    results: list[ImportResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (workload, why): skipped, a warning
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error_count(self) -> int:
        """Errors of the source and of its entries (a failed workload is skipped with a warning)."""
        return len(self.errors) + sum(len(r.errors) for r in self.results)


def render(notes: Sequence[str], outcomes: Sequence[ImportOutcome], batch_errors: Sequence[str]) -> list[str]:
    """The report body: discovery notes, then each source and its entries, then batch errors."""
    lines = [f"note: {note}" for note in notes]
    for outcome in outcomes:
        lines += _render_outcome(outcome)
    lines += [f"error: {message}" for message in batch_errors]
    return lines


def summary_line(entries: int, errors: int, target: str | None, as_array: bool) -> str:
    """The closing line: what was written where, or why nothing was."""
    if errors:
        return MSG_NOTHING_WRITTEN.format(errors=errors)
    if not entries:
        return MSG_NO_ENTRIES
    template = MSG_WROTE_FILE if as_array else MSG_WROTE_DIR
    shown = "stdout" if target == "-" else target
    return template.format(count=entries, ies="y" if entries == 1 else "ies", target=shown)


def _render_outcome(outcome: ImportOutcome) -> list[str]:
    lines = [f"note: {note}" for note in outcome.notes]
    lines += [f"error: {message}" for message in outcome.errors]
    lines += [f"warning: {message}" for message in outcome.warnings]
    for result in outcome.results:
        lines += _render_result(result)
    for workload, why in outcome.failures:
        lines.append("warning: " + MSG_FAILED.format(workload=workload, run=outcome.label, why=why))
    return lines


def _render_result(result: ImportResult) -> list[str]:
    head = f"entry from {result.origin}"
    if result.entry is not None and result.target:
        head += " -> " + ("stdout" if result.target == "-" else result.target)
    lines = [head]
    if result.entry is not None:
        lines.append(f"  entry_id: {result.entry.get('entry_id')}")
        lines += _render_filled(result.filled)
    lines += [f"  unknown: {message}" for message in result.unknown]
    lines += [f"  normalized: {message}" for message in result.normalized]
    lines += [f"  warning: {message}" for message in result.warnings]
    lines += [f"  error: {message}" for message in result.errors]
    return lines


def _render_filled(filled: Sequence[tuple[str, Value]]) -> list[str]:
    groups: dict[str, list[str]] = {}
    exported: dict[str, int] = {}
    for path, item in filled:
        if item.source == "unknown":
            continue
        if item.source.startswith("export "):
            exported[item.source] = exported.get(item.source, 0) + 1
            continue
        detail = f" ({item.detail})" if item.detail else ""
        groups.setdefault(item.source, []).append(f"{path}={show(item.value, 48)}{detail}")
    lines = [f"  kept from {source}: {count} values" for source, count in exported.items()]
    return lines + [f"  from {source}: {', '.join(items)}" for source, items in groups.items()]
