"""Checks of ``leaderboard-bot import`` on an entry it is about to write.

The importer checks only what the validator cannot know: a required value the outputs did not
record, or recorded only as a placeholder ("unknown", "N/A"). Everything the contract says about
values (types, ranges, patterns, the deployment shape, the plausibility rules) is judged by
``leaderboard-bot validate``'s own ``check_entry``; its findings are turned into import errors and
warnings that name the flag or ``--set`` that supplies or fixes the value.

Pure: no I/O beyond the validator's bundled schema.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from bot.contract.config import Config
from bot.contract.findings import Finding, Pointer
from bot.contract.schema_check import EntryChecker
from bot.contract.validate import EntryRules, check_entry
from bot.importer.model import DERIVED, Fields, ImportResult, Value
from bot.importer.spec import (
    HARDWARE_FILE_KEYS,
    REQUIRED_METRICS,
    SECTION_KEYS,
    is_placeholder,
    schema_enum,
)

MSG_MISSING = "{path} is unknown: the outputs do not record it; supply it with {supply}"
MSG_PLACEHOLDER = "{path} is {value!r} in {source}, a placeholder, not a value; supply it with {supply}"
MSG_MEASURED = "a benchmark run that measures it (measurements are never typed in)"
MSG_FINDING = "{path}: {message} [{rule}] — {origin}fix it with {fix}{hint}"

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
    "cluster.parallelism": '\'{"tensor_parallel": 4, "pipeline_parallel": 2, "data_parallel": 1}\'',
    "config_type": "single_gpu",
    "workload.batch_size": "1",
    "workload.concurrent_requests": "1",
    **{f"versions.{key}": "X.Y.Z" for key in SECTION_KEYS["versions"]},
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


def supply_hint(path: str, wrong: Any = None, *, typed: bool = False) -> str:
    """How the user supplies ``path``: the flag, hardware-file key or ``--set`` that sets it (the
    example value is left out when it is the ``wrong`` value being fixed). A measurement the run
    recorded has no such hint, only a value the user ``typed`` in: a benchmark run gives them."""
    if (path.startswith("metrics.") or path == "metrics") and not typed:
        return MSG_MEASURED
    if path in _FLAGS:
        return _FLAGS[path]
    example = _EXAMPLES.get(path, "VALUE")
    via_set = f"--set {path}={'VALUE' if wrong is not None and example == str(wrong) else example}"
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
        # A missing count is reported above, a bad one by the validator; config_type and the
        # interconnect follow from it and are asked for once it is right.
        result.reported.update(p for p in ("config_type", "hardware.interconnect") if not fields.has(p))
        return
    interconnect = fields.has("hardware.interconnect") or fields.has("hardware.intra_node_interconnect")
    if not interconnect:
        path = "hardware.intra_node_interconnect"
        result.refuse(path, MSG_MISSING.format(path=path, supply=supply_hint(path)))
    if not result.errors and not fields.has("config_type"):
        result.refuse(
            "config_type", MSG_MISSING.format(path="config_type", supply=supply_hint("config_type"))
        )


def _require(fields: Fields, result: ImportResult, path: str) -> None:
    item = fields.item(path)
    if item is None or item.value is None:
        result.refuse(path, MSG_MISSING.format(path=path, supply=supply_hint(path)))
    elif is_placeholder(item.value) and not (item.explicit and item.value in schema_enum(path)):
        # Typed in or read, "unknown" says nothing, unless the contract lists it (vendor "Unknown").
        message = MSG_PLACEHOLDER.format(
            path=path, value=item.value, source=item.source, supply=supply_hint(path)
        )
        result.refuse(path, message)


@cache
def _checker() -> EntryChecker:
    return EntryChecker()


def validate(
    entry: dict[str, Any], fields: Fields, result: ImportResult, now: dt.datetime | None = None
) -> None:
    """Judge ``entry`` with the validator: its errors become import errors, its warnings import
    warnings, each naming the flag or ``--set`` for the value. Nothing already reported is repeated,
    and an absent value is asked for only when nothing else is wrong: the importer derives
    config_type, the interconnect and the node layout from values that may be the ones at fault."""
    now = now or dt.datetime.now(dt.timezone.utc)
    findings = [
        finding
        for finding in check_entry(EntryRules(_checker(), Config(), now), result.origin, (), entry)
        if not _overlaps(_dotted(finding.pointer), result.reported)
    ]
    wrong = bool(result.errors) or any(f.severity == "error" and _present(entry, f.pointer) for f in findings)
    for finding in findings:
        if wrong and not _present(entry, finding.pointer):
            continue
        path = _dotted(finding.pointer)
        message = finding_message(finding, path, fields.item(path))
        (result.errors if finding.severity == "error" else result.warnings).append(message)


def finding_message(finding: Finding, path: str, item: Value | None) -> str:
    """A validator finding as an import message: path, problem, rule, where the value came from,
    and the flag or ``--set`` that fixes it."""
    if finding.has_fix:
        fix = f"--set {path}={finding.fix if isinstance(finding.fix, str) else json.dumps(finding.fix)}"
    else:
        fix = supply_hint(path, None if item is None else item.value, typed=bool(item and item.explicit))
    return MSG_FINDING.format(
        path=path or "the entry",
        message=finding.message,
        rule=finding.rule,
        origin=_origin(item),
        fix=fix,
        hint=f" (hint: {finding.hint})" if finding.hint else "",
    )


def _origin(item: Value | None) -> str:
    if item is None or item.source == "unknown":
        return ""
    detail = f" ({item.detail})" if item.detail else ""
    return f"{item.source}{detail}; " if item.source == DERIVED else f"from {item.source}{detail}; "


def _dotted(pointer: Pointer) -> str:
    return ".".join(str(key) for key in pointer)


def _overlaps(path: str, reported: set[str]) -> bool:
    """True when ``path`` is a reported path, lies inside one or holds one."""
    return any(path == p or path.startswith(p + ".") or p.startswith(path + ".") for p in reported)


def _present(entry: dict[str, Any], pointer: Pointer) -> bool:
    """True when the entry holds a value at ``pointer`` (even null)."""
    node: Any = entry
    for key in pointer:
        if not (isinstance(node, dict) and key in node):
            return False
        node = node[key]
    return True
