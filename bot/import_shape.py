"""Cross-field checks of ``leaderboard-bot import``: the deployment shape (config_type, chip counts,
cluster, interconnect, parallelism), the vendor's toolkit and zero measurements. They mirror the
error rules of ``leaderboard-bot validate`` so that import never writes an entry it would reject.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from bot.import_model import ImportResult
from bot.import_spec import CONFIG_TYPES

MSG_CONFIG_TYPE = (
    "config_type {kind!r} does not fit {why}; fix the hardware values or pass --set config_type=..."
)
MSG_BAD_KIND = "config_type {value!r} is not one of {allowed}; pass --set config_type=single_gpu"
MSG_INTERCONNECT_SINGLE = (
    'hardware.interconnect is {value!r} but a single_gpu run has no chip interconnect; use "None" '
    "(--set hardware.interconnect=None --set hardware.intra_node_interconnect=None)"
)
MSG_INTERCONNECT_MULTI = (
    'hardware.interconnect is "None" but {kind} runs connect their chips; name the link with '
    "--hardware FILE (key intra_node_interconnect) or --set hardware.interconnect=NVLink"
)
MSG_ARITHMETIC = (
    "hardware.chip_count {chips} is not chips_per_node {per} × node count {nodes}; "
    "fix --hardware FILE or --set hardware.chips_per_node / cluster.node_count"
)
MSG_PARALLELISM = (
    "cluster.parallelism tensor {tp} × pipeline {pp} × data {dp} = {product}, but hardware.chip_count "
    "is {chips}; fix --set cluster.parallelism.<degree>=N"
)
MSG_COMM = "multi_node entries need a real versions.comm, not {value!r}; pass --set versions.comm=X.Y.Z"
MSG_TOOLKIT = (
    "environment.{field} is {value!r} on {vendor} hardware; it belongs to another vendor's toolkit: "
    "--set environment.{field}=null"
)
MSG_ZERO = (
    "metrics.{field} is 0: the run measured nothing; re-run the benchmark "
    "(or pass --set metrics.{field}=VALUE if the real value is known)"
)

_TOOLKIT = {"NVIDIA": "cuda_version", "Huawei": "cann_version"}


def check_shape(entry: dict[str, Any], result: ImportResult) -> None:
    """Append an error for every cross-field inconsistency of an assembled entry."""
    kind = entry.get("config_type")
    if kind not in CONFIG_TYPES:
        result.errors.append(MSG_BAD_KIND.format(value=kind, allowed=" / ".join(CONFIG_TYPES)))
        return
    for check in (_config_type, _interconnect, _arithmetic, _parallelism, _comm, _toolkit, _zero_metrics):
        result.errors.extend(check(entry, kind))


def _section(entry: dict[str, Any], name: str) -> dict[str, Any]:
    value = entry.get(name)
    return value if isinstance(value, dict) else {}


def _int(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _config_type(entry: dict[str, Any], kind: str) -> Iterator[str]:
    cluster, count = entry.get("cluster"), _int(_section(entry, "hardware"), "chip_count")
    why = None
    if kind != "multi_node" and cluster is not None:
        why = "a cluster object (cluster is only for multi_node; --set cluster=null)"
    elif kind == "multi_node" and not isinstance(cluster, dict):
        why = "cluster = null (multi_node needs node_count, comm_backend, topology_type)"
    elif count is not None and kind == "single_gpu" and count != 1:
        why = f"hardware.chip_count {count} (single_gpu means exactly 1 chip)"
    elif count is not None and kind != "single_gpu" and count < 2:
        why = f"hardware.chip_count {count} ({kind} needs at least 2 chips)"
    if why:
        yield MSG_CONFIG_TYPE.format(kind=kind, why=why)


def _interconnect(entry: dict[str, Any], kind: str) -> Iterator[str]:
    hardware = _section(entry, "hardware")
    key = "interconnect" if "interconnect" in hardware else "intra_node_interconnect"
    value = hardware.get(key)
    if not isinstance(value, str):
        return
    if kind == "single_gpu" and value != "None":
        yield MSG_INTERCONNECT_SINGLE.format(value=value)
    elif kind != "single_gpu" and value == "None":
        yield MSG_INTERCONNECT_MULTI.format(kind=kind)


def _arithmetic(entry: dict[str, Any], kind: str) -> Iterator[str]:
    hardware = _section(entry, "hardware")
    chips, per = _int(hardware, "chip_count"), _int(hardware, "chips_per_node")
    nodes = _int(_section(entry, "cluster"), "node_count") if kind == "multi_node" else 1
    if chips is not None and per is not None and nodes is not None and per * nodes != chips:
        yield MSG_ARITHMETIC.format(chips=chips, per=per, nodes=nodes)


def _parallelism(entry: dict[str, Any], kind: str) -> Iterator[str]:
    parallel = _section(_section(entry, "cluster"), "parallelism")
    degrees = [_int(parallel, key) for key in ("tensor_parallel", "pipeline_parallel", "data_parallel")]
    chips = _int(_section(entry, "hardware"), "chip_count")
    if kind != "multi_node" or chips is None or None in degrees:
        return
    product = math.prod(d for d in degrees if d is not None)
    if product != chips:
        tp, pp, dp = degrees
        yield MSG_PARALLELISM.format(tp=tp, pp=pp, dp=dp, product=product, chips=chips)


def _comm(entry: dict[str, Any], kind: str) -> Iterator[str]:
    value = _section(entry, "versions").get("comm")
    if kind == "multi_node" and value == "N/A":
        yield MSG_COMM.format(value=value)


def _toolkit(entry: dict[str, Any], kind: str) -> Iterator[str]:
    vendor = _section(entry, "hardware").get("vendor")
    own = _TOOLKIT.get(vendor) if isinstance(vendor, str) else None
    environment = _section(entry, "environment")
    for field in _TOOLKIT.values():
        value = environment.get(field)
        if own is not None and field != own and isinstance(value, str) and value:
            yield MSG_TOOLKIT.format(field=field, value=value, vendor=vendor)


def _zero_metrics(entry: dict[str, Any], kind: str) -> Iterator[str]:
    metrics = _section(entry, "metrics")
    for field in ("ttft_ms", "tbt_ms", "tpot_ms", "throughput_tps"):
        value = metrics.get(field)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
            yield MSG_ZERO.format(field=field)
