"""The hardware reference table (``bot/contract/hardware.json``, data rather than code) and what an entry's
text fields mean in it: the accelerator a ``chip_model`` names, a model's parameter count, the
bytes each parameter takes and the peak compute that applies to a precision."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.contract import bundled_text

TABLE_FILE = "hardware.json"
# Words that say who made the chip, not which one it is: "NVIDIA A100" and "A100" are the same chip.
_VENDOR_WORDS = frozenset({"nvidia", "huawei", "amd", "intel", "habana", "geforce", "instinct", "tesla"})
_PARAMS = re.compile(r"^\s*(?:(\d+)\s*[x×]\s*)?(\d+(?:\.\d+)?)\s*([KMBT])\s*$", re.IGNORECASE)
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
BYTES_PER_PARAM = {"FP32": 4.0, "FP16": 2.0, "BF16": 2.0, "FP8": 1.0, "INT8": 1.0, "INT4": 0.5}
_FOUR_BIT = ("int4", "4bit", "4-bit", "w4", "awq", "gptq", "nf4", "q4")
_EIGHT_BIT = ("int8", "8bit", "8-bit", "w8", "fp8", "smoothquant", "q8")
_NO_QUANTIZATION = ("", "none", "null")


@dataclass(frozen=True)
class Chip:
    """One accelerator (or the most lenient reading of several a chip_model may mean)."""

    id: str
    vendor: str
    memory_gb: float
    bandwidth_gbs: float
    tflops: Mapping[str, float | None]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Params:
    """Parameters read per generated token, as text that says where the count comes from."""

    count: float
    origin: str


@dataclass(frozen=True)
class Table:
    """The parsed reference table."""

    note: str
    sources: Mapping[str, Mapping[str, str]]
    chips: Sequence[Mapping[str, Any]]
    models: Sequence[Mapping[str, Any]]


@functools.cache
def table() -> Table:
    """The reference table shipped with the package."""
    data = json.loads(bundled_text(TABLE_FILE))
    return Table(data["note"], data["sources"], data["chips"], data["models"])


def words(text: str) -> frozenset[str]:
    """The lower-case words of a chip name, without vendor names and punctuation."""
    return frozenset(re.split(r"[^a-z0-9]+", text.lower())) - _VENDOR_WORDS - {""}


@functools.cache
def find_chip(chip_model: str) -> Chip | None:
    """The accelerator a chip_model names, or None for unknown chips and CPUs."""
    said = words(chip_model)
    families: dict[str, list[Mapping[str, Any]]] = {}
    for chip in table().chips:
        families.setdefault(chip["family"], []).append(chip)
    found = [
        variants
        for family, variants in families.items()
        if words(family) <= said or any(words(a) <= said for v in variants for a in v["aliases"])
    ]
    if len(found) != 1:
        return None  # no family, or names of two families: nothing is known for sure
    vocabulary = {w for v in found[0] for a in v["aliases"] for w in words(a)}
    wanted = said & vocabulary
    fits = [v for v in found[0] if wanted <= {w for a in v["aliases"] for w in words(a)}]
    return _envelope(fits) if fits else None


def _envelope(variants: list[Mapping[str, Any]]) -> Chip:
    """One variant as it is; several (a bare "A100") as the most lenient of them, field by field."""
    keys = {key for v in variants for key in v["tflops"]}
    peak = {
        key: max((v["tflops"][key] for v in variants if v["tflops"].get(key)), default=None) for key in keys
    }
    ident = variants[0]["id"] if len(variants) == 1 else " or ".join(v["id"] for v in variants)
    return Chip(
        ident,
        variants[0]["vendor"],
        max(v["memory_gb"] for v in variants),
        max(v["bandwidth_gbs"] for v in variants),
        peak,
        tuple(dict.fromkeys(v["source"] for v in variants)),
    )


def parameters(model: Mapping[str, Any]) -> Params | None:
    """Parameters read per token: from model.parameters ("7B", "0.5B", "124M", "8x7B"), else from
    the table's known models by name; None when neither knows."""
    text = model.get("parameters")
    match = _PARAMS.match(text) if isinstance(text, str) else None
    if match:
        experts, size, unit = match.groups()
        # A mixture of experts "8x7B" reads about one expert's worth per token; the shared layers
        # make the total smaller than 8 x 7B, so the expert size is the safe figure for every bound.
        count = float(size) * _SCALE[unit.upper()]
        mixture = " (one expert of the mixture)" if experts else ""
        return Params(count, f"{short_count(count)} parameters{mixture}")
    name = model.get("name")
    if not isinstance(name, str):
        return None
    wanted = {name.strip().lower(), name.strip().lower().rsplit("/", 1)[-1]}
    for known in table().models:
        if wanted & {n.lower() for n in known["names"]}:
            count = float(known["parameters"])
            return Params(count, f"{short_count(count)} parameters per the {known['names'][0]} model card")
    return None


def short_count(count: float) -> str:
    """A parameter count as people write it: 124M, 7B, 70.6B."""
    for unit in "TBM":
        if count >= _SCALE[unit]:
            return f"{count / _SCALE[unit]:.4g}{unit}"
    return f"{count:.4g}"


def is_quantized(quantization: Any) -> bool:
    """Whether model.quantization names a method (null, "" and "None" do not)."""
    return isinstance(quantization, str) and quantization.strip().lower() not in _NO_QUANTIZATION


def bytes_per_param(precision: Any, quantization: Any) -> float | None:
    """Bytes each weight takes: by precision, lowered by a recognised quantization method; None
    when the quantization is unknown (its size cannot be told)."""
    base = BYTES_PER_PARAM.get(precision) if isinstance(precision, str) else None
    if not is_quantized(quantization):
        return base
    method = str(quantization).lower()
    for size, marks in ((0.5, _FOUR_BIT), (1.0, _EIGHT_BIT)):
        if any(mark in method for mark in marks):
            return min(base or size, size)
    return None


def peak_tflops(chip: Chip, precision: Any, quantized: bool) -> float | None:
    """The highest dense peak that could serve the run's matrix products (lenient on purpose)."""
    kinds: tuple[str, ...]
    if precision == "FP32":
        kinds = ("fp32", "tf32")
    elif precision in ("FP16", "BF16") and not quantized:
        kinds = ("fp16",)
    else:  # quantized weights may run in FP16 after dequantisation, or in the low precision itself
        kinds = ("fp16", "fp8", "int8")
    values = [value for kind in kinds if (value := chip.tflops.get(kind))]
    return max(values) if values else None
