"""The batch-1 consistency of the latencies with the throughput (LB607, and LB606 when the throughput
looks like tokens per minute): at batch 1 and concurrency 1 one stream yields output_length tokens in
TTFT + (output_length - 1) x TPOT, so the reported throughput should be that rate. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from bot.contract.findings import Hit
from bot.contract.hints import num
from bot.contract.rules import count, measured, section

CONSISTENCY_FACTOR = 3.0  # LB607: allowed ratio between throughput and the single-stream rate
MSG_RATE = (
    "throughput_tps {value} tok/s is {factor}× {side} the single-stream rate {rate} tok/s at batch 1 and "
    "concurrency 1 = output_length × 1000 / (ttft_ms + (output_length − 1) × {per_token}) = "
    "{out} × 1000 / ({ttft} + {steps} × {tpot}) (allowed: within {allowed}×)"
)
MSG_RATE_MINUTE = "; 60× the rate: it looks like tokens per minute"


def single_stream(entry: Mapping[str, Any]) -> tuple[float, dict[str, Any]] | None:
    """(throughput_tps / the single-stream rate, the inputs) at batch 1 and concurrency 1 with every
    input measured; None otherwise."""
    workload, metrics = section(entry, "workload"), section(entry, "metrics")
    if count(workload, "batch_size") != 1 or count(workload, "concurrent_requests") != 1:
        return None
    out = count(workload, "output_length")
    ttft, tps = measured(metrics, "ttft_ms"), measured(metrics, "throughput_tps")
    per_token = "tpot_ms" if measured(metrics, "tpot_ms") else "tbt_ms"
    tpot = measured(metrics, per_token)
    if not out or out < 1 or ttft is None or tps is None or tpot is None:
        return None
    try:
        rate = out * 1000 / (ttft + (out - 1) * tpot)
    except (OverflowError, ZeroDivisionError):
        return None
    # Extreme values (tpot_ms 1e308, throughput_tps 5e-324) make the rate or the ratio 0 or infinite:
    # the bounds rules speak to such values, this ratio means nothing.
    ratio = tps / rate if rate > 0 else math.inf
    if not 0 < ratio < math.inf:
        return None
    parts = {"value": tps, "rate": rate, "per_token": per_token, "out": out, "ttft": ttft, "tpot": tpot}
    return ratio, parts


def consistency(stream: tuple[float, dict[str, Any]] | None) -> Iterator[Hit]:
    """LB607 (or LB606) when the throughput and the single-stream rate differ more than CONSISTENCY_FACTOR."""
    if stream is None:
        return
    ratio, parts = stream
    if 1 / CONSISTENCY_FACTOR <= ratio <= CONSISTENCY_FACTOR:
        return
    side = "above" if ratio > 1 else "below"
    factor = num(max(ratio, 1 / ratio))
    shown = {key: num(value) if isinstance(value, float) else value for key, value in parts.items()}
    message = MSG_RATE.format(
        **shown, steps=parts["out"] - 1, factor=factor, side=side, allowed=num(CONSISTENCY_FACTOR)
    )
    if 40 <= ratio <= 90:
        yield Hit("LB606", ("metrics", "throughput_tps"), message + MSG_RATE_MINUTE)
    else:
        yield Hit("LB607", ("metrics", "throughput_tps"), message)
