"""Physically plausible numbers (LB6xx): roofline bounds from the hardware reference table, unit
slips, the batch-1 consistency of the latencies with the throughput, and outliers against the
median of the same configuration. Pure: entries in, ``Hit``s and ``Bound``s out; the batch-1
consistency (LB607) is in ``bot.contract.single_stream``, the outliers (LB608) in ``bot.contract.outliers``.

Decoding a token reads every weight once, so with weights spread over the tensor-parallel chips
    TPOT, TBT  >=  weight bytes / (tensor-parallel chips x memory bandwidth)
and each running request gains at most one token per such step:
    throughput <= max(batch_size, concurrent_requests) x chips x bandwidth / weight bytes.
A prefill needs about 2 x parameters x prompt tokens FLOPs:
    TTFT       >=  2 x parameters x uncached prompt tokens / (chips x dense peak FLOPS).
The peak memory of all chips lies between the weights' size and the chips' memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from bot.contract.findings import Hit
from bot.contract.hardware import (
    Chip,
    Params,
    bytes_per_param,
    find_chip,
    is_quantized,
    parameters,
    peak_tflops,
)
from bot.contract.hints import num
from bot.contract.rules import count, measured, number, section, whole
from bot.contract.single_stream import CONSISTENCY_FACTOR, consistency, single_stream

TOLERANCE = 0.10  # rounded parameter counts ("7B" for 6.7B) and rounded datasheet figures
SLIP_FACTOR = 5  # a unit slip is suspected only when a bound is missed by more than this factor
MAX_CHIPS = 1_000_000  # beyond any cluster: such a count is not computed with

MSG_BELOW = "{field} {value} {unit} is {factor}× below the {what} of {limit} {unit}: {formula}"
MSG_ABOVE = "{field} {value} {unit} is {factor}× above the {what} of {limit} {unit}: {formula}"
MSG_PER_MINUTE = "; ÷ 60 = {fixed} tok/s would fit: it looks like tokens per minute"
MSG_SECONDS = "; × 1000 = {fixed} ms would fit: it looks like seconds written as milliseconds"
NOT_CHECKED_CHIP = "not checked: chip_model {chip} is not in the hardware reference table"
NOT_CHECKED_MODEL = "not checked: the parameter count is unknown (model.parameters {text})"
NOT_CHECKED_BYTES = "not checked: unknown bytes per weight for precision {precision}, quantization {quant}"
NOT_CHECKED_CHIPS = "not checked: hardware.chip_count is missing"
NOT_CHECKED_HUGE = "not checked: a count is too large to compute with"


@dataclass(frozen=True)
class Setup:
    """What the bounds of one entry are computed from."""

    chip: Chip
    chips: int
    tensor_parallel: int
    params: Params
    bytes_per_param: float
    precision: str

    @property
    def weight_bytes(self) -> float:
        """Bytes of the weights read per token."""
        return self.params.count * self.bytes_per_param

    def weights_text(self) -> str:
        """E.g. ``14 GB (7B parameters × 2 bytes, BF16)``."""
        return (
            f"{num(self.weight_bytes / 1e9)} GB ({self.params.origin} × "
            f"{num(self.bytes_per_param)} bytes, {self.precision})"
        )


class Bound(NamedTuple):
    """One bound on one metric of one entry (a named tuple: a large run builds 40,000 of them, and a
    frozen dataclass is several times slower to construct)."""

    rule: str
    field: str
    value: float
    limit: float
    kind: Literal["floor", "ceiling"]
    what: str
    unit: str
    explain: Callable[[], str]  # the formula with its inputs, built only when a message needs it

    @property
    def ok(self) -> bool:
        """Within the bound, allowing TOLERANCE."""
        if self.kind == "floor":
            return self.value >= self.limit * (1 - TOLERANCE)
        return self.value <= self.limit * (1 + TOLERANCE)

    @property
    def factor(self) -> float:
        """How far the value lies beyond the bound (1 on it)."""
        top, bottom = (self.limit, self.value) if self.kind == "floor" else (self.value, self.limit)
        return top / bottom if bottom > 0 else math.inf


# Plain JSON scalars: keys built of them are equal only when the inputs are (1 == 1.0 == True otherwise).
_PLAIN_TYPES = frozenset({str, int, type(None)})


def setup(entry: Mapping[str, Any]) -> Setup | str:
    """The inputs of the bounds, or why the entry is not checked."""
    hardware, model = section(entry, "hardware"), section(entry, "model")
    inputs = (
        hardware.get("chip_model"),
        hardware.get("chip_count"),
        section(section(entry, "cluster"), "parallelism").get("tensor_parallel"),
        model.get("parameters"),
        model.get("name"),
        model.get("precision"),
        model.get("quantization"),
    )
    # A leaderboard repeats a few hardware and model combinations thousands of times: each is set up once.
    return _known_setup(inputs) if set(map(type, inputs)) <= _PLAIN_TYPES else _setup(inputs)


def _setup(inputs: tuple[Any, ...]) -> Setup | str:
    chip_model, chips, degree, parameter_text, name, precision, quantization = inputs
    chip = find_chip(chip_model) if isinstance(chip_model, str) else None
    if chip is None:
        return NOT_CHECKED_CHIP.format(chip=_quote(chip_model))
    chips = whole(chips)
    if chips is None or chips < 1:
        return NOT_CHECKED_CHIPS
    params = parameters({"parameters": parameter_text, "name": name})
    if params is None:
        return NOT_CHECKED_MODEL.format(text=_quote(parameter_text))
    size = bytes_per_param(precision, quantization)
    if size is None:
        return NOT_CHECKED_BYTES.format(precision=_quote(precision), quant=_quote(quantization))
    if not 0 < params.count * size < math.inf or chips > MAX_CHIPS:
        return NOT_CHECKED_HUGE
    return Setup(chip, chips, _tensor_parallel(degree, chips), params, size, str(precision))


_known_setup = lru_cache(maxsize=4096)(_setup)


def _quote(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else "missing"


def _tensor_parallel(value: Any, chips: int) -> int:
    """Chips that share one copy of the weights for each token: the cluster's tensor_parallel, or all
    chips when the entry does not say (the most lenient reading)."""
    degree = whole(value)
    return degree if degree is not None and 1 <= degree <= chips else chips


def bounds(entry: Mapping[str, Any]) -> list[Bound] | str:
    """Every bound that applies to the entry's measured metrics, or why it is not checked."""
    found = setup(entry)
    if isinstance(found, str):
        return found
    metrics = section(entry, "metrics")
    try:
        return [
            bound
            for maker in (_decode_floors, _ceiling, _prefill_floor, _memory)
            for bound in maker(found, entry, metrics)
        ]
    except OverflowError:  # counts such as batch_size 10**400 are valid JSON integers
        return NOT_CHECKED_HUGE


def _decode_floors(s: Setup, entry: Mapping[str, Any], metrics: Mapping[str, Any]) -> Iterator[Bound]:
    if (number(metrics, "spec_accept_rate") or 0) > 0:
        return  # speculative decoding emits several tokens per read of the weights
    bandwidth = s.tensor_parallel * s.chip.bandwidth_gbs * 1e9
    floor = s.weight_bytes / bandwidth * 1000

    def formula() -> str:
        return (
            f"floor = weight bytes / (tensor-parallel chips × memory bandwidth) = {s.weights_text()} / "
            f"({s.tensor_parallel} × {num(s.chip.bandwidth_gbs)} GB/s, {s.chip.id})"
        )

    for field in ("tpot_ms", "tbt_ms"):
        value = measured(metrics, field)
        if value is not None:
            yield Bound("LB601", field, value, floor, "floor", "decode floor", "ms", formula)


def _streams(entry: Mapping[str, Any]) -> int:
    workload = section(entry, "workload")
    return max(count(workload, "batch_size") or 1, count(workload, "concurrent_requests") or 1, 1)


def _ceiling(s: Setup, entry: Mapping[str, Any], metrics: Mapping[str, Any]) -> Iterator[Bound]:
    value = measured(metrics, "throughput_tps")
    if value is None:
        return
    streams = _streams(entry)
    ceiling = streams * s.chips * s.chip.bandwidth_gbs * 1e9 / s.weight_bytes

    def formula() -> str:
        return (
            f"ceiling = max(batch_size, concurrent_requests) × chips × memory bandwidth / weight bytes = "
            f"{streams} × {s.chips} × {num(s.chip.bandwidth_gbs)} GB/s ({s.chip.id}) / {s.weights_text()}"
        )

    yield Bound("LB602", "throughput_tps", value, ceiling, "ceiling", "decode ceiling", "tok/s", formula)


def _prefill_floor(s: Setup, entry: Mapping[str, Any], metrics: Mapping[str, Any]) -> Iterator[Bound]:
    value = measured(metrics, "ttft_ms")
    prompt = count(section(entry, "workload"), "input_length")
    peak = peak_tflops(s.chip, s.precision, is_quantized(section(entry, "model").get("quantization")))
    if value is None or not prompt or prompt < 1 or peak is None:
        return
    hit_rate = number(metrics, "prefix_hit_rate")
    cached = hit_rate if hit_rate is not None and 0 <= hit_rate <= 1 else 0.0
    tokens = prompt * (1 - cached)
    floor = 2 * s.params.count * tokens / (s.chips * peak * 1e12) * 1000

    def formula() -> str:
        uncached = f"{num(tokens)} uncached prompt tokens" if cached else f"{prompt} prompt tokens"
        return (
            f"floor = 2 × parameters × prompt tokens / (chips × dense peak) = 2 × {s.params.origin} × "
            f"{uncached} / ({s.chips} × {num(peak)} TFLOPS, {s.chip.id} {s.precision})"
        )

    yield Bound("LB603", "ttft_ms", value, floor, "floor", "prefill floor", "ms", formula)


def _memory(s: Setup, entry: Mapping[str, Any], metrics: Mapping[str, Any]) -> Iterator[Bound]:
    value = measured(metrics, "peak_mem_mb")
    if value is None:
        return
    # Read generously: the chips' GB as GiB (the larger) and the weights in MiB (the smaller).
    capacity = s.chips * s.chip.memory_gb * 1024

    def formula() -> str:
        return f"chips × memory = {s.chips} × {num(s.chip.memory_gb)} GB ({s.chip.id})"

    yield Bound("LB604", "peak_mem_mb", value, capacity, "ceiling", "chips' memory", "MB", formula)
    weights = s.weight_bytes / 2**20
    yield Bound("LB605", "peak_mem_mb", value, weights, "floor", "weights' size", "MB", s.weights_text)


def check(entry: Mapping[str, Any]) -> Iterator[Hit]:
    """LB601-LB607 for one entry; unknown chips, CPUs and unknown models are not checked."""
    found = bounds(entry)
    if isinstance(found, str):
        return
    rate = single_stream(entry)
    hits = [_bound_hit(bound, rate and rate[0]) for bound in found if not bound.ok]
    yield from hits
    seen = {(hit.rule, hit.pointer) for hit in hits}
    yield from (hit for hit in consistency(rate) if (hit.rule, hit.pointer) not in seen)


def _bound_hit(bound: Bound, ratio: float | None) -> Hit:
    template = MSG_BELOW if bound.kind == "floor" else MSG_ABOVE
    message = template.format(
        field=bound.field,
        value=num(bound.value),
        unit=bound.unit,
        factor=num(bound.factor),
        what=bound.what,
        limit=num(bound.limit),
        formula=bound.explain(),
    )
    rule = bound.rule
    # Tokens per minute inflate the throughput alone: at batch 1 it then disagrees with the latencies.
    alone = ratio is None or ratio > CONSISTENCY_FACTOR
    if bound.factor > SLIP_FACTOR and bound.rule == "LB602" and alone and bound.value / 60 <= bound.limit:
        rule, message = "LB606", message + MSG_PER_MINUTE.format(fixed=num(bound.value / 60))
    elif bound.factor > SLIP_FACTOR and bound.rule == "LB603" and bound.value * 1000 >= bound.limit:
        rule, message = "LB606", message + MSG_SECONDS.format(fixed=num(bound.value * 1000))
    return Hit(rule, ("metrics", bound.field), message)


def assessment(entry: Mapping[str, Any]) -> tuple[bool | None, str]:
    """(within bounds?, one line naming each bound) for the PR comment; None when not checked."""
    found = bounds(entry)
    if isinstance(found, str):
        return None, found
    if not found:
        return None, "not checked: no measured metric has a bound"
    ok = all(bound.ok for bound in found)
    return ok, ("within bounds: " if ok else "outside bounds: ") + "; ".join(map(_short, found))


def _short(bound: Bound) -> str:
    if bound.ok:
        sign = "≥" if bound.kind == "floor" else "≤"
        return f"{bound.field} {num(bound.value)} {sign} {num(bound.limit)} {bound.unit} ({bound.what})"
    side = "below" if bound.kind == "floor" else "above"
    return (
        f"{bound.field} {num(bound.value)} {bound.unit} is {num(bound.factor)}× {side} the {bound.what} "
        f"of {num(bound.limit)} {bound.unit}"
    )
