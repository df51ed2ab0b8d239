"""The fields of an entry that one workload of a sagellm-benchmark run directory records: config.json
(model, versions, engine, dataset), the metrics file, the tool's workload table (lengths,
concurrency), the run's own ``<workload>_leaderboard.json`` (detected hardware and environment) and
the metrics' epoch times.

Pure: functions over parsed JSON; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.importer.exported import Exported
from bot.importer.model import Fields, ImportResult, Overrides
from bot.importer.runmeta import CONFIG, metadata_fields, text_of
from bot.importer.spec import METRIC_MAP, SECTION_KEYS, engine_name, is_number, paths_of_type
from bot.importer.workloads import workload

if TYPE_CHECKING:
    from bot.importer.mapping import RunInput


@dataclass(frozen=True)
class RunContext:
    """What the field extractors share: the run's id, the user's overrides, the result to report to."""

    run_id: str
    overrides: Overrides
    result: ImportResult


MSG_METRICS_SHAPE = (
    '{file}: no "metrics" object (found {kind}); sagellm-benchmark writes '
    '{{"metrics": {{...}}, "timestamp": ..., "version": ...}} — re-export the run'
)
MSG_METRIC_TYPE = "{file}: {key} = {value!r} is not a number; the file is damaged: re-export the run"
MSG_METRIC_INT = (
    "metrics.{dst}: {old!r} → {new} ({file} {key}; an integer field, truncated like the upstream exporter)"
)
MSG_ZERO_NULL = "metrics.{dst}: 0 → null ({file} {key} 0 means not measured)"
MSG_ERROR_RATE = "metrics.error_rate derived as failed_requests / total_requests = {value:g} ({file})"
MSG_WORKLOAD = (
    "workload {name!r} is not in sagellm-benchmark's workload table (Q1–Q8, streaming_*, batch_*, "
    "mixed_*, short_input, long_input, stress_test); give its lengths for this workload only with "
    "--set {name}:workload.input_length=N --set {name}:workload.output_length=N "
    "(a --set without NAME: applies to every entry of the import)"
)
MSG_SAGELLM_FALLBACK = (
    "sagellm_version taken from the benchmark version ({key}), as the upstream exporter does; "
    "pass --set sagellm_version=X.Y.Z if the umbrella version differs"
)
MSG_VERSION_CONFLICT = "config.json versions: {a} = {va!r} and {b} = {vb!r} disagree; {a} is used"
MSG_PRECISION = (
    "model.precision FP32 is taken from {file}, where the exporter always writes FP32; pass "
    "--set model.precision=BF16 (or FP16, ...) if the model ran in another precision [LB504]"
)

# A zero here is "not measured" (spec decoding off; a latency of 0 ms is no measurement): written as null.
_ZERO_IS_UNKNOWN = frozenset({"spec_accept_rate", "tbt_ms", "tpot_ms"})
# From the run's <workload>_leaderboard.json: what the exporter detected on the machine.
_EXPORT_SECTIONS = ("hardware", "environment")
_EXPORT_TOP = ("engine", "engine_version")


def run_fields(fields: Fields, run: RunInput, exported: Exported | None, context: RunContext) -> None:
    """Put every value the run records for its workload into ``fields``."""
    result = context.result
    if exported is not None:
        _export_fields(fields, exported.entry, run.export_file)
    _config_fields(fields, run)
    _version_fields(fields, run.config, result)
    _engine_fields(fields, run.config, context.overrides)
    _workload_fields(fields, run, result)
    _metric_fields(fields, run, result)
    metadata_fields(fields, run, context.run_id, result)


def precision_warning(fields: Fields, file: str) -> str | None:
    """The warning for an FP32 precision that still comes from the exporter's entry."""
    item = fields.item("model.precision")
    if item is not None and item.source == file and item.value == "FP32":
        return MSG_PRECISION.format(file=file)
    return None


def _export_fields(fields: Fields, entry: Mapping[str, Any], file: str) -> None:
    for section in _EXPORT_SECTIONS:
        values = entry.get(section)
        if isinstance(values, Mapping):
            for key in SECTION_KEYS[section]:
                if key in values and values[key] is not None:
                    fields.put(
                        f"{section}.{key}", values[key], file, detail=f"{section}.{key}, detected by the tool"
                    )
    for key in _EXPORT_TOP:
        if text_of(entry.get(key)) and entry.get(key) != "unknown":
            fields.put(key, entry[key], file, detail=key)
    model = entry.get("model")
    if isinstance(model, Mapping) and model.get("precision") == "FP32":
        fields.put("model.precision", "FP32", file, detail="the exporter's fixed default")


def _given(value: Any, path: str) -> bool:
    """True when a config value says something ("None" is a real quantization: none)."""
    if path == "model.quantization" and isinstance(value, str):
        return bool(value.strip())
    return bool(text_of(value)) or is_number(value)


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
        text = text_of(run.config.get(key))
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
        key = next((k for k in ("sagellm_benchmark", "benchmark") if text_of(versions.get(k))), None)
        if key is not None:
            fields.put(
                "sagellm_version", versions[key], CONFIG, detail=f"versions.{key}, the benchmark version"
            )
            result.normalized.append(MSG_SAGELLM_FALLBACK.format(key=f"versions.{key}"))


def _engine_fields(fields: Fields, cfg: Mapping[str, Any], overrides: Overrides) -> None:
    key = next((k for k in ("engine", "runtime_engine", "service") if text_of(cfg.get(k))), None)
    if key is not None:
        fields.put("engine", cfg[key], CONFIG, detail=key)
    if text_of(cfg.get("engine_version")):
        fields.put("engine_version", cfg["engine_version"], CONFIG, detail="engine_version")
        return
    engine = _layer_value(overrides, "engine") or fields.get("engine")
    versions = cfg.get("versions")
    if isinstance(engine, str) and isinstance(versions, Mapping):
        wanted = engine_name(engine).replace("-", "_")
        if text_of(versions.get(wanted)):
            fields.put("engine_version", versions[wanted], CONFIG, detail=f"versions.{wanted}")


def _layer_value(overrides: Overrides, path: str) -> Any:
    values = [value for layer in overrides.layers for key, value in layer.values if key == path]
    return values[-1] if values else None


def _workload_fields(fields: Fields, run: RunInput, result: ImportResult) -> None:
    known = workload(run.workload)
    if known is None:
        result.warnings.append(MSG_WORKLOAD.format(name=run.workload))
        return
    source = "workload table"
    fields.put("workload.input_length", known.input_length, source, detail=f"{known.name} prompt_tokens")
    fields.put("workload.output_length", known.output_length, source, detail=f"{known.name} max_tokens")
    how = f"{known.num_requests} requests at once" if known.concurrent else "one request at a time"
    fields.put(
        "workload.concurrent_requests", known.concurrent_requests, source, detail=f"{known.name}: {how}"
    )


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
            message = MSG_METRIC_TYPE.format(file=run.metrics_file, key=key, value=value)
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
