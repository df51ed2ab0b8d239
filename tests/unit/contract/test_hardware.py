"""The hardware reference table: chip names, parameter counts, bytes per weight, and its sources."""

from __future__ import annotations

import pytest

from bot.contract.hardware import bytes_per_param, find_chip, parameters, peak_tflops, table
from tests.support.paths import ROOT


@pytest.mark.parametrize(
    ("chip_model", "chip_id", "bandwidth", "memory"),
    [
        ("NVIDIA A100 80GB PCIe", "A100-80GB-PCIe", 1935, 80),
        ("A100-80GB-PCIe", "A100-80GB-PCIe", 1935, 80),
        ("a100 pcie 80gb", "A100-80GB-PCIe", 1935, 80),
        ("NVIDIA A100-SXM4-80GB", "A100-80GB-SXM", 2039, 80),
        ("NVIDIA A100-SXM4-40GB", "A100-40GB-SXM", 1555, 40),
        ("A100 40GB PCIe", "A100-40GB-PCIe", 1555, 40),
        ("H100-80GB-SXM", "H100-SXM", 3350, 80),
        ("NVIDIA H100 PCIe", "H100-PCIe", 2000, 80),
        ("H100 NVL", "H100-NVL", 3900, 94),
        ("NVIDIA H20", "H20", 4000, 96),
        ("NVIDIA L4", "L4", 300, 24),
        ("NVIDIA L40S", "L40S", 864, 48),
        ("NVIDIA GeForce RTX 4090", "RTX-4090", 1008, 24),
        ("Ascend 910B", "Ascend-910B", 1600, 64),
        ("Huawei Ascend 910B3", "Ascend-910B", 1600, 64),
        ("Ascend910C", None, None, None),  # one word: no alias matches, so it is not guessed
        ("Ascend 910C", "Ascend-910C", 3200, 128),
        ("AMD Instinct MI300X", "MI300X", 5300, 192),
        ("Intel Gaudi 2", "Gaudi2", 2460, 96),
        ("HL-325", "Gaudi3", 3670, 128),
    ],
)
def test_chip_models_resolve_case_and_punctuation_insensitively(
    chip_model: str, chip_id: str | None, bandwidth: float | None, memory: float | None
) -> None:
    chip = find_chip(chip_model)
    if chip_id is None:
        assert chip is None
        return
    assert chip is not None
    assert (chip.id, chip.bandwidth_gbs, chip.memory_gb) == (chip_id, bandwidth, memory)


def test_a_bare_family_name_gets_the_most_lenient_variant_it_may_mean() -> None:
    a100_80 = find_chip("NVIDIA A100 80GB")
    assert a100_80 is not None
    assert (a100_80.id, a100_80.bandwidth_gbs, a100_80.memory_gb) == (
        "A100-80GB-SXM or A100-80GB-PCIe",
        2039,
        80,
    )
    h100 = find_chip("H100")
    assert h100 is not None
    assert (h100.bandwidth_gbs, h100.memory_gb, h100.tflops["fp16"]) == (3900, 94, 989.5)
    assert h100.sources == ("nvidia-h100",)


@pytest.mark.parametrize(
    "chip_model", ["CPU", "x86_64", "Unknown", "A100 or H100", "A100 80GB SXM PCIe 40GB", ""]
)
def test_cpus_unknown_and_contradictory_names_are_not_matched(chip_model: str) -> None:
    assert find_chip(chip_model) is None


@pytest.mark.parametrize(
    ("text", "count", "origin"),
    [
        ("7B", 7e9, "7B parameters"),
        ("0.5B", 0.5e9, "500M parameters"),
        ("124M", 124e6, "124M parameters"),
        ("70.6B", 70.6e9, "70.6B parameters"),
        ("8x7B", 7e9, "7B parameters (one expert of the mixture)"),
        (" 13 b ", 13e9, "13B parameters"),
        ("1.8T", 1.8e12, "1.8T parameters"),
    ],
)
def test_parameter_counts_are_read_from_model_parameters(text: str, count: float, origin: str) -> None:
    found = parameters({"name": "whatever", "parameters": text})
    assert found is not None
    assert (found.count, found.origin) == (pytest.approx(count), origin)


def test_unknown_counts_fall_back_to_the_known_models_by_name() -> None:
    gpt2 = parameters({"name": "openai-community/gpt2", "parameters": "unknown"})
    assert gpt2 is not None
    assert (gpt2.count, gpt2.origin) == (124e6, "124M parameters per the gpt2 model card")
    assert parameters({"name": "distilgpt2", "parameters": "unknown"}) is not None
    assert parameters({"name": "tiny-gpt2", "parameters": "unknown"}) is None
    assert parameters({"name": "x", "parameters": "seven billion"}) is None


@pytest.mark.parametrize(
    ("precision", "quantization", "size"),
    [
        ("FP32", None, 4),
        ("FP16", "None", 2),
        ("BF16", "", 2),
        ("FP8", None, 1),
        ("INT8", None, 1),
        ("INT4", None, 0.5),
        ("FP16", "AWQ", 0.5),
        ("FP16", "GPTQ-int4", 0.5),
        ("BF16", "SmoothQuant", 1),
        ("INT4", "SmoothQuant", 0.5),
        ("FP16", "bitsandbytes-nf3", None),
        ("FP64", None, None),
    ],
)
def test_bytes_per_parameter(precision: str, quantization: str | None, size: float | None) -> None:
    assert bytes_per_param(precision, quantization) == size


def test_peak_compute_is_the_most_lenient_that_could_apply() -> None:
    a100 = find_chip("A100 80GB PCIe")
    assert a100 is not None
    assert peak_tflops(a100, "FP32", False) == 156  # TF32 tensor cores, not 19.5 FP32
    assert peak_tflops(a100, "BF16", False) == 312
    assert peak_tflops(a100, "INT8", False) == 624
    assert peak_tflops(a100, "FP16", True) == 624  # quantized: INT8 kernels may serve it
    gaudi = find_chip("Gaudi 3")
    assert gaudi is not None
    assert peak_tflops(gaudi, "FP32", False) is None  # not published: the prefill floor is skipped


def test_every_chip_is_sourced_resolves_by_its_own_aliases_and_has_sane_numbers() -> None:
    data = table()
    ids = [chip["id"] for chip in data.chips]
    assert len(ids) == len(set(ids))
    for chip in data.chips:
        assert chip["source"] in data.sources, chip["id"]
        assert 8 <= chip["memory_gb"] <= 512, chip["id"]
        assert 100 <= chip["bandwidth_gbs"] <= 10_000, chip["id"]
        peaks = [v for v in chip["tflops"].values() if v is not None]
        assert peaks, chip["id"]
        assert all(0 < v < 5000 for v in peaks), chip["id"]
        for alias in chip["aliases"]:
            found = find_chip(alias)
            assert found is not None, alias
            assert found.id == chip["id"], alias
    for source in data.sources.values():
        assert source["title"]
        assert source["url"].startswith("https://")
    required = {"A100-40GB-SXM", "A100-80GB-SXM", "A100-40GB-PCIe", "A100-80GB-PCIe", "H100-SXM", "H100-PCIe"}
    required |= {"H100-NVL", "H200-SXM", "H20", "L40S", "L4", "RTX-4090", "Ascend-910B", "Ascend-910C"}
    assert required | {"MI300X", "Gaudi2", "Gaudi3"} <= set(ids)


def test_the_field_reference_lists_the_bounds_and_every_source() -> None:
    text = (ROOT / "docs" / "FIELD_SPECIFICATION.md").read_text(encoding="utf-8")
    assert "## Plausibility bounds (LB601–LB608)" in text
    data = table()
    for source in data.sources.values():
        assert source["url"] in text
    for chip in data.chips:
        assert f"| {chip['id']} |" in text
        if chip.get("unconfirmed"):
            assert chip["unconfirmed"] in text
