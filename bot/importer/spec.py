"""Static knowledge for ``leaderboard-bot import``: the entry's key order, the sagellm-benchmark
workload and metric tables, and small pure normalizers for values that drift upstream.

What the contract says about a field's type and allowed values is not repeated here: it is read
from the validator's bundled schema (``paths_of_type``, ``schema_enum``). Otherwise data or pure
functions over plain values; no I/O.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import datetime, timezone
from functools import cache
from typing import Any, TypeGuard

from bot.contract.schema_check import load_schema

# The entry's keys in the contract's order (CONTRACT.md "Entry"); unknown keys follow, as found.
TOP_KEYS: tuple[str, ...] = (
    "entry_id",
    "sagellm_version",
    "config_type",
    "engine",
    "engine_version",
    "canonical_path",
    "hardware",
    "model",
    "workload",
    "metrics",
    "cluster",
    "versions",
    "environment",
    "kv_cache_config",
    "metadata",
)
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "hardware": (
        "vendor",
        "chip_model",
        "chip_count",
        "interconnect",
        "chips_per_node",
        "intra_node_interconnect",
        "memory_per_chip_gb",
        "total_memory_gb",
    ),
    "model": ("name", "parameters", "precision", "quantization"),
    "workload": ("input_length", "output_length", "batch_size", "concurrent_requests", "dataset"),
    "metrics": (
        "ttft_ms",
        "tbt_ms",
        "tpot_ms",
        "throughput_tps",
        "peak_mem_mb",
        "error_rate",
        "prefix_hit_rate",
        "kv_used_tokens",
        "kv_used_bytes",
        "evict_count",
        "evict_ms",
        "spec_accept_rate",
    ),
    "cluster": (
        "node_count",
        "comm_backend",
        "inter_node_network",
        "network_bandwidth_gbps",
        "topology_type",
        "parallelism",
    ),
    "cluster.parallelism": ("tensor_parallel", "pipeline_parallel", "data_parallel"),
    "versions": (
        "protocol",
        "backend",
        "core",
        "control_plane",
        "gateway",
        "kv_cache",
        "comm",
        "compression",
        "benchmark",
    ),
    "environment": (
        "os",
        "python_version",
        "pytorch_version",
        "cuda_version",
        "cann_version",
        "driver_version",
    ),
    "kv_cache_config": ("enabled", "eviction_policy", "budget_tokens", "prefix_cache_enabled"),
    "metadata": (
        "submitted_at",
        "submitter",
        "data_source",
        "engine",
        "engine_version",
        "reproducible_cmd",
        "git_commit",
        "release_date",
        "changelog_url",
        "notes",
        "verified",
        "idempotency_key",
    ),
}

# <workload>_metrics.json key → entry metrics key, as the upstream exporter maps them.
METRIC_MAP: tuple[tuple[str, str], ...] = (
    ("avg_ttft_ms", "ttft_ms"),
    ("avg_tbt_ms", "tbt_ms"),
    ("avg_tpot_ms", "tpot_ms"),
    ("avg_throughput_tps", "throughput_tps"),
    ("peak_mem_mb", "peak_mem_mb"),
    ("error_rate", "error_rate"),
    ("avg_prefix_hit_rate", "prefix_hit_rate"),
    ("total_kv_used_tokens", "kv_used_tokens"),
    ("total_kv_used_bytes", "kv_used_bytes"),
    ("total_evict_count", "evict_count"),
    ("total_evict_ms", "evict_ms"),
    ("avg_spec_accept_rate", "spec_accept_rate"),
)
REQUIRED_METRICS = ("ttft_ms", "throughput_tps", "peak_mem_mb", "error_rate")

# --hardware FILE keys → entry paths.
HARDWARE_FILE_KEYS: dict[str, str] = {
    **{key: f"hardware.{key}" for key in SECTION_KEYS["hardware"]},
    **{key: f"cluster.{key}" for key in SECTION_KEYS["cluster"]},
    **{key: f"environment.{key}" for key in SECTION_KEYS["environment"]},
}

_PRECISION_ALIASES = {
    "float32": "FP32",
    "float": "FP32",
    "float16": "FP16",
    "half": "FP16",
    "bfloat16": "BF16",
}
# Values that stand for "we do not know"; never accepted from run data for a required field.
PLACEHOLDERS = frozenset({"", "unknown", "n/a", "na", "null", "none", "tbd", "todo", "?", "-"})

# Namespace for --stable-ids: uuid5(NAMESPACE_URL, "https://github.com/intellistream/sagellm-leaderboard/import").
# Never change it: re-importing a run must give the entry_id it got before.
STABLE_ID_NAMESPACE = uuid.UUID("095cdc97-b898-5595-81b0-812c29678aec")


def stable_entry_id(key: str) -> str:
    """The deterministic entry_id of one workload of one run: uuid5 over ``key``
    (``bot.importer.mapping.stable_key``: model path, run directory, run time, workload)."""
    return str(uuid.uuid5(STABLE_ID_NAMESPACE, key))


@cache
def _schema_leaves() -> dict[str, dict[str, Any]]:
    """Every leaf field of the validator's entry schema by dotted path, ``$ref``s resolved."""
    definitions = load_schema()["definitions"]
    leaves: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, child in node.get("properties", {}).items():
            ref = child.get("$ref")
            if isinstance(ref, str):
                child = {**definitions[ref.rsplit("/", 1)[-1]], **child}
            if "properties" in child:
                walk(child, f"{prefix}{key}.")
            else:
                leaves[prefix + key] = child

    walk(definitions["entry"], "")
    return leaves


@cache
def paths_of_type(kind: str) -> frozenset[str]:
    """The dotted paths whose schema type allows ``kind`` ("integer", "string", ...)."""
    found = set()
    for path, schema in _schema_leaves().items():
        types = schema.get("type", ())
        if kind in ((types,) if isinstance(types, str) else types):
            found.add(path)
    return frozenset(found)


def schema_enum(path: str) -> tuple[str, ...]:
    """The values the schema allows at ``path`` (empty when it does not list them)."""
    return tuple(_schema_leaves().get(path, {}).get("enum", ()))


def is_number(value: object) -> TypeGuard[int | float]:
    """True for a finite int or float that is not a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def is_placeholder(value: object) -> bool:
    """True when a value only says "unknown" ("", "unknown", "N/A", "None", ...)."""
    return value is None or (isinstance(value, str) and value.strip().casefold() in PLACEHOLDERS)


def engine_name(raw: str) -> str:
    """The upstream engine spelling: lower case, spaces replaced by dashes."""
    return "-".join(raw.strip().lower().split())


def precision_name(raw: object) -> str | None:
    """The contract's precision spelling for ``raw`` (bf16, bfloat16 → BF16), or None."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    upper = text.upper()
    if upper in schema_enum("model.precision"):
        return upper
    return _PRECISION_ALIASES.get(text.lower())


def vendor_name(raw: object) -> str | None:
    """The contract's vendor spelling for ``raw`` (nvidia → NVIDIA), or None."""
    if not isinstance(raw, str):
        return None
    folded = raw.strip().casefold()
    return next((v for v in schema_enum("hardware.vendor") if v.casefold() == folded), None)


def utc_timestamp(value: object) -> tuple[str, bool] | None:
    """(``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, had_zone) for an ISO string or epoch seconds, or None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            moment, had_zone = datetime.fromtimestamp(value, tz=timezone.utc), True
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            text = text[:-1] + "+00:00" if text[-1] in "Zz" else text
            moment = datetime.fromisoformat(text)
            had_zone = moment.tzinfo is not None
            moment = moment if had_zone else moment.replace(tzinfo=timezone.utc)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    text += f".{moment.microsecond:06d}" if moment.microsecond else ""
    return text + "Z", had_zone


def safe_file_stem(text: str) -> str:
    """A file-name-safe version of ``text`` (anything but letters, digits, ``._-`` becomes ``_``)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return stem or "entry"
