"""The second half of every import: apply the user's overrides, normalize known upstream drift,
derive what follows from the contract (interconnect, memory totals, config_type, cluster), refuse
what is still unknown, assemble the entry and have the validator judge it.

Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from bot.contract.rules import VENDOR_TOOLKIT
from bot.importer.checks import check_required, supply_hint, validate
from bot.importer.model import DERIVED, Fields, ImportResult, Overrides, assemble
from bot.importer.spec import (
    SECTION_KEYS,
    engine_name,
    is_number,
    is_placeholder,
    paths_of_type,
    precision_name,
    utc_timestamp,
    vendor_name,
)

MSG_ENGINE = "{path}: {old!r} → {new!r} (engine names are lower case with dashes, as upstream writes them)"
MSG_ENUM = "{path}: {old!r} → {new!r}"
MSG_INTEGRAL = "{path}: {old!r} → {new!r} (an integer field)"
MSG_EMPTY_ENV = '{path}: empty string → null (upstream exporters wrote "" for unknown versions)'
MSG_VERSION_NA = (
    'versions {keys}: unknown, written as "N/A" (the contract\'s marker); '
    "pass --set versions.<name>=X.Y.Z for any you know"
)
MSG_VERSION_EMPTY = '{path}: empty string → "N/A" (upstream drift)'
MSG_TIME_NO_ZONE = "metadata.submitted_at: {old!r} has no time zone; treated as UTC → {new!r}"
MSG_TIME_UTC = "metadata.submitted_at: {old!r} → {new!r} (UTC)"
MSG_CMD_PLACEHOLDER = (
    "metadata.reproducible_cmd {value!r} has placeholder arguments (upstream exporter drift); removed. "
    'Pass --set metadata.reproducible_cmd="sagellm-benchmark run ..." to keep a real one'
)
MSG_VERIFIED = (
    "metadata.verified: {old!r} → false (imported entries are verified by maintainers, not by import)"
)
MSG_SINGLE_NODE = (
    "node count not given: treated as one node; for a cluster give node_count in --hardware FILE "
    "or --set cluster.node_count=N"
)
MSG_CLUSTER_DROPPED = "cluster values {paths} ignored: the run is single-node (node_count 1)"
MSG_UNEVEN = (
    "hardware.chip_count {count} is not a multiple of {what} {by}; fix --hardware FILE "
    "or --set hardware.chips_per_node / cluster.node_count"
)
MSG_UNKNOWN_NULL = "{path}: unknown, written as null; supply it with {supply}"
MSG_UNKNOWN_OMIT = "{path}: unknown, omitted; supply it with {supply}"

_NULLABLE = (
    "hardware.memory_per_chip_gb",
    "hardware.total_memory_gb",
    "model.quantization",
    "workload.batch_size",
    "workload.concurrent_requests",
    "workload.dataset",
    *(f"metrics.{k}" for k in SECTION_KEYS["metrics"] if k not in ("ttft_ms", "throughput_tps")),
    "environment.pytorch_version",
    "environment.cuda_version",
    "environment.cann_version",
    "environment.driver_version",
)
_OMITTABLE = ("engine", "engine_version")
# The other vendor's toolkit is null by rule, so it is not "unknown".
# The other vendor's toolkit field, derived from the validator's table so the two cannot drift.
_FOREIGN_TOOLKIT = {
    vendor: f"environment.{other}"
    for vendor, own in VENDOR_TOOLKIT.items()
    for other in VENDOR_TOOLKIT.values()
    if other != own
}
_CMD_PLACEHOLDER = re.compile(r"--[A-Za-z][\w-]* (None|null|unknown)\b")


def finish(fields: Fields, result: ImportResult, overrides: Overrides) -> None:
    """Apply overrides, normalize, derive, check; sets ``result.entry`` when nothing is wrong."""
    for layer in overrides.layers:
        if not layer.applies_to(result.workload):
            continue
        for path, value in layer.values:
            fields.put(path, value, layer.source, explicit=True)
    _normalize(fields, result)
    _derive_hardware(fields)
    _derive_topology(fields, result)
    _fixed_metadata(fields, result)
    _report_unknown(fields, result)
    check_required(fields, result)
    entry = assemble(fields)
    validate(entry, fields, result)
    if not result.errors:
        result.entry = entry
        result.filled = fields.items()


def _normalize(fields: Fields, result: ImportResult) -> None:
    for path in ("engine", "metadata.engine"):
        value = fields.get(path)
        if isinstance(value, str) and engine_name(value) != value:
            _replace(fields, path, engine_name(value))
            result.normalized.append(MSG_ENGINE.format(path=path, old=value, new=engine_name(value)))
    _normalize_integers(fields, result)
    _normalize_enum(fields, result, "model.precision", precision_name)
    _normalize_enum(fields, result, "hardware.vendor", vendor_name)
    for key in SECTION_KEYS["environment"][2:]:
        if fields.get(f"environment.{key}") == "":
            _replace(fields, f"environment.{key}", None)
            result.normalized.append(MSG_EMPTY_ENV.format(path=f"environment.{key}"))
    _normalize_versions(fields, result)
    _normalize_time(fields, result)
    cmd = fields.get("metadata.reproducible_cmd")
    if isinstance(cmd, str) and _CMD_PLACEHOLDER.search(cmd):
        fields.drop("metadata.reproducible_cmd")
        result.warnings.append(MSG_CMD_PLACEHOLDER.format(value=cmd))


def _normalize_integers(fields: Fields, result: ImportResult) -> None:
    """Whole numbers written as floats (2.0) in integer fields become integers (2)."""
    integers = paths_of_type("integer")
    for path, item in fields.items():
        if path in integers and isinstance(item.value, float) and item.value.is_integer():
            _replace(fields, path, int(item.value))
            result.normalized.append(MSG_INTEGRAL.format(path=path, old=item.value, new=int(item.value)))


def _normalize_enum(fields: Fields, result: ImportResult, path: str, norm: Any) -> None:
    """The contract's spelling of a known value; an unknown one is left to the validator."""
    item = fields.item(path)
    if item is None or item.value is None or (is_placeholder(item.value) and not item.explicit):
        return
    new = norm(item.value)
    if new is not None and new != item.value:
        fields.put(path, new, item.source, explicit=item.explicit, detail=item.detail)
        result.normalized.append(MSG_ENUM.format(path=path, old=item.value, new=new))


def _normalize_versions(fields: Fields, result: ImportResult) -> None:
    unknown = []
    for key in SECTION_KEYS["versions"]:
        path = f"versions.{key}"
        item = fields.item(path)
        if item is None or item.value in (None, "", "N/A"):
            source = DERIVED if item is None else item.source
            fields.put(path, "N/A", source, explicit=bool(item and item.explicit), detail="unknown version")
            if item is not None and item.value == "":
                result.normalized.append(MSG_VERSION_EMPTY.format(path=path))
            unknown.append(key)
    if unknown:
        result.unknown.append(MSG_VERSION_NA.format(keys=", ".join(unknown)))


def _normalize_time(fields: Fields, result: ImportResult) -> None:
    item = fields.item("metadata.submitted_at")
    if item is None or item.value is None:
        return
    parsed = utc_timestamp(item.value)
    if parsed is None:
        return  # the validator reports a value that is no date-time
    text, had_zone = parsed
    if text != item.value:
        fields.put("metadata.submitted_at", text, item.source, explicit=item.explicit, detail=item.detail)
        template = MSG_TIME_UTC if had_zone else MSG_TIME_NO_ZONE
        result.normalized.append(template.format(old=item.value, new=text))


def _derive_hardware(fields: Fields) -> None:
    count = fields.get("hardware.chip_count")
    inter, intra = fields.get("hardware.interconnect"), fields.get("hardware.intra_node_interconnect")
    if inter is None and intra is None and count == 1:
        for path in ("hardware.interconnect", "hardware.intra_node_interconnect"):
            fields.put(path, "None", DERIVED, detail="a single chip has no interconnect")
    elif inter is None and intra is not None:
        fields.put(
            "hardware.interconnect", intra, DERIVED, detail="copied from hardware.intra_node_interconnect"
        )
    elif intra is None and inter is not None:
        fields.put(
            "hardware.intra_node_interconnect", inter, DERIVED, detail="copied from hardware.interconnect"
        )
    if _is_int(count) and count > 0:
        _derive_memory(fields, count)


def _derive_memory(fields: Fields, count: int) -> None:
    per, total = fields.get("hardware.memory_per_chip_gb"), fields.get("hardware.total_memory_gb")
    if is_number(per) and total is None:
        fields.put(
            "hardware.total_memory_gb",
            round(per * count, 3),
            DERIVED,
            detail="memory_per_chip_gb × chip_count",
        )
    elif is_number(total) and per is None:
        fields.put(
            "hardware.memory_per_chip_gb",
            round(total / count, 3),
            DERIVED,
            detail="total_memory_gb ÷ chip_count",
        )


def _derive_topology(fields: Fields, result: ImportResult) -> None:
    count = fields.get("hardware.chip_count")
    if not _is_int(count) or count < 1:
        return  # check_required or the validator reports it
    nodes = _node_count(fields, result, count)
    if nodes is None:
        return
    if not fields.has("hardware.chips_per_node"):
        if count % nodes:
            message = MSG_UNEVEN.format(count=count, what="cluster.node_count", by=nodes)
            result.refuse("hardware.chip_count", message)
            return
        fields.put("hardware.chips_per_node", count // nodes, DERIVED, detail="chip_count ÷ node count")
    if fields.has("config_type"):
        return
    if nodes >= 2:
        fields.put("config_type", "multi_node", DERIVED, detail=f"{nodes} nodes")
        return
    stray = [p for p, _ in fields.items() if p.startswith("cluster.")]
    if stray:
        result.warnings.append(MSG_CLUSTER_DROPPED.format(paths=", ".join(stray)))
    fields.put("cluster", None, DERIVED, detail="single node")
    kind = "single_gpu" if count == 1 else "multi_gpu"
    fields.put("config_type", kind, DERIVED, detail=f"{count} chip(s) on one node")


def _node_count(fields: Fields, result: ImportResult, count: int) -> int | None:
    nodes = fields.get("cluster.node_count")
    if nodes is not None:
        return nodes if _is_int(nodes) and nodes >= 1 else None  # the validator reports a bad value
    per = fields.get("hardware.chips_per_node")
    if _is_int(per) and 0 < per < count:
        if count % per:
            message = MSG_UNEVEN.format(count=count, what="hardware.chips_per_node", by=per)
            result.refuse("hardware.chip_count", message)
            result.reported.add("hardware.chips_per_node")
            return None
        fields.put("cluster.node_count", count // per, DERIVED, detail="chip_count ÷ chips_per_node")
        return int(count // per)
    if count > 1 and not fields.has("config_type"):
        result.unknown.append(MSG_SINGLE_NODE)
    return 1


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fixed_metadata(fields: Fields, result: ImportResult) -> None:
    verified = fields.item("metadata.verified")
    if verified is not None and verified.value is not False:
        result.normalized.append(MSG_VERIFIED.format(old=verified.value))
    fields.put("metadata.verified", False, "import", detail="imported entries start unverified")
    if not fields.has("metadata.data_source"):
        fields.put("metadata.data_source", "automated-benchmark", "import", detail="default")


def _report_unknown(fields: Fields, result: ImportResult) -> None:
    foreign = _FOREIGN_TOOLKIT.get(str(fields.get("hardware.vendor")))
    for path in _NULLABLE:
        if fields.get(path) is None:
            if not fields.present(path):
                fields.put(path, None, "unknown")
            if path == foreign:
                continue
            result.unknown.append(MSG_UNKNOWN_NULL.format(path=path, supply=supply_hint(path)))
    if not fields.present("kv_cache_config"):
        fields.put("kv_cache_config", None, "unknown")
        result.unknown.append(
            MSG_UNKNOWN_NULL.format(path="kv_cache_config", supply=supply_hint("kv_cache_config"))
        )
    for path in _OMITTABLE:
        if not fields.has(path):
            fields.drop(path)
            result.unknown.append(MSG_UNKNOWN_OMIT.format(path=path, supply=supply_hint(path)))


def _replace(fields: Fields, path: str, value: Any) -> None:
    item = fields.item(path)
    if item is not None:
        fields.put(path, value, item.source, explicit=item.explicit, detail=item.detail)
