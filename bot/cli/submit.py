"""``leaderboard-bot submit``: check submission files against the data directory, print the
summary the bot would post, and (unless --dry-run) merge them into the data files."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.contract.crosschecks import data_file_role
from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.contract.loader import load_bytes
from bot.contract.validate import InputError, hygiene_limit
from bot.fs import load_data_dir, not_written, read_inputs, resolve_config, run_notes, write_atomically
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from bot.render.comment import CommentContext, file_counts, render, reproduce_command, verdict
from bot.render.comparison import comparison, comparison_groups, entry_cells
from bot.render.plain import visible
from bot.render.report import finding_blocks

MSG_WROTE = "wrote {path}"
MSG_DRY_RUN = "dry run: nothing written (--format markdown prints the comment the bot would post)"
MSG_NOT_WRITTEN = "nothing written: fix the errors above first"


def run(args: argparse.Namespace) -> int:
    """Validate, merge and report; exit 0 ok, 1 errors, 2 unusable arguments."""
    try:
        config, config_findings = resolve_config(args.config)
        base, base_findings = load_data_dir(args.data_dir, config)
        runs: list[str] = []
        inputs = read_inputs(args.paths, runs)
    except InputError as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    for note in run_notes(runs):
        print(f"leaderboard-bot: note: {note}", file=sys.stderr)
    files, head, load_findings = _load(inputs, config)
    submitter = Submitter(args.submitter, args.maintainer)
    outcome = evaluate(
        base,
        Submission(
            files,
            head=head or None,
            submitter=submitter,
            load_findings=[*config_findings, *base_findings, *load_findings],
        ),
        config,
    )
    sys.stdout.write(_render(outcome, args))
    if outcome.errors:
        print(MSG_NOT_WRITTEN, file=sys.stderr)
        return 1
    if args.dry_run:
        print(MSG_DRY_RUN, file=sys.stderr)
    else:
        try:
            write_atomically(outcome.merge.texts)
        except OSError as exc:  # a read-only data folder, a full disk: the data files are as they were
            print(not_written(exc, list(outcome.merge.texts)), file=sys.stderr)
            return 2
        for path in outcome.merge.texts:
            print(MSG_WROTE.format(path=path), file=sys.stderr)
    return 0


def _load(
    inputs: list[tuple[str, bytes]], config: Any
) -> tuple[list[Document], dict[str, Document], list[Finding]]:
    """Submission files, and edited data files (recognised by name) as the head of an edit."""
    files: list[Document] = []
    head: dict[str, Document] = {}
    findings: list[Finding] = []
    for name, raw in inputs:
        role = data_file_role(name)
        result = load_bytes(name, raw, max_bytes=hygiene_limit(name, config), max_depth=config.max_depth)
        findings += result.findings
        document = result.checkable
        if document is None:
            continue
        if role:
            head[name] = document
        else:
            files.append(document)
    return files, head, findings


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this check without writing anything."""
    data_dir = ("--data-dir", args.data_dir) if args.data_dir != "data" else ()
    return reproduce_command("submit", *args.paths, options=data_dir)


def _render(outcome: Outcome, args: argparse.Namespace) -> str:
    if args.format == "markdown":
        return render(outcome, CommentContext(command_line(args)))
    if args.format == "json":
        return json.dumps(as_json(outcome), indent=2, ensure_ascii=False) + "\n"
    return render_text(outcome, args.verbose)


def as_json(outcome: Outcome) -> dict[str, Any]:
    """The machine-readable outcome: verdict, ids per kind of change, findings."""
    ids: dict[str, list[str]] = {"added": [], "changed": [], "replaced": [], "removed": []}
    for change in outcome.merge.changes:
        ids[change.kind].append(change.entry_id)
    return {
        "valid": not outcome.errors,
        **{kind: sorted(values) for kind, values in ids.items()},
        "files": sorted(outcome.merge.texts),
        "findings": [f.as_dict() for f in outcome.findings],
    }


def render_text(outcome: Outcome, verbose: bool = False) -> str:
    """Plain text: the verdict, entries per data file, one line per change (new entries with how
    they compare), then the problems (warnings grouped by rule unless ``verbose``)."""
    lines = [verdict(outcome).replace("**", "")]
    for name, before, added, changed, removed in file_counts(outcome):
        after = before + added - removed
        tally = [f"+{added} added" * bool(added), f"{changed} changed" * bool(changed)]
        tally.append(f"−{removed} removed" * bool(removed))
        what = ", ".join(part for part in tally if part) or "unchanged"
        lines.append(f"  {name}: {before} → {after} entries ({what})")
    signs = {"added": "+", "changed": "~", "replaced": "±", "removed": "-"}
    groups = comparison_groups(outcome.base, [a.entry for a in outcome.merge.incoming])
    for change in outcome.merge.changes:
        source = f" (from {change.source})" if change.source else ""
        lines.append(f"  {signs[change.kind]} {change.summary} in {change.target}{source}")
        if change.entry and change.arrives:
            lines.append(f"      {_entry_line(change.entry, groups)}")
        lines += [f"      {f.path}: {json.dumps(f.old)} -> {json.dumps(f.new)}" for f in change.fields[:20]]
    blocks = ["\n".join(map(visible, lines)), *finding_blocks(outcome.findings, verbose=verbose)]
    return "\n\n".join(blocks) + "\n"


def _entry_line(entry: dict[str, Any], groups: Any) -> str:
    """``model precision · hardware · workload · TTFT · throughput · rank`` of a new entry."""
    _, model, precision, hardware, workload, ttft, _, throughput, *_ = entry_cells(entry)
    rank, delta, _ = comparison(entry, groups)
    place = rank if delta == "–" else f"rank {rank} ({delta} throughput against the fastest)"
    return f"{model} {precision} · {hardware} · {workload} · TTFT {ttft} · {throughput} · {place}"
