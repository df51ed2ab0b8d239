"""How a submitted entry reads next to the published ones: its cells in a table row, and its rank by
throughput among the published entries of the same set-up, found through the base index."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.contract.crosschecks import configuration_key
from bot.contract.document import Document
from bot.contract.rules import number, section
from bot.ledger.base_probe import peers


def plain(text: object, limit: int = 200) -> str:
    """User text for a terminal: one line, at most ``limit`` characters (the text twin of ``escape``)."""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def entry_cells(entry: Mapping[str, Any], esc: Callable[..., str] = plain) -> list[str]:
    """Short id, model, precision, hardware, workload, TTFT, TPOT, throughput, peak memory, error rate."""
    hardware, model, workload = (
        section(entry, "hardware"),
        section(entry, "model"),
        section(entry, "workload"),
    )
    metrics, cluster = section(entry, "metrics"), section(entry, "cluster")
    chips = f"{esc(hardware.get('vendor', '?'))} {esc(hardware.get('chip_model', '?'))}"
    chips += f" × {esc(hardware.get('chip_count', '?'))}"
    if cluster.get("node_count"):
        chips += f" ({esc(cluster['node_count'])} nodes)"
    load = f"{esc(workload.get('input_length', '?'))}/{esc(workload.get('output_length', '?'))}"
    batch, concurrency = workload.get("batch_size") or "–", workload.get("concurrent_requests") or "–"
    load += f" · b{esc(batch)} · c{esc(concurrency)}"
    return [
        str(entry.get("entry_id", "?"))[:8],
        esc(model.get("name", "?"), 60),
        esc(model.get("precision", "?")),
        chips,
        load,
        _num(metrics, "ttft_ms", " ms"),
        _num(metrics, "tpot_ms", " ms"),
        _num(metrics, "throughput_tps", " tok/s"),
        _num(metrics, "peak_mem_mb", " MB", 0),
        _percent(number(metrics, "error_rate")),
    ]


def _num(obj: Mapping[str, Any], key: str, unit: str, digits: int = 1) -> str:
    value = number(obj, key)
    return "–" if value is None else f"{_float(value):,.{digits}f}{unit}"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{_float(value) * 100:.1f} %"


def _float(value: float) -> float:
    """A number as a float: JSON integers beyond the float range (10**400 is valid) become ±inf."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _comparison_key(entry: Mapping[str, Any]) -> tuple[Any, ...]:
    return configuration_key(entry)[:-2]  # the same set-up, whatever the engine


def comparison_groups(
    base: Mapping[str, Document], entries: Sequence[Mapping[str, Any]]
) -> dict[tuple[Any, ...], list[Mapping[str, Any]]]:
    """Published entries with a throughput, grouped by set-up (hardware, model, precision, workload):
    only those that can share one with ``entries`` (found by the base index, not by reading them all)."""
    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for _, _, entry in peers(base, entries):
        if isinstance(entry, dict) and (_throughput(entry) or 0) > 0:
            groups.setdefault(_comparison_key(entry), []).append(entry)
    return groups


def comparison(
    entry: Mapping[str, Any], groups: Mapping[tuple[Any, ...], list[Mapping[str, Any]]]
) -> list[str]:
    """Rank by throughput among the same set-up, Δ throughput and Δ TTFT against the fastest."""
    others = [p for p in groups.get(_comparison_key(entry), []) if p.get("entry_id") != entry.get("entry_id")]
    tps = _throughput(entry)
    if not others or tps is None:
        return ["first of its kind", "–", "–"]
    best = max(others, key=lambda p: _throughput(p) or 0)
    best_tps = _throughput(best) or 0
    rank = 1 + sum(1 for p in others if (_throughput(p) or 0) > tps)
    ttft, best_ttft = (
        number(section(entry, "metrics"), "ttft_ms"),
        number(section(best, "metrics"), "ttft_ms"),
    )
    return [f"{rank} of {len(others) + 1}", _delta(tps, best_tps), _delta(ttft, best_ttft)]


def _throughput(entry: Mapping[str, Any]) -> float | None:
    return number(section(entry, "metrics"), "throughput_tps")


def _delta(value: float | None, reference: float | None) -> str:
    if value is None or not reference:
        return "–"
    value, reference = _float(value), _float(reference)
    return f"{(value - reference) / reference * 100:+.1f} %"
