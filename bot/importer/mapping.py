"""Pure mapping core of ``leaderboard-bot import``: sagellm-benchmark run outputs (config.json,
``<workload>_metrics.json``, ``<workload>_leaderboard.json``, benchmark_summary.json) and exported
entries → entries of the leaderboard contract, with a report of where every value came from.

Functions over plain dicts; no I/O. ``bot.cli.import_results`` reads the files and writes the results.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.importer.exported import EXPORT_KEYS, Exported, normalize_exported, notes_workload
from bot.importer.finish import finish
from bot.importer.model import Fields, ImportResult, Overrides
from bot.importer.runfields import RunContext, precision_warning, run_fields
from bot.importer.runmeta import IMPORT, text_of
from bot.importer.spec import is_number, safe_file_stem, stable_entry_id

MSG_NOT_ENTRY = (
    "{label}: {what}; an exported entry is a JSON object with entry_id, hardware, model, metrics, ..."
)
MSG_STATUS = "{file} marks workload {name!r} as {status!r}{detail}"
MSG_ALL_FAILED = "all {total} requests failed ({file})"
MSG_NONE_COMPLETED = (
    "no request completed: {file} has total_requests 0 and every metric 0 (sagellm-benchmark leaves "
    "failed requests out, so all of them failed); fix the run and benchmark it again"
)
MSG_ERROR_RATE_ONE = "error_rate is {value:g}: every request failed ({file})"
MSG_FLAG = "{message} [{rule}]"

_FAILED_STATUSES = frozenset({"failed", "failure", "error", "errored", "crashed", "timeout", "aborted"})


@dataclass(frozen=True)
class RunInput:
    """One workload of one sagellm-benchmark run directory, as read from disk."""

    config: Mapping[str, Any]
    metrics_doc: Mapping[str, Any]
    workload: str
    dir_name: str
    metrics_file: str
    summary: Mapping[str, Any] | None = None
    layout: Mapping[str, str] = field(default_factory=dict)  # backend/model from outputs/<b>/<m>/<run>/
    path: str = ""  # the run directory as named on the command line (or found under it)
    export: Mapping[str, Any] | None = None  # the run's own <workload>_leaderboard.json
    export_file: str = ""
    summary_file: str = "summary.json"

    @property
    def where(self) -> str:
        """The run directory's path for messages."""
        return self.path or self.dir_name


def run_id_of(config: Mapping[str, Any], summary: Mapping[str, Any] | None, dir_name: str) -> str:
    """The run's id: config.json run_id, else summary.json run_id, else the directory name."""
    for doc in (config, summary or {}):
        value = text_of(doc.get("run_id"))
        if value:
            return value
    return dir_name


def workload_failure(
    name: str, summary_item: Any, metrics: Mapping[str, Any] | None, metrics_file: str, summary_file: str = ""
) -> str | None:
    """Why a workload failed (summary status, no request completed, every request failed), or None."""
    status = summary_item.get("status") if isinstance(summary_item, Mapping) else None
    if isinstance(status, str) and status.strip().casefold() in _FAILED_STATUSES:
        error = summary_item.get("error") or summary_item.get("message")
        detail = f": {error}" if isinstance(error, str) and error.strip() else ""
        return MSG_STATUS.format(file=summary_file or "summary.json", name=name, status=status, detail=detail)
    if metrics is None:
        return None
    total, ok = metrics.get("total_requests"), metrics.get("successful_requests")
    if is_number(total) and total == 0:
        return MSG_NONE_COMPLETED.format(file=metrics_file)
    if is_number(total) and total > 0 and is_number(ok) and ok == 0:
        return MSG_ALL_FAILED.format(total=int(total), file=metrics_file)
    rate = metrics.get("error_rate")
    if is_number(rate) and rate >= 1:
        return MSG_ERROR_RATE_ONE.format(value=rate, file=metrics_file)
    return None


def stable_key(run: RunInput) -> str:
    """What ``--stable-ids`` hashes: model path, run directory (backend/model/run id), run time, workload.

    The tool's run ids (``all_20261201_001``) repeat across models and machines; the model path and
    the layout tell models apart, config.json's timestamp (to the microsecond) machines."""
    cfg = run.config
    model = text_of(cfg.get("model_path")) or text_of(cfg.get("model")) or run.layout.get("model", "")
    run_id = run_id_of(cfg, run.summary, run.dir_name)
    directory = "/".join(p for p in (run.layout.get("backend"), run.layout.get("model"), run_id) if p)
    stamp = cfg.get("timestamp") if isinstance(cfg.get("timestamp"), str) else ""
    return f"{model}|{directory}|{stamp}|{run.workload}"


def entry_from_run(run: RunInput, overrides: Overrides) -> ImportResult:
    """Map one workload of one run to an entry (``result.entry``) or to errors naming the fix."""
    run_id = run_id_of(run.config, run.summary, run.dir_name)
    model = run.layout.get("model")
    stem = f"{model}_{run_id}_{run.workload}" if model else f"{run_id}_{run.workload}"
    result = ImportResult(origin=f"{run.where}, workload {run.workload}", stem=safe_file_stem(stem))
    result.workload = run.workload
    fields = Fields()
    if overrides.stable_ids:
        entry_id = stable_entry_id(stable_key(run))
        fields.put("entry_id", entry_id, "--stable-ids", detail="uuid5 of model path, run, time, workload")
    else:
        fields.put("entry_id", str(uuid.uuid4()), IMPORT, detail="random uuid4")
    exported = _normalized_export(run)
    run_fields(fields, run, exported, RunContext(run_id, overrides, result))
    if exported is not None:
        result.normalized += exported.notes
        result.warnings += [MSG_FLAG.format(message=f.message, rule=f.rule) for f in exported.flags]
    finish(fields, result, overrides)
    warning = precision_warning(fields, run.export_file)
    if warning:
        result.warnings.append(warning)
    return result


def _normalized_export(run: RunInput) -> Exported | None:
    """The run's own exporter entry with the tool's stand-ins and faults undone, or None."""
    if not isinstance(run.export, Mapping):
        return None
    entry = copy.deepcopy(dict(run.export))
    exported = normalize_exported(entry, ())
    prefix = f"{run.export_file}: "
    used = ("$.hardware.", "$.environment.")  # the run's own files give everything else
    exported.notes = [prefix + note for note in exported.notes if any(part in note for part in used)]
    exported.flags = [f for f in exported.flags if f.pointer[:1] not in (("workload",), ("model",))]
    return exported


def entry_from_export(doc: Any, label: str, stem: str, overrides: Overrides) -> ImportResult:
    """Normalize an exported ``*_leaderboard.json`` entry and apply the user's overrides."""
    result = ImportResult(origin=f"export {label}", stem=safe_file_stem(stem))
    if not isinstance(doc, Mapping):
        result.errors.append(MSG_NOT_ENTRY.format(label=label, what=f"the JSON is {type(doc).__name__}"))
        return result
    missing = [key for key in EXPORT_KEYS if key not in doc]
    if missing:
        result.errors.append(MSG_NOT_ENTRY.format(label=label, what=f"it has no {', '.join(missing)}"))
        return result
    exported = normalize_exported(copy.deepcopy(dict(doc)), ())
    return entry_from_normalized(exported, label, stem, overrides)


def entry_from_normalized(exported: Exported, label: str, stem: str, overrides: Overrides) -> ImportResult:
    """An entry already normalized (an export, an aggregate item, a canonical file) with the overrides."""
    result = ImportResult(origin=f"export {label}", stem=safe_file_stem(stem))
    result.workload = notes_workload(exported.entry)
    result.normalized += exported.notes
    result.warnings += [MSG_FLAG.format(message=f.message, rule=f.rule) for f in exported.flags]
    fields = Fields()
    for key, value in exported.entry.items():
        fields.put(str(key), value, f"export {label}")
    finish(fields, result, overrides)
    return result
