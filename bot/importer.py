"""Pure mapping core of ``leaderboard-bot import``: sagellm-benchmark run outputs (config.json,
``<workload>_metrics.json``, summary.json) and exported ``*_leaderboard.json`` entries → entries
of the leaderboard contract, with a report of where every value came from.

Functions over plain dicts; no I/O. ``bot.import_cmd`` reads the files and writes the results.
"""

from __future__ import annotations

import shlex
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.import_finish import finish
from bot.import_model import Fields, ImportResult, Overrides
from bot.import_spec import (
    METRIC_MAP,
    SECTION_KEYS,
    WORKLOAD_LENGTHS,
    engine_name,
    is_number,
    is_placeholder,
    paths_of_type,
    safe_file_stem,
    stable_entry_id,
)

CONFIG = "config.json"
IMPORT = "import"
MSG_METRICS_SHAPE = (
    '{file}: no "metrics" object (found {kind}); sagellm-benchmark writes '
    '{{"metrics": {{...}}, "timestamp": ..., "version": ...}} — re-export the run'
)
MSG_METRIC_TYPE = "{file}: {key} = {value!r} is not a number; fix the file or pass --set metrics.{dst}=VALUE"
MSG_METRIC_INT = (
    "metrics.{dst}: {old!r} → {new} ({file} {key}; an integer field, truncated like the upstream exporter)"
)
MSG_ZERO_NULL = "metrics.{dst}: 0 → null ({file} {key} 0 means not measured)"
MSG_ERROR_RATE = "metrics.error_rate derived as failed_requests / total_requests = {value:g} ({file})"
MSG_WORKLOAD = (
    "workload {name!r} is not a standard workload (Q1–Q8, short_input, long_input, stress_test); "
    "its lengths must be given with --set workload.input_length=N --set workload.output_length=N"
)
MSG_SAGELLM_FALLBACK = (
    "sagellm_version taken from the benchmark version ({key}), as the upstream exporter does; "
    "pass --set sagellm_version=X.Y.Z if the umbrella version differs"
)
MSG_VERSION_CONFLICT = "config.json versions: {a} = {va!r} and {b} = {vb!r} disagree; {a} is used"
MSG_CMD_PARTIAL = "metadata.reproducible_cmd lacks --{flag}: config.json has no {flag}"
MSG_NOT_ENTRY = (
    "{label}: {what}; an exported entry is a JSON object with entry_id, hardware, model, metrics, ..."
)
MSG_STATUS = "summary.json marks workload {name!r} as {status!r}{detail}"
MSG_ALL_FAILED = "all {total} requests failed ({file})"
MSG_ERROR_RATE_ONE = "error_rate is {value:g}: every request failed ({file})"

_FAILED_STATUSES = frozenset({"failed", "failure", "error", "errored", "crashed", "timeout", "aborted"})
_EXPORT_KEYS = ("entry_id", "hardware", "model", "workload", "metrics")
# A zero here is "not measured" (spec decoding off; a latency of 0 ms is no measurement): written as null.
_ZERO_IS_UNKNOWN = frozenset({"spec_accept_rate", "tbt_ms", "tpot_ms"})


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


def run_id_of(config: Mapping[str, Any], summary: Mapping[str, Any] | None, dir_name: str) -> str:
    """The run's id: config.json run_id, else summary.json run_id, else the directory name."""
    for doc in (config, summary or {}):
        value = _text(doc.get("run_id"))
        if value:
            return value
    return dir_name


def workload_failure(
    name: str, summary_item: Any, metrics: Mapping[str, Any] | None, metrics_file: str
) -> str | None:
    """Why a workload failed (summary status, or every request failed), or None if it did not."""
    status = summary_item.get("status") if isinstance(summary_item, Mapping) else None
    if isinstance(status, str) and status.strip().casefold() in _FAILED_STATUSES:
        error = summary_item.get("error") or summary_item.get("message")
        detail = f": {error}" if isinstance(error, str) and error.strip() else ""
        return MSG_STATUS.format(name=name, status=status, detail=detail)
    if metrics is None:
        return None
    total, ok = metrics.get("total_requests"), metrics.get("successful_requests")
    if is_number(total) and total > 0 and is_number(ok) and ok == 0:
        return MSG_ALL_FAILED.format(total=int(total), file=metrics_file)
    rate = metrics.get("error_rate")
    if is_number(rate) and rate >= 1:
        return MSG_ERROR_RATE_ONE.format(value=rate, file=metrics_file)
    return None


def entry_from_run(run: RunInput, overrides: Overrides) -> ImportResult:
    """Map one workload of one run to an entry (``result.entry``) or to errors naming the fix."""
    run_id = run_id_of(run.config, run.summary, run.dir_name)
    result = ImportResult(
        origin=f"run {run_id} ({run.dir_name}), workload {run.workload}",
        stem=safe_file_stem(f"{run_id}_{run.workload}"),
    )
    fields = Fields()
    if overrides.stable_ids:
        entry_id = stable_entry_id(run_id, run.workload)
        fields.put("entry_id", entry_id, "--stable-ids", detail="uuid5 of run_id/workload")
    else:
        fields.put("entry_id", str(uuid.uuid4()), IMPORT, detail="random uuid4")
    _config_fields(fields, run)
    _version_fields(fields, run.config, result)
    _engine_fields(fields, run.config, overrides)
    _workload_fields(fields, run, result)
    _metric_fields(fields, run, result)
    _metadata_fields(fields, run, run_id, result)
    finish(fields, result, overrides)
    return result


def entry_from_export(doc: Any, label: str, stem: str, overrides: Overrides) -> ImportResult:
    """Normalize an exported ``*_leaderboard.json`` entry and apply the user's overrides."""
    result = ImportResult(origin=f"export {label}", stem=safe_file_stem(stem))
    if not isinstance(doc, Mapping):
        result.errors.append(MSG_NOT_ENTRY.format(label=label, what=f"the JSON is {type(doc).__name__}"))
        return result
    missing = [key for key in _EXPORT_KEYS if key not in doc]
    if missing:
        result.errors.append(MSG_NOT_ENTRY.format(label=label, what=f"it has no {', '.join(missing)}"))
        return result
    fields = Fields()
    for key, value in doc.items():
        fields.put(str(key), value, f"export {label}")
    finish(fields, result, overrides)
    return result


def _text(value: Any) -> str | None:
    """A stripped string that says something, or None for non-strings and placeholders."""
    if isinstance(value, str) and not is_placeholder(value):
        return value.strip()
    return None


def _given(value: Any, path: str) -> bool:
    """True when a config value says something ("None" is a real quantization: none)."""
    if path == "model.quantization" and isinstance(value, str):
        return bool(value.strip())
    return bool(_text(value)) or is_number(value)


def _config_fields(fields: Fields, run: RunInput) -> None:
    cfg = run.config
    _model_name(fields, run)
    for path, keys in (
        ("model.precision", ("precision", "dtype")),
        ("model.quantization", ("quantization",)),
        ("workload.dataset", ("dataset",)),
        ("workload.batch_size", ("batch_size",)),
        ("workload.concurrent_requests", ("concurrent_requests", "concurrency")),
        ("metadata.git_commit", ("git_commit",)),
    ):
        key = next((k for k in keys if _given(cfg.get(k), path)), None)
        if key is not None:
            value = cfg[key]
            fields.put(path, value.strip() if isinstance(value, str) else value, CONFIG, detail=key)
    for section in ("hardware", "environment", "kv_cache_config"):
        recorded = cfg.get(section)
        if isinstance(recorded, Mapping):
            for key, value in recorded.items():
                if key in SECTION_KEYS[section]:
                    fields.put(f"{section}.{key}", value, CONFIG, detail=f"{section}.{key}")
                elif section == "hardware" and key == "node_count":
                    fields.put("cluster.node_count", value, CONFIG, detail="hardware.node_count")


def _model_name(fields: Fields, run: RunInput) -> None:
    for key in ("model_path", "model"):
        text = _text(run.config.get(key))
        if text:
            name = text.rstrip("/").split("/")[-1]
            how = ", last path segment as the upstream exporter" if name != text else ""
            fields.put("model.name", name, CONFIG, detail=f"{key}{how}")
            return
    if run.layout.get("model"):
        fields.put("model.name", run.layout["model"], "directory layout", detail="outputs/<backend>/<model>/")


def _version_fields(fields: Fields, cfg: Mapping[str, Any], result: ImportResult) -> None:
    versions = cfg.get("versions")
    versions = versions if isinstance(versions, Mapping) else {}
    for component in SECTION_KEYS["versions"]:
        long, short = f"sagellm_{component}", component
        if long in versions and short in versions and versions[long] != versions[short]:
            result.warnings.append(
                MSG_VERSION_CONFLICT.format(a=long, va=versions[long], b=short, vb=versions[short])
            )
        key = next((k for k in (long, short) if versions.get(k) is not None), None)
        if key is not None:
            fields.put(f"versions.{component}", versions[key], CONFIG, detail=f"versions.{key}")
    if versions.get("sagellm"):
        fields.put("sagellm_version", versions["sagellm"], CONFIG, detail="versions.sagellm")
    elif cfg.get("sagellm_version"):
        fields.put("sagellm_version", cfg["sagellm_version"], CONFIG, detail="sagellm_version")
    else:
        key = next((k for k in ("sagellm_benchmark", "benchmark") if _text(versions.get(k))), None)
        if key is not None:
            fields.put(
                "sagellm_version", versions[key], CONFIG, detail=f"versions.{key}, the benchmark version"
            )
            result.normalized.append(MSG_SAGELLM_FALLBACK.format(key=f"versions.{key}"))


def _engine_fields(fields: Fields, cfg: Mapping[str, Any], overrides: Overrides) -> None:
    key = next((k for k in ("engine", "runtime_engine", "service") if _text(cfg.get(k))), None)
    if key is not None:
        fields.put("engine", cfg[key], CONFIG, detail=key)
    if _text(cfg.get("engine_version")):
        fields.put("engine_version", cfg["engine_version"], CONFIG, detail="engine_version")
        return
    engine = _layer_value(overrides, "engine") or fields.get("engine")
    versions = cfg.get("versions")
    if isinstance(engine, str) and isinstance(versions, Mapping):
        wanted = engine_name(engine).replace("-", "_")
        if _text(versions.get(wanted)):
            fields.put("engine_version", versions[wanted], CONFIG, detail=f"versions.{wanted}")


def _layer_value(overrides: Overrides, path: str) -> Any:
    values = [value for layer in overrides.layers for key, value in layer.values if key == path]
    return values[-1] if values else None


def _workload_fields(fields: Fields, run: RunInput, result: ImportResult) -> None:
    table = {name.casefold(): (name, lengths) for name, lengths in WORKLOAD_LENGTHS.items()}
    known = table.get(run.workload.casefold())
    if known is None:
        result.warnings.append(MSG_WORKLOAD.format(name=run.workload))
        return
    name, (input_length, output_length) = known
    fields.put("workload.input_length", input_length, "workload table", detail=name)
    fields.put("workload.output_length", output_length, "workload table", detail=name)


def _metric_fields(fields: Fields, run: RunInput, result: ImportResult) -> None:
    metrics = run.metrics_doc.get("metrics")
    if not isinstance(metrics, Mapping):
        kind = "nothing" if metrics is None else type(metrics).__name__
        result.errors.append(MSG_METRICS_SHAPE.format(file=run.metrics_file, kind=kind))
        return
    for key, dst in METRIC_MAP:
        value = metrics.get(key)
        if value is None:
            continue
        if not is_number(value):
            message = MSG_METRIC_TYPE.format(file=run.metrics_file, key=key, value=value, dst=dst)
            result.refuse(f"metrics.{dst}", message)
            fields.put(f"metrics.{dst}", value, run.metrics_file, detail=key)  # reported once, as above
        elif dst in _ZERO_IS_UNKNOWN and value == 0:
            fields.put(f"metrics.{dst}", None, run.metrics_file, detail=f"{key} 0: not measured")
            result.normalized.append(MSG_ZERO_NULL.format(dst=dst, file=run.metrics_file, key=key))
        else:
            integer = f"metrics.{dst}" in paths_of_type("integer")
            if integer and int(value) != value:
                result.normalized.append(
                    MSG_METRIC_INT.format(dst=dst, old=value, new=int(value), file=run.metrics_file, key=key)
                )
            number = int(value) if integer else value
            fields.put(f"metrics.{dst}", number, run.metrics_file, detail=key)
    _derive_error_rate(fields, metrics, run.metrics_file, result)


def _derive_error_rate(fields: Fields, metrics: Mapping[str, Any], file: str, result: ImportResult) -> None:
    total, failed = metrics.get("total_requests"), metrics.get("failed_requests")
    if fields.has("metrics.error_rate") or not (is_number(total) and is_number(failed) and total > 0):
        return
    rate = failed / total
    fields.put("metrics.error_rate", rate, file, detail="failed_requests / total_requests")
    result.normalized.append(MSG_ERROR_RATE.format(value=rate, file=file))


def _metadata_fields(fields: Fields, run: RunInput, run_id: str, result: ImportResult) -> None:
    for doc, label in ((run.config, CONFIG), (run.metrics_doc, run.metrics_file)):
        if doc.get("timestamp") not in (None, ""):
            fields.put("metadata.submitted_at", doc["timestamp"], label, detail="timestamp")
            break
    fields.put("metadata.data_source", "automated-benchmark", IMPORT, detail="a sagellm-benchmark run")
    fields.put(
        "metadata.reproducible_cmd", _command(run, result), CONFIG, detail="workload, backend, model, ..."
    )
    fields.put("metadata.notes", f"Benchmark run: {run.workload} (run {run_id})", IMPORT)


def _command(run: RunInput, result: ImportResult) -> str:
    cfg = run.config
    parts = ["sagellm-benchmark", "run", "--workload", _text(cfg.get("workload")) or run.workload]
    for flag in ("backend", "model"):
        value = _text(cfg.get(flag)) or run.layout.get(flag)
        if value:
            parts += [f"--{flag}", value]
        else:
            result.warnings.append(MSG_CMD_PARTIAL.format(flag=flag))
    for key in ("dataset", "num_samples"):
        value = cfg.get(key)
        if _text(value) or (is_number(value) and not isinstance(value, float)):
            parts += [f"--{key.replace('_', '-')}", str(value).strip()]
    return " ".join(shlex.quote(part) for part in parts)
