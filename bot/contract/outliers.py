"""Outliers (LB608): an entry more than 3x better or worse than the median of the published entries
with the same configuration, naming the entries it was compared with. Pure."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from typing import Any

from bot.contract.crosschecks import Located
from bot.contract.findings import Hit
from bot.contract.hardware import find_chip
from bot.contract.hints import num
from bot.contract.rules import measured, section

OUTLIER_FACTOR = 3.0  # allowed ratio to the median of the same configuration
MIN_PEERS = 2  # published entries needed for a median
OUTLIER_METRICS = {"throughput_tps": "higher", "ttft_ms": "lower", "tpot_ms": "lower"}
MSG_OUTLIER = (
    "{field} {value} is {factor}× {side} than the median {median} of {n} published entries with the same "
    "configuration ({ids}; allowed: within {allowed}×)"
)


class _Group:
    """The published entries of one configuration, with each metric's measured values sorted."""

    def __init__(self, members: list[Located]) -> None:
        self.members = members
        self.by_identity: dict[int, Located] = {id(peer.entry): peer for peer in members}
        self.by_id: dict[str, list[Located]] = {}
        for peer in members:
            if peer.entry_id is not None:
                self.by_id.setdefault(peer.entry_id, []).append(peer)
        self.sorted: dict[str, list[float]] = {}
        self._sort()

    def _sort(self) -> None:
        metrics = [section(m.entry, "metrics") for m in self.members]
        for field in OUTLIER_METRICS:
            self.sorted[field] = sorted(v for m in metrics if (v := measured(m, field)) is not None)

    def itself(self, item: Located) -> list[Located]:
        """The published entries that are the item itself (the same object, or the same entry_id)."""
        same = {id(p.entry): p for p in self.by_id.get(item.entry_id or "", [])}
        if id(item.entry) in self.by_identity:
            same[id(item.entry)] = self.by_identity[id(item.entry)]
        return list(same.values())


def outliers(items: Sequence[Located], published: Sequence[Located]) -> Iterator[tuple[Located, Hit]]:
    """LB608: entries of ``items`` more than OUTLIER_FACTOR better or worse than the median of the
    ``published`` entries with the same configuration (itself excluded; at least MIN_PEERS)."""
    # Most configurations of a leaderboard have a single entry: peers are listed first, and a group
    # is only built for a configuration with enough of them that some item shares.
    peers: dict[tuple[Any, ...], list[Located]] = {}
    for peer in published:
        same = peers.get(peer.configuration)
        if same is None:
            peers[peer.configuration] = [peer]
        else:
            same.append(peer)
    groups: dict[tuple[Any, ...], _Group] = {}
    for item in items:
        same = peers.get(item.configuration)
        if same is None or len(same) < MIN_PEERS:
            continue
        chip = section(item.entry, "hardware").get("chip_model")
        if not isinstance(chip, str) or find_chip(chip) is None:
            continue  # unknown chips and CPUs: "the same configuration" does not pin the hardware down
        group = groups.get(item.configuration)
        if group is None:
            group = groups[item.configuration] = _Group(same)
        own = group.itself(item)
        for field, better in OUTLIER_METRICS.items():
            hit = _outlier(item, group, own, field, better)
            if hit is not None:
                yield item, hit


def _median_without(values: list[float], removed: list[float]) -> float | None:
    """The median of sorted ``values`` once ``removed`` are taken out; None below MIN_PEERS."""
    if len(values) - len(removed) < MIN_PEERS:
        return None
    if not removed:
        return median_of_sorted(values)
    if len(removed) == 1:  # the usual case (validate compares each entry with the others): no copy
        gap = bisect.bisect_left(values, removed[0])
        size = len(values) - 1

        def at(index: int) -> float:
            return values[index if index < gap else index + 1]

        half = size // 2
        return at(half) if size % 2 else at(half - 1) / 2 + at(half) / 2  # no overflow near 1e308
    rest = list(values)
    for value in removed:
        rest.pop(bisect.bisect_left(rest, value))
    return median_of_sorted(rest)


def median_of_sorted(ordered: Sequence[float]) -> float:
    """``statistics.median`` of values that are already sorted: the groups keep their values sorted, so
    they are not sorted again, and statistics (with fractions, decimal, random: 5 ms) is not imported."""
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _outlier(item: Located, group: _Group, own: list[Located], field: str, better: str) -> Hit | None:
    value = measured(section(item.entry, "metrics"), field)
    if value is None:
        return None
    removed = [v for p in own if (v := measured(section(p.entry, "metrics"), field)) is not None]
    median = _median_without(group.sorted[field], removed)
    if median is None or not 0 < median < math.inf:
        return None
    ratio = value / median
    if not 0 < ratio < math.inf or 1 / OUTLIER_FACTOR <= ratio <= OUTLIER_FACTOR:
        return None
    higher = ratio > 1
    side = "better" if higher == (better == "higher") else "worse"
    mine = {id(p.entry) for p in own}
    ids = [
        (p.entry_id or "?")[:8]
        for p in group.members
        if id(p.entry) not in mine and measured(section(p.entry, "metrics"), field) is not None
    ]
    message = MSG_OUTLIER.format(
        field=field,
        value=num(value),
        factor=num(max(ratio, 1 / ratio)),
        side=side,
        median=num(median),
        n=len(ids),
        ids=", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else ""),
        allowed=num(OUTLIER_FACTOR),
    )
    return Hit("LB608", (*item.pointer, "metrics", field), message)
