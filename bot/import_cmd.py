"""``leaderboard-bot import``: turn sagellm-benchmark outputs into leaderboard entry files.

Thin I/O adapter around ``bot.importer``: finds runs and exports (``bot.import_walk``), reads
JSON/YAML, writes the entries atomically and prints the report (``bot.import_report``).

Exit codes: 0 every source imported; 1 any error (then nothing is written); 2 bad arguments
(unknown ``--set`` section, unreadable ``--hardware`` file, a PATH that cannot be read).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

from bot.import_io import dump_json, load_hardware, read_json, write_atomically
from bot.import_model import (
    ImportResult,
    Layer,
    OverrideError,
    Overrides,
    hardware_layer,
    parse_set,
    set_warning,
)
from bot.import_report import Outcome, render, summary_line
from bot.import_walk import CONFIG_FILE, METRICS_SUFFIX, Source, discover, layout_of, run_listing
from bot.importer import RunInput, entry_from_export, entry_from_run, run_id_of, workload_failure

DEFAULT_OUT_DIR = "submissions"
MSG_NOT_OBJECT = "{path}: the top level is {kind}, expected a JSON object"
MSG_NO_WORKLOADS = (
    "{path}: the run lists no workloads (no *_metrics.json, no workloads in summary.json); "
    "was the benchmark interrupted?"
)
MSG_METRICS_MISSING = "metrics file {file} is missing"
MSG_DUPLICATE_ID = "entry_id {entry_id} would be written twice ({a} and {b}); drop one of the sources"
MSG_DUPLICATE_TARGET = "{a} and {b} would both be written to {target}; import them separately"
MSG_TARGET_IS_DIR = "{target} is a directory; choose another -o FILE or --out-dir"
MSG_NOT_SERIALIZABLE = "{origin}: the entry cannot be written as JSON ({problem})"


def run(args: argparse.Namespace) -> int:
    """Run the import command; returns the exit code (0 ok, 1 errors, 2 bad arguments)."""
    try:
        overrides = _overrides(args)
    except OverrideError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    found = discover(args.paths)
    if found.bad_paths:
        for message in found.bad_paths:
            print(f"error: {message}", file=sys.stderr)
        return 2
    outcomes = [_import_source(source, overrides) for source in found.sources]
    results = [r for o in outcomes for r in o.results if r.entry is not None]
    batch_errors = found.errors + _assign_targets(results, args)
    if not batch_errors and not any(o.error_count() for o in outcomes) and results:
        failure = _write(results, args)
        batch_errors += [failure] if failure else []
    errors = len(batch_errors) + sum(o.error_count() for o in outcomes)
    _report(found.notes, outcomes, batch_errors, results, errors, args)
    return 1 if errors or not results else 0


def _report(
    notes: list[str],
    outcomes: list[Outcome],
    batch_errors: list[str],
    results: list[ImportResult],
    errors: int,
    args: argparse.Namespace,
) -> None:
    out = sys.stderr if args.output == "-" else sys.stdout
    if errors:
        for result in results:
            result.target = None  # nothing was written
    for line in render(notes, outcomes, batch_errors):
        print(line, file=out)
    target = args.output if args.output else (args.out_dir or DEFAULT_OUT_DIR)
    print(summary_line(len(results), errors, target, bool(args.output)), file=out)


def _overrides(args: argparse.Namespace) -> Overrides:
    layers = []
    if args.hardware:
        layers.append(
            Layer(
                f"hardware file {args.hardware}", hardware_layer(args.hardware, load_hardware(args.hardware))
            )
        )
    for flag, path, value in (
        ("--submitter", "metadata.submitter", args.submitter),
        ("--engine", "engine", args.engine),
        ("--engine-version", "engine_version", args.engine_version),
    ):
        if value is not None:
            layers.append(Layer(flag, ((path, value),)))
    pairs = tuple(parse_set(text) for text in args.set or ())
    for path, _ in pairs:
        warning = set_warning(path)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
    if pairs:
        layers.append(Layer("--set", pairs))
    return Overrides(layers=tuple(layers), stable_ids=bool(args.stable_ids))


def _read_object(path: str, outcome: Outcome) -> Mapping[str, Any] | None:
    try:
        doc = read_json(path)
    except ValueError as exc:
        outcome.errors.append(str(exc))
        return None
    if not isinstance(doc, dict):
        outcome.errors.append(MSG_NOT_OBJECT.format(path=path, kind=_kind(doc)))
        return None
    return doc


def _kind(doc: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null"}.get(type(doc), type(doc).__name__)


def _import_source(source: Source, overrides: Overrides) -> Outcome:
    if source.kind == "export":
        return _import_export(source.path, overrides)
    return _import_run(source, overrides)


def _import_export(path: str, overrides: Overrides) -> Outcome:
    outcome = Outcome(label=path)
    try:
        doc = read_json(path)
    except ValueError as exc:
        outcome.errors.append(str(exc))
        return outcome
    stem = os.path.basename(path).removesuffix(".json").removesuffix("_leaderboard")
    docs = doc if isinstance(doc, list) else [doc]
    for index, item in enumerate(docs, start=1):
        item_stem = f"{stem}_{index}" if isinstance(doc, list) else stem
        label = f"{path}[{index - 1}]" if isinstance(doc, list) else path
        outcome.results.append(entry_from_export(item, label, item_stem, overrides))
    return outcome


def import_run_directory(directory: str, overrides: Overrides) -> Outcome:
    """Import every workload of one run directory on disk (the PR flow uses this for runs in PRs)."""
    return _import_run(Source("run", directory), overrides)


def _import_run(source: Source, overrides: Overrides) -> Outcome:
    directory = source.path
    outcome = Outcome(label=f"run {directory}")
    config = _read_object(os.path.join(directory, CONFIG_FILE), outcome)
    if config is None:
        return outcome
    summary = _read_summary(directory, outcome)
    listed, notes = run_listing(directory)
    outcome.notes += notes
    workloads = _workloads(config, summary, listed, source.only_workload)
    if not workloads:
        outcome.errors.append(MSG_NO_WORKLOADS.format(path=directory))
        return outcome
    outcome.label = f"run {run_id_of(config, summary, os.path.basename(directory))}"
    for workload in workloads:
        _import_workload(directory, config, summary, workload, overrides, outcome)
    outcome.failures_are_errors = len(outcome.failures) == len(workloads)
    return outcome


def _read_summary(directory: str, outcome: Outcome) -> Mapping[str, Any] | None:
    path = os.path.join(directory, "summary.json")
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    return _read_object(path, outcome)


def _summary_items(summary: Mapping[str, Any] | None) -> dict[str, Any]:
    items = summary.get("workloads") if summary else None
    if isinstance(items, dict):
        return {str(name): item for name, item in items.items()}
    if isinstance(items, list):
        return {str(i["name"]): i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)}
    return {}


def _workloads(
    config: Mapping[str, Any], summary: Mapping[str, Any] | None, listed: list[str], only: str | None
) -> list[str]:
    if only is not None:
        return [only]
    names = [*_summary_items(summary), *listed]
    if not names and isinstance(config.get("workload"), str) and config["workload"].strip():
        names.append(config["workload"].strip())  # a single-workload run whose metrics file is missing
    return list(dict.fromkeys(names))


def _import_workload(
    directory: str,
    config: Mapping[str, Any],
    summary: Mapping[str, Any] | None,
    workload: str,
    overrides: Overrides,
    outcome: Outcome,
) -> None:
    item = _summary_items(summary).get(workload)
    named = item.get("metrics_file") if isinstance(item, dict) else None
    file = os.path.basename(named) if isinstance(named, str) and named else f"{workload}{METRICS_SUFFIX}"
    why = workload_failure(workload, item, None, file)
    path = os.path.join(directory, file)
    if why is None and (not os.path.isfile(path) or os.path.islink(path)):
        why = MSG_METRICS_MISSING.format(file=path)
    metrics_doc = None if why else _read_object(path, outcome)
    if why is None and metrics_doc is not None:
        metrics = metrics_doc.get("metrics")
        why = workload_failure(workload, None, metrics if isinstance(metrics, dict) else None, file)
    if why is not None:
        outcome.failures.append((workload, why))
    elif metrics_doc is not None:
        run = RunInput(
            config, metrics_doc, workload, os.path.basename(directory), file, summary, layout_of(directory)
        )
        outcome.results.append(entry_from_run(run, overrides))


def _assign_targets(results: list[ImportResult], args: argparse.Namespace) -> list[str]:
    errors: list[str] = []
    ids: dict[str, str] = {}
    targets: dict[str, str] = {}
    out_dir = args.out_dir or DEFAULT_OUT_DIR
    for result in results:
        assert result.entry is not None
        entry_id = str(result.entry.get("entry_id"))
        if entry_id in ids:
            errors.append(MSG_DUPLICATE_ID.format(entry_id=entry_id, a=ids[entry_id], b=result.origin))
        ids.setdefault(entry_id, result.origin)
        result.target = args.output or os.path.join(out_dir, f"{result.stem}.json")
        if not args.output and result.target in targets:
            errors.append(
                MSG_DUPLICATE_TARGET.format(a=targets[result.target], b=result.origin, target=result.target)
            )
        targets.setdefault(result.target, result.origin)
    errors += [MSG_TARGET_IS_DIR.format(target=t) for t in targets if t != "-" and os.path.isdir(t)]
    return errors


def _write(results: list[ImportResult], args: argparse.Namespace) -> str | None:
    try:
        if args.output:
            texts = [(args.output, dump_json([r.entry for r in results]))]
        else:
            texts = [(str(r.target), dump_json(r.entry)) for r in results]
    except ValueError as exc:
        return MSG_NOT_SERIALIZABLE.format(origin="an entry", problem=exc)
    if args.output == "-":
        sys.stdout.write(texts[0][1])
        sys.stdout.flush()
        return None
    return write_atomically(texts)
