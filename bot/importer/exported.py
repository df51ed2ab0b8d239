"""What sagellm-benchmark's exporter (``exporters/leaderboard.py``, 0.5.4.14) writes wrong or as a
stand-in, undone or flagged, for every shape that carries its entries: ``<workload>_leaderboard.json``,
the ``aggregate`` arrays and the ``upload-hf`` canonical files.

Undone, with a note: ``""`` for an unknown environment version, ``0`` for a latency it did not
measure, the 128/128 lengths and concurrency 1 it writes for every workload outside its own small
table (the real values are in the tool's workload table, ``bot.importer.workloads``), batch size 1
(the tool records none), and on Huawei NPUs the host's RAM written as accelerator memory.
Flagged (kept, as nothing better is known): precision FP32 (hard-coded), the chip model "Ascend 910B"
(hard-coded for every Ascend NPU), the NVLink it assumes for any multi-GPU machine.

Pure: functions over dicts; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.contract.findings import Pointer, json_path
from bot.importer.workloads import workload

EXPORT_KEYS = ("entry_id", "hardware", "model", "workload", "metrics")
# exporters/leaderboard.py writes this submitter; its fixed values are corrected only in such entries.
TOOL_SUBMITTER = "sagellm-benchmark automated run"

MSG_EMPTY = '"" → null at {path} (exporters/leaderboard.py writes "" for a version it did not detect)'
MSG_ZERO = "0 → null at {path} (the tool writes 0 for a latency it did not measure)"
MSG_TABLE = "{old} → {new} at {path} (workload {name} of the tool's workload table; the exporter wrote {old})"
MSG_BATCH = "1 → null at {path} (the tool writes batch size 1 for every run; it records no batch size)"
MSG_HOST_MEMORY = (
    "{path} {value!r} → null: on Huawei NPUs sagellm-benchmark writes the host's RAM there, not the "
    "NPU's memory; give the real value (npu-smi info shows it)"
)
MSG_FP32 = (
    "model.precision FP32 is the exporter's hard-coded default, not read from the run; "
    "correct it if the model ran in another precision"
)
MSG_ASCEND = (
    'hardware.chip_model "Ascend 910B" is the exporter\'s default for every Ascend NPU; '
    "correct it if the chip is another model"
)
MSG_NVLINK = (
    "{path} NVLink is the exporter's guess for any multi-GPU machine; correct it if the GPUs are "
    "connected otherwise (PCIe)"
)
MSG_CONCURRENCY = (
    "workload.concurrent_requests 1 is the exporter's fixed value and workload {name!r} is not in the "
    "tool's workload table; correct it if requests ran concurrently"
)

_ENV_STAND_INS = ("pytorch_version", "cuda_version", "cann_version", "driver_version")
_NOT_MEASURED = ("tbt_ms", "tpot_ms", "spec_accept_rate")
_NOTES_WORKLOAD = re.compile(r"^\s*Benchmark run:\s*(\S+)")


@dataclass(frozen=True)
class Flag:
    """A value the tool is known to write wrong that stays in the entry, with its rule."""

    rule: str
    pointer: Pointer
    message: str


@dataclass
class Exported:
    """One normalized exporter entry with what was changed (notes) and what is doubtful (flags)."""

    entry: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def notes_workload(entry: dict[str, Any]) -> str | None:
    """The workload name the exporter put in ``metadata.notes`` ("Benchmark run: Q5"), or None."""
    metadata = entry.get("metadata")
    notes = metadata.get("notes") if isinstance(metadata, dict) else None
    found = _NOTES_WORKLOAD.match(notes) if isinstance(notes, str) else None
    return found.group(1) if found else None


def normalize_exported(entry: dict[str, Any], pointer: Pointer) -> Exported:
    """Undo the exporter's stand-ins and known faults in ``entry`` (changed in place), at ``pointer``."""
    out = Exported(entry)
    _stand_ins(entry, pointer, out)
    metadata = entry.get("metadata")
    if isinstance(metadata, dict) and metadata.get("submitter") == TOOL_SUBMITTER:
        _workload(entry, pointer, out)
        _hardware(entry, pointer, out)
        if _get(entry, "model", "precision") == "FP32":
            out.flags.append(Flag("LB504", (*pointer, "model", "precision"), MSG_FP32))
    return out


def _stand_ins(entry: dict[str, Any], pointer: Pointer, out: Exported) -> None:
    for key in _ENV_STAND_INS:
        if _get(entry, "environment", key) == "":
            entry["environment"][key] = None
            out.notes.append(MSG_EMPTY.format(path=json_path((*pointer, "environment", key))))
    for key in _NOT_MEASURED:
        value = _get(entry, "metrics", key)
        if value == 0 and not isinstance(value, bool):
            entry["metrics"][key] = None
            out.notes.append(MSG_ZERO.format(path=json_path((*pointer, "metrics", key))))


def _workload(entry: dict[str, Any], pointer: Pointer, out: Exported) -> None:
    section = entry.get("workload")
    if not isinstance(section, dict):
        return
    name = notes_workload(entry)
    known = workload(name) if name else None
    if known is None:
        if section.get("concurrent_requests") == 1:
            flag = Flag(
                "LB504", (*pointer, "workload", "concurrent_requests"), MSG_CONCURRENCY.format(name=name)
            )
            out.flags.append(flag)
    else:
        for key, new in (
            ("input_length", known.input_length),
            ("output_length", known.output_length),
            ("concurrent_requests", known.concurrent_requests),
        ):
            old = section.get(key)
            if old != new:
                section[key] = new
                path = json_path((*pointer, "workload", key))
                out.notes.append(MSG_TABLE.format(old=old, new=new, path=path, name=known.name))
    if section.get("batch_size") == 1:
        section["batch_size"] = None
        out.notes.append(MSG_BATCH.format(path=json_path((*pointer, "workload", "batch_size"))))


def _hardware(entry: dict[str, Any], pointer: Pointer, out: Exported) -> None:
    hardware = entry.get("hardware")
    if not isinstance(hardware, dict):
        return
    if hardware.get("vendor") == "Huawei":
        for key in ("memory_per_chip_gb", "total_memory_gb"):
            if hardware.get(key) is not None:
                path = json_path((*pointer, "hardware", key))
                message = MSG_HOST_MEMORY.format(path=path, value=hardware[key])
                out.notes.append(message)
                out.flags.append(Flag("LB503", (*pointer, "hardware", key), message))
                hardware[key] = None
        if hardware.get("chip_model") == "Ascend 910B":
            out.flags.append(Flag("LB504", (*pointer, "hardware", "chip_model"), MSG_ASCEND))
    count = hardware.get("chip_count")
    if hardware.get("vendor") == "NVIDIA" and isinstance(count, int) and count > 1:
        key = "intra_node_interconnect" if hardware.get("intra_node_interconnect") else "interconnect"
        if hardware.get(key) == "NVLink":
            path = json_path((*pointer, "hardware", key))
            out.flags.append(Flag("LB504", (*pointer, "hardware", key), MSG_NVLINK.format(path=path)))


def _get(entry: dict[str, Any], section: str, key: str) -> Any:
    values = entry.get(section)
    return values.get(key) if isinstance(values, dict) else None
