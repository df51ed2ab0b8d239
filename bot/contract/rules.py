"""Semantic rules over one entry: what the schema cannot say.

Every check reads the entry defensively (an entry may also have schema errors), and yields
``Hit``s: the pointer of the offending value, a message, and optionally a mechanical fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.contract.findings import Hit
from bot.contract.hints import show


@dataclass(frozen=True)
class Options:
    """Tunable thresholds of the rules (from the config file)."""

    memory_tolerance: float = 0.02
    clock_skew_minutes: int = 10


Check = Callable[[Mapping[str, Any], Options, dt.datetime], Iterator[Hit]]
CHECKS: list[Check] = []
_SHA = re.compile(r"^[0-9a-f]{40}$")
# RFC 3339 date-time with a zone. ASCII digits, and \Z: Python's $ also matches before a trailing newline.
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)\Z", re.ASCII
)
_FRACTION = re.compile(r"(\.\d{1,6})\d*")
# The vendors whose toolkit version the environment must report (and no other vendor's).
VENDOR_TOOLKIT = {"NVIDIA": "cuda_version", "Huawei": "cann_version"}
_NULLABLE_TEXT = {
    "environment": ("pytorch_version", "cuda_version", "cann_version", "driver_version"),
    "metadata": (
        "reproducible_cmd",
        "git_commit",
        "release_date",
        "changelog_url",
        "notes",
        "engine_version",
    ),
    "model": ("quantization",),
    "workload": ("dataset",),
    "hardware": ("intra_node_interconnect",),
}


# Each nullable text field with its LB111 hit, built once (hits are immutable): a leaderboard written
# with "" has tens of thousands of them, and all of one field then share one message, encoded once by
# the report.
_EMPTY_TEXT = {
    name: tuple(
        (field, Hit("LB111", (name, field), f'{name}.{field} is "" (empty text)', None, None, True))
        for field in fields
    )
    for name, fields in _NULLABLE_TEXT.items()
}
# Each latency and throughput metric with its LB201 hit, built once (as _EMPTY_TEXT).
_UNMEASURED = tuple(
    (field, Hit("LB201", ("metrics", field), f"{field} is 0: the run measured nothing"))
    for field in ("ttft_ms", "tbt_ms", "tpot_ms", "throughput_tps")
)


def check(func: Check) -> Check:
    """Register an entry check."""
    CHECKS.append(func)
    return func


_EMPTY: Mapping[str, Any] = {}


def section(entry: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A sub-object of the entry, or an empty mapping when it is missing or malformed."""
    value = entry.get(name)
    # Parsed JSON/YAML is always plain dicts; an exact type test avoids the slow ABC check.
    return value if type(value) is dict else _EMPTY


def number(obj: Mapping[str, Any], key: str) -> float | None:
    """A numeric field (booleans excluded), or None."""
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def whole(value: Any) -> int | None:
    """The value when it is a whole number (booleans excluded), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def count(obj: Mapping[str, Any], key: str) -> int | None:
    """A whole-number field, or None; counts that are not integers are schema errors."""
    return whole(obj.get(key))


def measured(metrics: Mapping[str, Any], field: str) -> float | None:
    """A positive measurement; 0 means "not measured" (LB201's business), not a bound violation."""
    value = number(metrics, field)
    if value is None or value <= 0:
        return None
    try:
        return float(value)
    except OverflowError:  # a JSON integer beyond the float range (10**400) is a schema matter
        return None


def run_checks(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> list[Hit]:
    """Every rule hit of one entry, in registration order."""
    return [hit for func in CHECKS for hit in func(entry, options, now)]


def effective_interconnect(hardware: Mapping[str, Any]) -> tuple[str, Any]:
    """The interconnect field in use (interconnect wins over the older intra_node_interconnect)."""
    if "interconnect" in hardware:
        return "interconnect", hardware["interconnect"]
    return "intra_node_interconnect", hardware.get("intra_node_interconnect")


@check
def _interconnect(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    hardware = section(entry, "hardware")
    key, value = effective_interconnect(hardware)
    if not isinstance(value, str):
        return
    pointer = ("hardware", key)
    config_type = entry.get("config_type")
    if config_type == "single_gpu" and value != "None":
        yield Hit(
            "LB104",
            pointer,
            f"a single_gpu run has no chip interconnect, but {key} is {show(value)}",
            fix="None",
            has_fix=True,
        )
    elif config_type in ("multi_gpu", "multi_node") and value == "None":
        yield Hit("LB104", pointer, f'{config_type} runs connect their chips, but {key} is "None"')


@check
def _chip_arithmetic(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    hardware, cluster = section(entry, "hardware"), section(entry, "cluster")
    chips, per_node = count(hardware, "chip_count"), count(hardware, "chips_per_node")
    if chips is None or per_node is None:
        return
    if entry.get("config_type") != "multi_node":
        if per_node != chips:
            yield Hit(
                "LB107",
                ("hardware", "chips_per_node"),
                f"a single node holds all {chips} chips, not {per_node}",
            )
        return
    nodes = count(cluster, "node_count")
    if nodes is not None and per_node * nodes != chips:
        detail = f"{per_node} per node x {nodes} nodes = {per_node * nodes}"
        yield Hit("LB107", ("hardware", "chip_count"), f"chip_count is {chips} but {detail}")


@check
def _parallelism(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    if entry.get("config_type") != "multi_node":
        return  # a cluster on a single-node entry is already LB101
    parallel = section(section(entry, "cluster"), "parallelism")
    degrees = [count(parallel, k) for k in ("tensor_parallel", "pipeline_parallel", "data_parallel")]
    chips = count(section(entry, "hardware"), "chip_count")
    if chips is None or any(d is None for d in degrees):
        return
    product = math.prod(d for d in degrees if d is not None)
    if product != chips:
        tp, pp, dp = degrees
        message = f"tensor {tp} x pipeline {pp} x data {dp} = {product}, but chip_count is {chips}"
        yield Hit("LB108", ("cluster", "parallelism"), message)


@check
def _vendor_toolkit(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    vendor = section(entry, "hardware").get("vendor")
    environment = section(entry, "environment")
    own = VENDOR_TOOLKIT.get(vendor) if isinstance(vendor, str) else None
    if own is None:
        return
    for field in VENDOR_TOOLKIT.values():
        value = environment.get(field)
        if field != own and isinstance(value, str) and value:
            yield Hit(
                "LB109",
                ("environment", field),
                f"{field} is {show(value)} on {vendor} hardware",
                has_fix=True,
            )
        if field == own and not (isinstance(value, str) and value):
            yield Hit("LB110", ("environment", field), f"{vendor} runs should report environment.{field}")


@check
def _empty_strings(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    for name, members in _EMPTY_TEXT.items():
        obj = entry.get(name)
        if type(obj) is not dict or "" not in obj.values():  # one C-level scan skips most sections
            continue
        yield from [hit for field, hit in members if obj.get(field) == ""]


@check
def _total_memory(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    hardware = section(entry, "hardware")
    per_chip, total = number(hardware, "memory_per_chip_gb"), number(hardware, "total_memory_gb")
    chips = count(hardware, "chip_count")
    if per_chip is None or total is None or chips is None:
        return
    try:  # JSON integers may exceed the float range (10**400 is a valid number): nothing to compare then
        expected = per_chip * chips
        if abs(total - expected) > options.memory_tolerance * max(expected, total, 1e-9):
            message = f"total_memory_gb is {total:g} but {per_chip:g} GB x {chips} chips = {expected:g}"
            yield Hit("LB112", ("hardware", "total_memory_gb"), message)
    except OverflowError:
        return


@check
def _positive_metrics(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    get = section(entry, "metrics").get
    for field, hit in _UNMEASURED:
        value = get(field)
        if value == 0 and not isinstance(value, bool) and isinstance(value, (int, float)):  # as number()
            yield hit


@check
def _all_failed(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    if number(section(entry, "metrics"), "error_rate") == 1:
        yield Hit("LB202", ("metrics", "error_rate"), "error_rate is 1: every request failed")


@check
def _future(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    value = section(entry, "metadata").get("submitted_at")
    when = parse_time(value)
    if when is not None and when > _latest(now, options.clock_skew_minutes):
        yield Hit("LB203", ("metadata", "submitted_at"), f"{show(value)} is after the current time")


@check
def _git_commit(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    value = section(entry, "metadata").get("git_commit")
    if isinstance(value, str) and value and not _SHA.match(value):
        yield Hit("LB204", ("metadata", "git_commit"), f"{show(value)} is not a 40-hex commit SHA")


@check
def _reproducible(entry: Mapping[str, Any], options: Options, now: dt.datetime) -> Iterator[Hit]:
    metadata = section(entry, "metadata")
    value = metadata.get("reproducible_cmd")
    if type(entry.get("metadata")) is dict and not (isinstance(value, str) and value.strip()):
        yield Hit("LB205", ("metadata", "reproducible_cmd"), "no command to reproduce the run")


@lru_cache(maxsize=16)
def _latest(now: dt.datetime, skew_minutes: int) -> dt.datetime:
    """The latest acceptable submission time (the same for every entry of a run)."""
    return now + dt.timedelta(minutes=skew_minutes)


def parse_time(value: Any) -> dt.datetime | None:
    """An RFC 3339 time as an aware datetime (naive times are taken as UTC), or None."""
    if not isinstance(value, str):
        return None
    return read_time(value)[1]


# The schema's format check and the LB203 rule read the same submitted_at: it is read once. A plain
# tuple, as a named tuple's constructor would cost a third of the reading.
@lru_cache(maxsize=256)
def read_time(value: str) -> tuple[bool, dt.datetime | None]:
    """(whether ``value`` is spelled as RFC 3339 says, the aware datetime it means or None)."""
    if RFC3339.match(value) is None:
        return False, _normalized_time(value)
    try:  # RFC 3339's spelling is ISO 8601's: Python 3.11+ reads it as written (0.25 µs; normalizing 1.5),
        return True, dt.datetime.fromisoformat(value)  # aware, as the spelling ends with a zone
    except ValueError:  # a lower-case t or z, a Z before Python 3.11, or no such time: normalized
        return True, _normalized_time(value)


def _normalized_time(value: str) -> dt.datetime | None:
    """A loosely written ISO 8601 time (spaces around it, lower case, a Z, any fraction), or None."""
    text = value.strip().upper().replace("Z", "+00:00").replace(" ", "T")
    if "." in text:
        text = _FRACTION.sub(lambda m: m.group(1).ljust(7, "0"), text)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
