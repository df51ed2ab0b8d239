"""Outliers (LB608): an entry more than 3x better or worse than the median of the published entries
with the same configuration, naming the entries it was compared with. Pure."""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from typing import Any

from bot.crosschecks import Located, configuration_key
from bot.plausibility import measured, num, setup
from bot.rules import Hit, section

OUTLIER_FACTOR = 3.0  # allowed ratio to the median of the same configuration
MIN_PEERS = 2  # published entries needed for a median
OUTLIER_METRICS = {"throughput_tps": "higher", "ttft_ms": "lower", "tpot_ms": "lower"}
MSG_OUTLIER = (
    "{field} {value} is {factor}× {side} than the median {median} of {n} published entries with the same "
    "configuration ({ids}; allowed: within {allowed}×)"
)


def outliers(items: Sequence[Located], published: Sequence[Located]) -> Iterator[tuple[Located, Hit]]:
    """LB608: entries of ``items`` more than OUTLIER_FACTOR better or worse than the median of the
    ``published`` entries with the same configuration (itself excluded; at least MIN_PEERS)."""
    groups: dict[tuple[Any, ...], list[Located]] = {}
    for peer in published:
        groups.setdefault(configuration_key(peer.entry), []).append(peer)
    for item in items:
        if isinstance(setup(item.entry), str):
            continue  # unknown chips: "the same configuration" does not pin the hardware down
        peers = [p for p in groups.get(configuration_key(item.entry), []) if not _same(p, item)]
        for field, better in OUTLIER_METRICS.items():
            hit = _outlier(item, peers, field, better)
            if hit is not None:
                yield item, hit


def _same(peer: Located, item: Located) -> bool:
    return peer.entry is item.entry or (peer.entry_id is not None and peer.entry_id == item.entry_id)


def _outlier(item: Located, peers: Sequence[Located], field: str, better: str) -> Hit | None:
    value = measured(section(item.entry, "metrics"), field)
    values = [(p, v) for p in peers if (v := measured(section(p.entry, "metrics"), field)) is not None]
    if value is None or len(values) < MIN_PEERS:
        return None
    median = statistics.median(v for _, v in values)
    ratio = value / median
    if 1 / OUTLIER_FACTOR <= ratio <= OUTLIER_FACTOR:
        return None
    higher = ratio > 1
    side = "better" if higher == (better == "higher") else "worse"
    ids = [(p.entry_id or "?")[:8] for p, _ in values]
    message = MSG_OUTLIER.format(
        field=field,
        value=num(value),
        factor=num(max(ratio, 1 / ratio)),
        side=side,
        median=num(median),
        n=len(values),
        ids=", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else ""),
        allowed=num(OUTLIER_FACTOR),
    )
    return Hit("LB608", (*item.pointer, "metrics", field), message)
