"""Checks of ``leaderboard-bot import`` on an entry it is about to write: every required field is
known (not a placeholder), values have the contract's types and ranges, and config_type agrees
with chip count and cluster. Each message names the flag or ``--set`` that fixes it.

Pure: no I/O. This is the importer's own safety net; ``leaderboard-bot validate`` is the judge.
"""

from __future__ import annotations

from typing import Any

from bot.import_model import Fields, ImportResult
from bot.import_shape import check_shape
from bot.import_spec import (
    HARDWARE_FILE_KEYS,
    REQUIRED_METRICS,
    SHA_RE,
    UUID_RE,
    VERSION_RE,
    is_number,
    is_placeholder,
)

MSG_MISSING = "{path} is unknown: the outputs do not record it; supply it with {supply}"
MSG_PLACEHOLDER = "{path} is {value!r} in {source}, a placeholder, not a value; supply it with {supply}"
MSG_TYPE = "{path} = {value!r} ({source}) is not {what}; fix it or pass --set {path}=VALUE"
MSG_INTEGRAL = "{path}: {old!r} → {new!r} (an integer field)"
MSG_PATTERN = "{path} = {value!r} is not {what}; pass --set {path}=VALUE"

_EXAMPLES = {
    "sagellm_version": "0.3.0.3",
    "hardware.vendor": "NVIDIA",
    "hardware.chip_model": "A100-80GB",
    "hardware.chip_count": "1",
    "hardware.intra_node_interconnect": "NVLink",
    "hardware.chips_per_node": "8",
    "hardware.memory_per_chip_gb": "80",
    "hardware.total_memory_gb": "80",
    "model.name": "Qwen2-7B",
    "model.parameters": "7B",
    "model.precision": "BF16",
    "model.quantization": "None",
    "environment.os": '"Ubuntu 22.04"',
    "environment.python_version": "3.11.9",
    "environment.cuda_version": "12.1",
    "environment.pytorch_version": "2.5.1",
    "metadata.submitted_at": "2026-01-28T08:14:23Z",
    "cluster.node_count": "2",
    "cluster.comm_backend": "NCCL",
    "cluster.topology_type": "Ring",
    "kv_cache_config": '\'{"enabled": true, "eviction_policy": "LRU"}\'',
    "workload.batch_size": "1",
    "workload.concurrent_requests": "1",
}
_FLAGS = {
    "metadata.submitter": "--submitter NAME",
    "engine": "--engine NAME",
    "engine_version": "--engine-version V",
}

_REQUIRED = (
    "entry_id",
    "sagellm_version",
    "hardware.vendor",
    "hardware.chip_model",
    "hardware.chip_count",
    "model.name",
    "model.parameters",
    "model.precision",
    "workload.input_length",
    "workload.output_length",
    *(f"metrics.{key}" for key in REQUIRED_METRICS),
    "environment.os",
    "environment.python_version",
    "metadata.submitted_at",
    "metadata.submitter",
    "metadata.data_source",
)
_CLUSTER_REQUIRED = (
    "cluster.node_count",
    "cluster.comm_backend",
    "cluster.topology_type",
    "hardware.chips_per_node",
)

# (path, kind, nullable, minimum, maximum)
_TYPES: tuple[tuple[str, str, bool, float | None, float | None], ...] = (
    ("hardware.chip_model", "str", False, None, None),
    ("hardware.chip_count", "int", False, 1, None),
    ("hardware.interconnect", "str", False, None, None),
    ("hardware.chips_per_node", "int", True, 1, None),
    ("hardware.intra_node_interconnect", "str", True, None, None),
    ("hardware.memory_per_chip_gb", "number", True, 0, None),
    ("hardware.total_memory_gb", "number", True, 0, None),
    ("model.name", "str", False, None, None),
    ("model.parameters", "str", False, None, None),
    ("model.quantization", "str", True, None, None),
    ("workload.input_length", "int", False, 1, None),
    ("workload.output_length", "int", False, 1, None),
    ("workload.batch_size", "int", True, 1, None),
    ("workload.concurrent_requests", "int", True, 1, None),
    ("workload.dataset", "str", True, None, None),
    ("metrics.ttft_ms", "number", False, 0, None),
    ("metrics.tbt_ms", "number", True, 0, None),
    ("metrics.tpot_ms", "number", True, 0, None),
    ("metrics.throughput_tps", "number", False, 0, None),
    ("metrics.peak_mem_mb", "int", False, 0, None),
    ("metrics.error_rate", "number", False, 0, 1),
    ("metrics.prefix_hit_rate", "number", True, 0, 1),
    ("metrics.kv_used_tokens", "int", True, 0, None),
    ("metrics.kv_used_bytes", "int", True, 0, None),
    ("metrics.evict_count", "int", True, 0, None),
    ("metrics.evict_ms", "number", True, 0, None),
    ("metrics.spec_accept_rate", "number", True, 0, 1),
    ("cluster.node_count", "int", False, 2, None),
    ("cluster.comm_backend", "str", False, None, None),
    ("cluster.topology_type", "str", False, None, None),
    ("cluster.inter_node_network", "str", True, None, None),
    ("cluster.network_bandwidth_gbps", "int", True, 0, None),
    ("environment.os", "str", False, None, None),
    ("environment.python_version", "str", False, None, None),
    *((f"environment.{k}", "str", True, None, None) for k in ("pytorch_version", "cuda_version")),
    *((f"environment.{k}", "str", True, None, None) for k in ("cann_version", "driver_version")),
    ("kv_cache_config.enabled", "bool", False, None, None),
    ("kv_cache_config.budget_tokens", "int", True, 0, None),
    ("kv_cache_config.prefix_cache_enabled", "bool", True, None, None),
    ("engine", "str", False, None, None),
    ("engine_version", "str", False, None, None),
    ("metadata.submitter", "str", False, None, None),
    ("metadata.data_source", "str", False, None, None),
    ("metadata.reproducible_cmd", "str", True, None, None),
    ("metadata.notes", "str", True, None, None),
)
_KIND_TEXT = {"int": "an integer", "number": "a number", "str": "a string", "bool": "true or false"}


def supply_hint(path: str) -> str:
    """How the user supplies ``path``: the flag, hardware-file key or ``--set`` that sets it."""
    if path in _FLAGS:
        return _FLAGS[path]
    via_set = f"--set {path}={_EXAMPLES.get(path, 'VALUE')}"
    key = path.split(".")[-1]
    if path.split(".")[0] in ("hardware", "cluster", "environment") and key in HARDWARE_FILE_KEYS:
        return f"--hardware FILE (key {key}) or {via_set}"
    return via_set


def check_required(fields: Fields, result: ImportResult) -> None:
    """Refuse every required field that is unknown or only a placeholder."""
    required = list(_REQUIRED)
    if fields.get("config_type") == "multi_node":
        required += _CLUSTER_REQUIRED
    for path in required:
        _require(fields, result, path)
    count = fields.get("hardware.chip_count")
    if not (isinstance(count, int) and not isinstance(count, bool) and count >= 1):
        return  # a missing count is reported above, a bad one by check_entry
    interconnect = fields.has("hardware.interconnect") or fields.has("hardware.intra_node_interconnect")
    if not interconnect:
        path = "hardware.intra_node_interconnect"
        result.errors.append(MSG_MISSING.format(path=path, supply=supply_hint(path)))
    if not result.errors and not fields.has("config_type"):
        result.errors.append(MSG_MISSING.format(path="config_type", supply=supply_hint("config_type")))


def _require(fields: Fields, result: ImportResult, path: str) -> None:
    item = fields.item(path)
    if item is None or item.value is None:
        result.errors.append(MSG_MISSING.format(path=path, supply=supply_hint(path)))
    elif is_placeholder(item.value) and not item.explicit:
        result.errors.append(
            MSG_PLACEHOLDER.format(path=path, value=item.value, source=item.source, supply=supply_hint(path))
        )


def check_entry(entry: dict[str, Any], result: ImportResult) -> None:
    """Check types, ranges, patterns and config_type consistency of an assembled entry."""
    for path, kind, nullable, low, high in _TYPES:
        if path.startswith("cluster.") and not isinstance(entry.get("cluster"), dict):
            continue
        found, value, parent = _lookup(entry, path)
        if found:
            _check_value(path, value, parent, (kind, nullable, low, high), result)
    _check_patterns(entry, result)
    check_shape(entry, result)


def _lookup(entry: dict[str, Any], path: str) -> tuple[bool, Any, dict[str, Any]]:
    node: Any = entry
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict) and leaf in node:
        return True, node[leaf], node
    return False, None, {}


def _check_value(
    path: str,
    value: Any,
    parent: dict[str, Any],
    spec: tuple[str, bool, float | None, float | None],
    result: ImportResult,
) -> None:
    kind, nullable, low, high = spec
    if value is None and nullable:
        return
    if kind == "int" and isinstance(value, float) and value.is_integer():
        parent[path.split(".")[-1]] = int(value)
        result.normalized.append(MSG_INTEGRAL.format(path=path, old=value, new=int(value)))
        value = int(value)
    if not _has_kind(value, kind) or (low is not None and value < low) or (high is not None and value > high):
        what = _KIND_TEXT[kind]
        what += f" ≥ {low:g}" if low is not None else ""
        what += f" and ≤ {high:g}" if high is not None else ""
        result.errors.append(MSG_TYPE.format(path=path, value=value, source="in the entry", what=what))


def _has_kind(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return is_number(value)
    return isinstance(value, str) if kind == "str" else isinstance(value, bool)


def _check_patterns(entry: dict[str, Any], result: ImportResult) -> None:
    metadata = entry.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    checks = (
        ("entry_id", entry.get("entry_id"), UUID_RE, "a lowercase UUID"),
        ("sagellm_version", entry.get("sagellm_version"), VERSION_RE, "X.Y.Z or X.Y.Z.W"),
        ("metadata.git_commit", metadata.get("git_commit"), SHA_RE, "a 40-hex commit SHA"),
    )
    for path, value, pattern, what in checks:
        if value is not None and not (isinstance(value, str) and pattern.match(value)):
            result.errors.append(MSG_PATTERN.format(path=path, value=value, what=what))
