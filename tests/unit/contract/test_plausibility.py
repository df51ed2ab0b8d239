"""Physical plausibility (LB601-LB607): hand-computed bounds, fabricated slips, the real data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.contract.config import Config, load_config
from bot.contract.plausibility import Bound, assessment, bounds, check
from bot.contract.validate import validate_inputs
from tests.support.cases_support import NOW
from tests.support.paths import ROOT

EXAMPLES = ROOT / "examples"
CONFIG_FILE = ROOT / ".github" / "leaderboard-bot.yml"


def example(name: str, **changes: Any) -> dict[str, Any]:
    """An example entry with changes at dotted paths ("metrics.ttft_ms")."""
    entry: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = entry
        for key in parents:
            target = target[key]
        target[last] = value
    return entry


def thirteen_b_on_a100(**changes: Any) -> dict[str, Any]:
    """A fabricated 13B FP16 entry on one A100 80GB SXM claiming a TPOT of 1 ms."""
    base = {
        "hardware.chip_model": "NVIDIA A100-SXM4-80GB",
        "hardware.memory_per_chip_gb": 80,
        "hardware.total_memory_gb": 80,
        "model.name": "Llama-2-13b-hf",
        "model.parameters": "13B",
        "model.precision": "FP16",
        "metrics.tpot_ms": 1.0,
        "metrics.tbt_ms": 1.0,
        "metrics.ttft_ms": 120.0,
        "metrics.throughput_tps": 65.0,
        "metrics.peak_mem_mb": 30000,
        "metrics.prefix_hit_rate": None,
    }
    return example("single-gpu.json", **{**base, **changes})


def by_field(entry: dict[str, Any]) -> dict[tuple[str, str], Bound]:
    found = bounds(entry)
    assert not isinstance(found, str), found
    return {(b.rule, b.field): b for b in found}


def hits(entry: dict[str, Any]) -> list[tuple[str, str]]:
    return [(hit.rule, str(hit.pointer[-1])) for hit in check(entry)]


# Hand-computed bounds. Units: bytes / (bytes/s) in ms; GB are 1e9 bytes, memory capacity in MiB.
def test_decode_floor_qwen_7b_bf16_on_one_h100_sxm() -> None:
    found = by_field(example("single-gpu.json"))
    assert found["LB601", "tpot_ms"].limit == pytest.approx(14e9 / 3350e9 * 1000)  # 4.18 ms
    assert found["LB602", "throughput_tps"].limit == pytest.approx(1 * 1 * 3350e9 / 14e9)  # 239 tok/s
    # prefix_hit_rate 0.62: only 38 % of the 512 prompt tokens are computed.
    assert found["LB603", "ttft_ms"].limit == pytest.approx(2 * 7e9 * 512 * 0.38 / 989.5e12 * 1000)
    assert found["LB604", "peak_mem_mb"].limit == 80 * 1024
    assert found["LB605", "peak_mem_mb"].limit == pytest.approx(14e9 / 2**20)
    assert all(b.ok for b in found.values())


def test_bounds_of_70b_fp16_on_four_a100_pcie() -> None:
    found = by_field(example("multi-gpu.json"))
    assert found["LB601", "tpot_ms"].limit == pytest.approx(140e9 / (4 * 1935e9) * 1000)  # 18.1 ms
    # max(batch 8, concurrency 16) streams × 4 chips × 1935 GB/s / 140 GB
    assert found["LB602", "throughput_tps"].limit == pytest.approx(16 * 4 * 1935e9 / 140e9)  # 885
    assert found["LB603", "ttft_ms"].limit == pytest.approx(2 * 70e9 * 2048 / (4 * 312e12) * 1000)  # 230
    assert found["LB604", "peak_mem_mb"].limit == 4 * 80 * 1024
    assert all(b.ok for b in found.values())


def test_multi_node_uses_the_tensor_parallel_degree_for_the_decode_floor() -> None:
    found = by_field(example("multi-node.json"))  # 16 × Ascend 910B, TP 8 × PP 2, 16B BF16
    assert found["LB601", "tpot_ms"].limit == pytest.approx(32e9 / (8 * 1600e9) * 1000)  # 2.5 ms
    assert found["LB602", "throughput_tps"].limit == pytest.approx(32 * 16 * 1600e9 / 32e9)
    assert found["LB604", "peak_mem_mb"].limit == 16 * 64 * 1024


def test_gpt2_fp32_on_one_a100_pcie_from_the_known_models() -> None:
    entry = json.loads((ROOT / "data" / "leaderboard_single.json").read_text())[0]
    assert entry["model"]["parameters"] == "unknown"
    floor = by_field(entry)["LB601", "tpot_ms"]
    assert floor.limit == pytest.approx(124e6 * 4 / 1935e9 * 1000)  # 0.256 ms
    assert not floor.ok
    assert floor.factor == pytest.approx(0.2563 / 0.06589, rel=1e-3)


def test_fp8_on_h20_uses_the_fp8_peak_and_one_byte_per_weight() -> None:
    entry = example(
        "single-gpu.json",
        **{"hardware.chip_model": "H20", "model.parameters": "8B", "model.precision": "FP8"},
        **{"metrics.prefix_hit_rate": None, "workload.input_length": 1000},
    )
    found = by_field(entry)
    assert found["LB601", "tpot_ms"].limit == pytest.approx(8e9 / 4000e9 * 1000)  # 2 ms
    assert found["LB603", "ttft_ms"].limit == pytest.approx(2 * 8e9 * 1000 / 296e12 * 1000)  # 54 ms


def test_a_mixture_reads_one_expert_and_awq_weights_take_half_a_byte() -> None:
    moe = example("single-gpu.json", **{"hardware.chip_model": "MI300X", "model.parameters": "8x7B"})
    assert by_field(moe)["LB601", "tpot_ms"].limit == pytest.approx(7e9 * 2 / 5300e9 * 1000)
    awq = example("multi-gpu.json", **{"model.quantization": "AWQ"})
    assert by_field(awq)["LB601", "tpot_ms"].limit == pytest.approx(70e9 * 0.5 / (4 * 1935e9) * 1000)


# Fabricated slips: each flagged with the right bound.
def test_a_13b_model_at_1_ms_tpot_on_one_a100_is_below_the_decode_floor() -> None:
    found = list(check(thirteen_b_on_a100()))
    assert [(h.rule, h.pointer) for h in found] == [
        ("LB601", ("metrics", "tpot_ms")),
        ("LB601", ("metrics", "tbt_ms")),
        ("LB607", ("metrics", "throughput_tps")),
    ]
    tpot = found[0].message
    assert tpot.startswith("tpot_ms 1 ms is 12.8× below the decode floor of 12.8 ms")  # 26 GB / 2039 GB/s
    assert "26.0 GB (13B parameters × 2 bytes, FP16) / (1 × 2,039 GB/s, A100-80GB-SXM)" in tpot
    assert "single-stream rate 518 tok/s" in found[2].message  # 128 tokens in 120 + 127 × 1 ms


def test_tokens_per_minute_are_flagged_against_the_decode_ceiling() -> None:
    entry = example("multi-gpu.json", **{"metrics.throughput_tps": 468.3 * 60})
    (hit,) = check(entry)
    assert (hit.rule, hit.pointer) == ("LB606", ("metrics", "throughput_tps"))
    assert "28,098 tok/s is 31.8× above the decode ceiling of 885 tok/s" in hit.message
    assert "16 × 4 × 1,935 GB/s (A100-80GB-PCIe) / 140 GB" in hit.message
    assert hit.message.endswith("÷ 60 = 468 tok/s would fit: it looks like tokens per minute")


def test_tokens_per_minute_at_batch_1_are_one_finding() -> None:
    entry = example("single-gpu.json", **{"metrics.throughput_tps": 121.7 * 60})
    assert hits(entry) == [("LB606", "throughput_tps")]


def test_a_ttft_in_seconds_is_flagged_against_the_prefill_floor() -> None:
    entry = example("multi-gpu.json", **{"metrics.ttft_ms": 0.4126})
    (hit,) = check(entry)
    assert (hit.rule, hit.pointer) == ("LB606", ("metrics", "ttft_ms"))
    assert "0.413 ms is 557× below the prefill floor of 230 ms" in hit.message
    assert "2 × 70B parameters × 2048 prompt tokens / (4 × 312 TFLOPS, A100-80GB-PCIe FP16)" in hit.message
    assert hit.message.endswith("× 1000 = 413 ms would fit: it looks like seconds written as milliseconds")


def test_a_near_miss_is_the_bound_rule_not_a_unit_slip() -> None:
    entry = example("multi-gpu.json", **{"metrics.ttft_ms": 100.0, "metrics.throughput_tps": 2000.0})
    assert hits(entry) == [("LB602", "throughput_tps"), ("LB603", "ttft_ms")]


def test_peak_memory_above_the_chips_or_below_the_weights() -> None:
    assert hits(example("single-gpu.json", **{"metrics.peak_mem_mb": 95000})) == [("LB604", "peak_mem_mb")]
    assert hits(example("single-gpu.json", **{"metrics.peak_mem_mb": 17})) == [("LB605", "peak_mem_mb")]


def test_zero_means_not_measured_and_raises_nothing() -> None:
    zeros = {f"metrics.{k}": 0 for k in ("ttft_ms", "tpot_ms", "tbt_ms", "throughput_tps", "peak_mem_mb")}
    entry = example("single-gpu.json", **zeros)
    assert hits(entry) == []
    assert assessment(entry) == (None, "not checked: no measured metric has a bound")


def test_the_tolerance_absorbs_rounded_parameter_counts() -> None:
    assert hits(example("single-gpu.json", **{"metrics.tpot_ms": 3.9, "metrics.tbt_ms": 3.9})) == []
    assert hits(example("single-gpu.json", **{"metrics.tpot_ms": 3.7, "metrics.tbt_ms": 8.0})) == [
        ("LB601", "tpot_ms")
    ]


def test_speculative_decoding_is_not_held_to_the_decode_floor() -> None:
    fast = {"metrics.tpot_ms": 1.0, "metrics.tbt_ms": 1.0, "metrics.throughput_tps": 100.0}
    assert hits(example("multi-node.json", **fast, **{"metrics.spec_accept_rate": 0.7})) == []
    assert ("LB601", "tpot_ms") in hits(example("multi-node.json", **fast))


@pytest.mark.parametrize(
    ("chip", "parameters", "why"),
    [
        ("CPU", "7B", 'chip_model "CPU" is not in the hardware reference table'),
        ("x86_64", "7B", 'chip_model "x86_64" is not in the hardware reference table'),
        ("H100-80GB-SXM", "unknown", 'the parameter count is unknown (model.parameters "unknown")'),
    ],
)
def test_unknown_chips_cpus_and_models_are_not_checked(chip: str, parameters: str, why: str) -> None:
    absurd = {"metrics.tpot_ms": 0.001, "metrics.ttft_ms": 0.001, "metrics.throughput_tps": 1e6}
    entry = example(
        "single-gpu.json", **{"hardware.chip_model": chip, "model.parameters": parameters}, **absurd
    )
    assert [rule for rule, _ in hits(entry) if rule != "LB607"] == []
    assert assessment(entry) == (None, f"not checked: {why}")


def test_batch_1_throughput_must_agree_with_ttft_and_tpot() -> None:
    assert hits(example("single-gpu.json", **{"metrics.throughput_tps": 30.0})) == [
        ("LB607", "throughput_tps")
    ]
    assert hits(example("single-gpu.json", **{"metrics.throughput_tps": 50.0})) == []  # 2.4× below
    batched = example("multi-gpu.json", **{"metrics.throughput_tps": 30.0})
    assert hits(batched) == []  # not batch 1: the check does not apply


def test_a_factor_beyond_a_billion_is_written_in_three_figures() -> None:
    (hit,) = list(check(example("single-gpu.json", **{"metrics.throughput_tps": 1e-300})))
    assert "is 1.2e+302× below the single-stream rate" in hit.message  # not 302 digits


def test_the_assessment_says_how_far_outside() -> None:
    ok, text = assessment(thirteen_b_on_a100())
    assert ok is False
    assert text.startswith("outside bounds: tpot_ms 1 ms is 12.8× below the decode floor of 12.8 ms;")
    ok, text = assessment(example("single-gpu.json"))
    assert ok is True
    assert "tpot_ms 8.1 ≥ 4.18 ms (decode floor)" in text


# Through validate, with the configuration file.
def _validate(entry: dict[str, Any], config: Config | None = None) -> list[tuple[str, str, str | None]]:
    report = validate_inputs([("s.json", json.dumps(entry).encode())], config or Config(), NOW)
    return [(f.rule, f.severity, f.waived) for f in report.findings]


def test_validate_reports_the_bounds_as_warnings_with_line_numbers() -> None:
    report = validate_inputs([("s.json", json.dumps(thirteen_b_on_a100(), indent=2).encode())], Config(), NOW)
    assert [(f.rule, f.severity, f.path) for f in report.findings] == [
        ("LB601", "warning", "$.metrics.tbt_ms"),
        ("LB601", "warning", "$.metrics.tpot_ms"),
        ("LB607", "warning", "$.metrics.throughput_tps"),
    ]
    assert all(f.line and f.hint for f in report.findings)
    assert report.errors == []


def test_severity_is_configurable_and_findings_waivable() -> None:
    entry = thirteen_b_on_a100(
        **{"metrics.tbt_ms": 20.0, "workload.batch_size": 4, "workload.concurrent_requests": 4}
    )
    waiver = f"  - entry_id: {entry['entry_id']}\n    rule: LB601\n    reason: x\n"
    text = f"rules:\n  LB601: error\nwaivers:\n{waiver}"
    config, problems = load_config("c.yml", text.encode())
    assert problems == []
    assert _validate(entry, config) == [("LB601", "error", "x")]
    config, _ = load_config("c.yml", b"rules:\n  LB601: error\n")
    assert _validate(entry, config) == [("LB601", "error", None)]
    config, _ = load_config("c.yml", b"rules:\n  LB601: 'off'\n")
    assert _validate(entry, config) == []


# The real data: every flag it raises, and why.
REAL_FLAGS = {
    # gpt2 (124M, FP32: 0.5 GB) on one A100 80GB PCIe: 0.066 ms < 0.26 ms to read the weights once,
    # while its 47.7 tok/s at batch 1 mean about 21 ms per token.
    ("30d76796-ef21-4b53-8e6f-96d21fdafd9f", "LB601"): ["tbt_ms", "tpot_ms"],
    # distilgpt2 (82M, FP32: 0.33 GB) on one A100 80GB PCIe: 0.067 ms < 0.17 ms; 97.8 tok/s = 10 ms/token.
    ("e177f318-a7ae-4c47-813b-113d727d429d", "LB601"): ["tbt_ms", "tpot_ms"],
    # gpt2 on two A100 80GB PCIe: 0.070 ms < 0.13 ms even with the weights split over both chips.
    ("638cac48-5290-4dbb-acec-f64578d74577", "LB601"): ["tbt_ms", "tpot_ms"],
    # distilgpt2 on two A100s, 2048/512 at batch 1: 99 tok/s, but TTFT 1003 ms + 511 × 0.106 ms makes
    # 484 tok/s — 4.9× apart; the throughput implies about 8 ms per token.
    ("a6a63f1e-f8e9-4d55-86cb-eabe26c3f11f", "LB607"): ["throughput_tps"],
}


def test_the_real_data_raises_exactly_the_justified_plausibility_flags_all_waived() -> None:
    config, problems = load_config(".github/leaderboard-bot.yml", CONFIG_FILE.read_bytes())
    assert problems == []
    inputs = [(f"data/{n}", (ROOT / "data" / n).read_bytes()) for n in ("leaderboard_single.json",)]
    inputs.append(("data/leaderboard_multi.json", (ROOT / "data" / "leaderboard_multi.json").read_bytes()))
    report = validate_inputs(inputs, config, NOW)
    flags: dict[tuple[str | None, str], list[str]] = {}
    for finding in report.findings:
        if finding.rule.startswith("LB6"):
            assert finding.waived, finding.message
            flags.setdefault((finding.entry_id, finding.rule), []).append(str(finding.pointer[-1]))
    assert flags == REAL_FLAGS
    reasons = {(w.entry_id, w.rule): w.reason for w in config.waivers}
    assert (
        "below the 0.26 ms needed to read the weights once"
        in reasons["30d76796-ef21-4b53-8e6f-96d21fdafd9f", "LB601"]
    )
    assert "below the 0.17 ms" in reasons["e177f318-a7ae-4c47-813b-113d727d429d", "LB601"]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("hardware.chip_count", 10**400),
        ("workload.batch_size", 10**400),
        ("workload.input_length", 10**400),
        ("workload.output_length", 10**400),
        ("metrics.peak_mem_mb", 10**400),
        ("metrics.throughput_tps", 1e308),
        ("metrics.tpot_ms", 1e308),  # the single-stream rate underflows to 0
        ("metrics.throughput_tps", 5e-324),  # the ratio underflows to 0
        ("metrics.ttft_ms", 5e-324),
        ("model.parameters", "9" * 400 + "T"),
    ],
)
def test_numbers_beyond_the_float_range_are_not_a_crash(path: str, value: Any) -> None:
    entry = example("single-gpu.json", **{path: value})
    found = list(check(entry))  # valid JSON integers such as 10**400 are the schema's business
    assert all(hit.rule.startswith("LB6") for hit in found)
    assert isinstance(assessment(entry)[1], str)
