"""Reading the sources of ``leaderboard-bot import`` from disk: a sagellm-benchmark run directory
(config.json, the metrics and leaderboard file of each workload, benchmark_summary.json) and a JSON
file (an exported entry, an ``upload-hf`` canonical entry, an ``aggregate`` array, or a payload that
is refused with what to import instead). The mapping itself is pure (``bot.importer.mapping``,
``bot.importer.hub``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.importer.exported import Exported, Flag
from bot.importer.hub import HubEntries, from_aggregate, from_canonical
from bot.importer.kinds import classify, markdown_report
from bot.importer.mapping import RunInput, entry_from_export, entry_from_normalized, entry_from_run, run_id_of
from bot.importer.mapping import workload_failure as failure_of
from bot.importer.model import Overrides
from bot.importer.readers import read_json, read_json_text
from bot.importer.report import ImportOutcome
from bot.importer.run_files import DiskRun, RunFolder
from bot.importer.walk import (
    CONFIG_FILE,
    EXPORT_SUFFIX,
    METRICS_SUFFIX,
    MSG_UNREADABLE_DIR,
    SUMMARY_FILES,
    Source,
)
from bot.importer.workloads import selected

MSG_NOT_OBJECT = "{path}: the top level is {kind}, expected a JSON object"
MSG_NO_WORKLOADS = (
    "{path}: the run lists no workloads (no *_metrics.json, no workloads in its summary); "
    "was the benchmark interrupted before its first workload finished?"
)
MSG_METRICS_MISSING = "metrics file {file} is missing"
MSG_INTERRUPTED = (
    "{path}: config.json selects --workload {selector} ({count} workloads) but {missing} "
    "{have} no metrics file and the run wrote no benchmark_summary.json: the run was interrupted; "
    "{they} not imported (benchmark {them} again)"
)
MSG_EMPTY_AGGREGATE = "{path}: an empty aggregate array (sagellm-benchmark had no results of this kind)"
MSG_EXPORT_UNREADABLE = "{path}: not used for hardware and environment ({problem})"


def import_source(source: Source, overrides: Overrides) -> ImportOutcome:
    """Import one source found by ``bot.importer.walk.discover``."""
    if source.kind == "export":
        return import_file(source.path, overrides)
    return import_run(source, overrides)


def import_file(path: str, overrides: Overrides) -> ImportOutcome:
    """An exported entry, a canonical entry or an aggregate array; other payloads are refused."""
    outcome = ImportOutcome(label=path)
    if not path.endswith(".json"):
        outcome.errors.append(_markdown(path))
        return outcome
    try:
        doc = read_json(path)
    except ValueError as exc:
        outcome.errors.append(str(exc))
        return outcome
    classified = classify(path, doc, os.path.dirname(path) or ".")
    stem = os.path.basename(path).removesuffix(".json").removesuffix(EXPORT_SUFFIX.removesuffix(".json"))
    if classified.kind == "refused":
        outcome.errors.append(classified.message)
    elif classified.kind == "aggregate":
        hub = from_aggregate(path, doc)
        if not hub.entries and not hub.findings:
            outcome.notes.append(MSG_EMPTY_AGGREGATE.format(path=path))
        _add_hub(outcome, hub, path, stem, overrides, indexed=True)
    elif classified.kind == "canonical":
        _add_hub(outcome, from_canonical(path, doc), path, stem, overrides, indexed=False)
    else:
        outcome.results.append(entry_from_export(doc, path, stem, overrides))
    return outcome


def _markdown(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError as exc:
        return f"{path}: cannot read it ({exc.strerror or exc})"
    return markdown_report(path, head) or f"{path}: not a JSON file; pass a run directory or a *.json output"


def _add_hub(
    outcome: ImportOutcome, hub: HubEntries, path: str, stem: str, overrides: Overrides, *, indexed: bool
) -> None:
    """One result per Hub entry, with the notes and flags about it (an aggregate's by index)."""
    outcome.errors += [f"{f.message} [{f.rule}]" for f in hub.findings if f.severity == "error"]
    warnings = [f for f in hub.findings if f.severity == "warning"]
    for index, entry in enumerate(hub.entries):
        prefix = f"$[{index}]" if indexed else "$"
        mine = [f for f in warnings if not indexed or f.pointer[:1] == (index,)]
        flags = [Flag(f.rule, f.pointer, f.message) for f in mine]
        notes = [note for note in hub.notes if not indexed or f"{prefix}." in note]
        label, name = (f"{path}{prefix}", f"{stem}_{index + 1}") if indexed else (path, stem)
        outcome.results.append(entry_from_normalized(Exported(entry, notes, flags), label, name, overrides))


def read_object(folder: RunFolder, name: str, outcome: ImportOutcome) -> Mapping[str, Any] | None:
    """A JSON object file of the run, or None with an error in ``outcome``."""
    path = folder.join(name)
    try:
        doc = read_json_text(path, lambda: folder.text(name))
    except ValueError as exc:
        outcome.errors.append(str(exc))
        return None
    if not isinstance(doc, dict):
        outcome.errors.append(MSG_NOT_OBJECT.format(path=path, kind=_kind(doc)))
        return None
    return doc


def _kind(doc: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null"}.get(type(doc), type(doc).__name__)


def import_run(source: Source, overrides: Overrides) -> ImportOutcome:
    """Every workload of one run directory on disk (see ``import_run_folder``)."""
    return import_run_folder(DiskRun(source.path), overrides, source.only_workload)


def import_run_folder(folder: RunFolder, overrides: Overrides, only: str | None = None) -> ImportOutcome:
    """Every workload of one run directory; failed ones are skipped with a warning naming them."""
    directory = folder.path
    outcome = ImportOutcome(label=f"run {directory}")
    config = read_object(folder, CONFIG_FILE, outcome)
    if config is None:
        return outcome
    summary, summary_file = _read_summary(folder, outcome)
    try:
        listed, notes = folder.listing()
    except OSError as exc:  # readable files in a folder that cannot be listed (x without r)
        outcome.errors.append(MSG_UNREADABLE_DIR.format(path=directory, reason=exc.strerror or exc))
        return outcome
    outcome.notes += notes
    workloads = _workloads(config, summary, listed, only)
    if not workloads:
        outcome.errors.append(MSG_NO_WORKLOADS.format(path=directory))
        return outcome
    outcome.label = f"run {run_id_of(config, summary, os.path.basename(directory))} ({directory})"
    if summary is None and only is None:
        _interrupted(directory, config, workloads, outcome)
    for workload in workloads:
        _import_workload(RunFiles(folder, config, summary, summary_file), workload, overrides, outcome)
    return outcome


@dataclass(frozen=True)
class RunFiles:
    """The files of one run directory that every workload shares."""

    folder: RunFolder
    config: Mapping[str, Any]
    summary: Mapping[str, Any] | None
    summary_file: str


def _interrupted(
    directory: str, config: Mapping[str, Any], present: list[str], outcome: ImportOutcome
) -> None:
    selector = config.get("workload")
    if not isinstance(selector, str):
        return
    wanted = selected(selector)
    have = {name.casefold() for name in present}
    missing = [name for name in wanted if name.casefold() not in have]
    if missing and len(wanted) > 1:
        plural = len(missing) > 1
        outcome.warnings.append(
            MSG_INTERRUPTED.format(
                path=directory,
                selector=selector,
                count=len(wanted),
                missing=", ".join(missing),
                have="have" if plural else "has",
                they="they are" if plural else "it is",
                them="them" if plural else "it",
            )
        )


def _read_summary(folder: RunFolder, outcome: ImportOutcome) -> tuple[Mapping[str, Any] | None, str]:
    for name in SUMMARY_FILES:
        if folder.has(name):
            return read_object(folder, name, outcome), name
    return None, SUMMARY_FILES[0]


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


def _import_workload(run: RunFiles, workload: str, overrides: Overrides, outcome: ImportOutcome) -> None:
    item = _summary_items(run.summary).get(workload)
    named = item.get("metrics_file") if isinstance(item, dict) else None
    file = os.path.basename(named) if isinstance(named, str) and named else f"{workload}{METRICS_SUFFIX}"
    folder = run.folder
    path = folder.join(file)
    why = failure_of(workload, item, None, path, run.summary_file)
    if why is None and not folder.has(file):
        why = MSG_METRICS_MISSING.format(file=path)
    metrics_doc = None if why else read_object(folder, file, outcome)
    if why is None and metrics_doc is not None:
        metrics = metrics_doc.get("metrics")
        why = failure_of(workload, None, metrics if isinstance(metrics, dict) else None, path)
    if why is not None:
        outcome.failures.append((workload, why))
    elif metrics_doc is not None:
        export_file = f"{workload}{EXPORT_SUFFIX}"
        run_input = RunInput(
            run.config,
            metrics_doc,
            workload,
            folder.name,
            path,
            run.summary,
            folder.layout(),
            path=folder.path,
            export=_read_export(folder, export_file, outcome),
            export_file=folder.join(export_file),
            summary_file=run.summary_file,
        )
        outcome.results.append(entry_from_run(run_input, overrides))


def _read_export(folder: RunFolder, name: str, outcome: ImportOutcome) -> Mapping[str, Any] | None:
    """The run's own exporter entry (hardware and environment it detected), or None."""
    if not folder.has(name):
        return None
    path = folder.join(name)
    try:
        doc = read_json_text(path, lambda: folder.text(name))
    except ValueError as exc:
        outcome.warnings.append(MSG_EXPORT_UNREADABLE.format(path=path, problem=exc))
        return None
    return doc if isinstance(doc, dict) else None
