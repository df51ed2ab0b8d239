"""``leaderboard-bot import``: turn sagellm-benchmark outputs into leaderboard entry files.

Thin I/O adapter around ``bot.importer.mapping``: finds runs and exports (``bot.importer.walk``), reads
JSON/YAML, writes the entries atomically and prints the report (``bot.importer.report``).

Exit codes: 0 every source imported; 1 any error (then nothing is written); 2 bad arguments
(unknown ``--set`` section, unreadable ``--hardware`` file, a PATH that cannot be read).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from bot.contract.crosschecks import data_file_role
from bot.fs import write_atomically
from bot.importer.environment import detect_environment
from bot.importer.hub import idempotency_key
from bot.importer.model import (
    ImportResult,
    Layer,
    OverrideError,
    Overrides,
    hardware_layer,
    parse_scoped_set,
    set_warning,
)
from bot.importer.readers import MSG_WRITE, dump_json, load_hardware
from bot.importer.report import ImportOutcome, render, summary_line
from bot.importer.run import import_source
from bot.importer.walk import Source, discover
from bot.render.plain import visible

DEFAULT_OUT_DIR = "submissions"
MSG_DUPLICATE_ID = "entry_id {entry_id} would be written twice ({a} and {b}); drop one of the sources"
MSG_DUPLICATE_TARGET = "{a} and {b} would both be written to {target}; import them separately"
MSG_REIMPORT = (
    "{a} is the same result as {b} (same entry_id and metrics, upload-hf idempotency key {key}); "
    "imported once"
)
MSG_TARGET_IS_DIR = "{target} is a directory; choose another -o FILE or --out-dir"
MSG_OVER_INPUT = (
    "{target} would overwrite what import reads ({origin}); write the entries elsewhere (-o or --out-dir)"
)
MSG_OVER_DATA = (
    "{target} is a leaderboard data file, which import would overwrite: write submission files "
    "(the default, {out_dir}/), then merge them with "
    "`leaderboard-bot submit {out_dir} --data-dir {target_dir}`"
)
MSG_NO_WORKLOAD = (
    "--set {workload}:... applies to no imported entry (the workloads imported: {seen}); check the name"
)
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
    outcomes = [import_source(source, overrides) for source in found.sources]
    results = [r for o in outcomes for r in o.results if r.entry is not None]
    results = _drop_reimports(results, found.notes)
    batch_errors = found.errors + _assign_targets(results, args)
    batch_errors += _overwrites(results, found.sources)
    batch_errors += _unmatched_workloads(overrides, [r for o in outcomes for r in o.results])
    if not batch_errors and not any(o.error_count() for o in outcomes) and results:
        failure = _write(results, args)
        batch_errors += [failure] if failure else []
    errors = len(batch_errors) + sum(o.error_count() for o in outcomes)
    _report(found.notes, outcomes, batch_errors, results, errors, args)
    return 1 if errors or not results else 0


def _report(
    notes: list[str],
    outcomes: list[ImportOutcome],
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
        print(visible(line), file=out)  # values read from run files (a downloaded run's model name...)
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
    if getattr(args, "detect_environment", False):
        layers += _detected_layers()
    scoped: dict[str | None, list[tuple[str, Any]]] = {}
    for text in args.set or ():
        workload, path, value = parse_scoped_set(text)
        warning = set_warning(path)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        scoped.setdefault(workload, []).append((path, value))
    for workload, pairs in scoped.items():
        source = "--set" if workload is None else f"--set {workload}:"
        layers.append(Layer(source, tuple(pairs), workload=workload))
    return Overrides(layers=tuple(layers), stable_ids=bool(args.stable_ids))


def _detected_layers() -> list[Layer]:
    """One layer per detected value, so the report names each value's source."""
    detection = detect_environment()
    for message in detection.missing:
        print(f"note: {message}", file=sys.stderr)
    return [
        Layer(f"--detect-environment: {item.source}", ((f"environment.{item.key}", item.value),))
        for item in detection.values
    ]


def _drop_reimports(results: list[ImportResult], notes: list[str]) -> list[ImportResult]:
    """Keep one of the entries that are the same result published twice (an export, the aggregate
    entry and the upload-hf canonical file made from it): same entry_id, idempotency key and metrics."""
    seen: dict[tuple[str, str, str], ImportResult] = {}
    kept: list[ImportResult] = []
    for result in results:
        assert result.entry is not None
        key = idempotency_key(result.entry)
        same = (str(result.entry.get("entry_id")), key or "", repr(result.entry.get("metrics")))
        first = seen.get(same) if key else None
        if first is None:
            seen[same] = result
            kept.append(result)
            continue
        if _carries_key(result) and not _carries_key(first):  # keep the upload-hf file and its key
            kept[kept.index(first)] = seen[same] = result
            first, result = result, first
        notes.append(MSG_REIMPORT.format(a=result.origin, b=first.origin, key=key))
    return kept


def _carries_key(result: ImportResult) -> bool:
    metadata = result.entry.get("metadata") if result.entry else None
    return isinstance(metadata, dict) and bool(metadata.get("idempotency_key"))


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
            # Two sources with the same file name (one run id under two machines' outputs/): the
            # entry_id, unique by now, tells the files apart.
            result.target = os.path.join(out_dir, f"{result.stem}_{entry_id[:8]}.json")
        if not args.output and result.target in targets:
            errors.append(
                MSG_DUPLICATE_TARGET.format(a=targets[result.target], b=result.origin, target=result.target)
            )
        targets.setdefault(result.target, result.origin)
    errors += [MSG_TARGET_IS_DIR.format(target=t) for t in targets if t != "-" and os.path.isdir(t)]
    return errors


def _unmatched_workloads(overrides: Overrides, results: list[ImportResult]) -> list[str]:
    """A ``--set WORKLOAD:...`` that no imported entry measures: a typo would otherwise do nothing."""
    seen = sorted({r.workload for r in results if r.workload})
    wanted = dict.fromkeys(layer.workload for layer in overrides.layers if layer.workload)
    held = ", ".join(seen) or "none"
    return [MSG_NO_WORKLOAD.format(workload=w, seen=held) for w in wanted if w not in seen]


def _overwrites(results: list[ImportResult], sources: list[Source]) -> list[str]:
    """Targets that would replace a leaderboard data file or what the import reads: a source file, or
    a file directly inside a run directory (outputs never belong there)."""
    read = {os.path.realpath(s.path): s.path for s in sources}
    errors: list[str] = []
    for target in dict.fromkeys(str(r.target) for r in results if r.target not in (None, "-")):
        real = os.path.realpath(target)
        origin = read.get(real) or read.get(os.path.dirname(real))
        if origin is not None:
            errors.append(MSG_OVER_INPUT.format(target=target, origin=origin))
        elif data_file_role(target):
            folder = os.path.dirname(target) or "."
            errors.append(MSG_OVER_DATA.format(target=target, out_dir=DEFAULT_OUT_DIR, target_dir=folder))
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
    try:
        write_atomically(dict(texts))
    except OSError as exc:
        return MSG_WRITE.format(target=exc.filename or texts[0][0], reason=exc.strerror or exc)
    return None
