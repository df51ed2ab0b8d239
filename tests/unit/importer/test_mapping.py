"""The pure mapping core of ``leaderboard-bot import``: sagellm-benchmark outputs → entries."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from jsonschema import Draft7Validator

from bot.importer.mapping import RunInput, entry_from_export, entry_from_run, stable_key, workload_failure
from bot.importer.model import (
    ImportResult,
    Layer,
    OverrideError,
    Overrides,
    hardware_layer,
    parse_scoped_set,
    parse_set,
    set_warning,
)
from bot.importer.spec import SECTION_KEYS, STABLE_ID_NAMESPACE, TOP_KEYS
from bot.importer.workloads import WORKLOADS
from tests.support.paths import REAL_EXPORT, UPSTREAM_SCHEMA

# The standard workloads' (input_length, output_length), from the tool's table.
WORKLOAD_LENGTHS = {w.name: (w.input_length, w.output_length) for w in WORKLOADS}

HARDWARE_1 = (
    ("hardware.vendor", "NVIDIA"),
    ("hardware.chip_model", "A100-80GB"),
    ("hardware.chip_count", 1),
    ("hardware.memory_per_chip_gb", 80),
    ("environment.os", "Ubuntu 22.04"),
    ("environment.python_version", "3.11.9"),
    ("environment.cuda_version", "12.1"),
)
USER = (("metadata.submitter", "Alice"), ("model.parameters", "124M"), ("model.precision", "fp32"))


def config(**changes: Any) -> dict[str, Any]:
    """A config.json as sagellm-benchmark writes it."""
    base: dict[str, Any] = {
        "run_id": "Q1_20260128_001",
        "timestamp": "2026-01-28T08:14:23",
        "backend": "cpu",
        "model": "gpt2",
        "model_path": "sshleifer/tiny-gpt2",
        "workload": "Q1",
        "dataset": "default",
        "num_samples": 5,
        "versions": {"sagellm_benchmark": "0.3.0.3", "sagellm_core": "0.3.0.5", "backend": "0.3.0.6"},
    }
    base.update(changes)
    return base


def metrics(**changes: Any) -> dict[str, Any]:
    """A <workload>_metrics.json document."""
    values: dict[str, Any] = {
        "avg_ttft_ms": 45.2,
        "p50_ttft_ms": 44.0,
        "avg_tbt_ms": 3.1,
        "avg_tpot_ms": 3.2,
        "avg_throughput_tps": 80.5,
        "total_throughput_tps": 90.0,
        "total_requests": 5,
        "successful_requests": 5,
        "failed_requests": 0,
        "error_rate": 0.0,
        "peak_mem_mb": 1146.7,
        "total_kv_used_tokens": 1000,
        "total_kv_used_bytes": 256000,
        "avg_prefix_hit_rate": 0.25,
        "total_evict_count": 3,
        "total_evict_ms": 1.5,
        "avg_spec_accept_rate": 0.0,
        "total_time_s": 10.0,
    }
    values.update(changes)
    return {"metrics": values, "timestamp": "2026-01-28T08:15:00", "version": "0.3.0.3"}


def overrides(*pairs: tuple[str, Any], stable: bool = False, base: bool = True) -> Overrides:
    """Hardware file + flags + --set, as the command builds them."""
    layers = [Layer("hardware file hw.yaml", HARDWARE_1), Layer("--set", USER)] if base else []
    if pairs:
        layers.append(Layer("--set", pairs))
    return Overrides(layers=tuple(layers), stable_ids=stable)


def imported(
    cfg: dict[str, Any] | None = None,
    doc: dict[str, Any] | None = None,
    workload: str = "Q1",
    ov: Overrides | None = None,
) -> ImportResult:
    """Import one workload of a run built from the documented formats."""
    run = RunInput(cfg or config(), doc or metrics(), workload, "Q1_20260128_001", f"{workload}_metrics.json")
    return entry_from_run(run, ov or overrides())


def schema_errors(entry: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(json.loads(UPSTREAM_SCHEMA.read_text()))
    return [error.message for error in validator.iter_errors(entry)]


def test_metrics_are_mapped_as_the_upstream_exporter_does() -> None:
    result = imported()
    assert result.errors == []
    assert result.entry is not None
    assert result.entry["metrics"] == {
        "ttft_ms": 45.2,
        "tbt_ms": 3.1,
        "tpot_ms": 3.2,
        "throughput_tps": 80.5,
        "peak_mem_mb": 1146,
        "error_rate": 0.0,
        "prefix_hit_rate": 0.25,
        "kv_used_tokens": 1000,
        "kv_used_bytes": 256000,
        "evict_count": 3,
        "evict_ms": 1.5,
        "spec_accept_rate": None,
    }
    assert any("spec_accept_rate: 0 → null" in line for line in result.normalized)
    assert any("1146.7 → 1146" in line for line in result.normalized)
    assert schema_errors(result.entry) == []


def test_zero_latencies_are_not_measurements() -> None:
    result = imported(doc=metrics(avg_tbt_ms=0, avg_spec_accept_rate=0.72))
    assert result.entry is not None
    assert result.entry["metrics"]["tbt_ms"] is None
    assert result.entry["metrics"]["spec_accept_rate"] == 0.72
    refused = imported(doc=metrics(avg_throughput_tps=0))
    assert refused.entry is None
    assert any(
        "metrics.throughput_tps: throughput_tps is 0: the run measured nothing [LB201]" in e
        and "fix it with a benchmark run that measures it" in e
        and "--set" not in e  # never an invitation to type a measurement in
        for e in refused.errors
    ), refused.errors


def test_non_numeric_metric_names_the_file_and_the_fix() -> None:
    result = imported(doc=metrics(avg_ttft_ms="fast"))
    assert "Q1_metrics.json: avg_ttft_ms = 'fast' is not a number" in result.errors[0]
    assert "re-export the run" in result.errors[0]
    assert "--set" not in result.errors[0]  # a measurement is never typed in


def test_error_rate_is_derived_from_request_counts_when_missing() -> None:
    doc = metrics(total_requests=4, failed_requests=1)
    del doc["metrics"]["error_rate"]
    result = imported(doc=doc)
    assert result.entry is not None
    assert result.entry["metrics"]["error_rate"] == 0.25


@pytest.mark.parametrize(("workload", "lengths"), sorted(WORKLOAD_LENGTHS.items()))
def test_workload_lengths_come_from_the_table(workload: str, lengths: tuple[int, int]) -> None:
    result = imported(workload=workload)
    assert result.entry is not None
    assert (result.entry["workload"]["input_length"], result.entry["workload"]["output_length"]) == lengths


def test_the_documented_lengths() -> None:
    assert WORKLOAD_LENGTHS["Q1"] == (32, 64)
    assert WORKLOAD_LENGTHS["Q2"] == (512, 128)
    assert WORKLOAD_LENGTHS["Q8"] == (192, 128)
    assert WORKLOAD_LENGTHS["long_input"] == (2048, 512)


def test_unknown_workload_needs_its_lengths() -> None:
    result = imported(workload="m1_custom")
    assert result.entry is None
    assert any("'m1_custom' is not in sagellm-benchmark's workload table" in w for w in result.warnings)
    assert any("--set m1_custom:workload.input_length=N" in w for w in result.warnings)
    assert any("--set workload.input_length=VALUE" in e for e in result.errors)
    given = imported(
        workload="m1_custom", ov=overrides(("workload.input_length", 64), ("workload.output_length", 32))
    )
    assert given.entry is not None
    assert given.entry["workload"]["input_length"] == 64


def test_versions_read_both_key_styles_and_mark_unknown_as_na() -> None:
    cfg = config(
        versions={"sagellm_core": "0.3.0.5", "backend": "0.3.0.6", "sagellm_protocol": "", "comm": "0.1.1.7"}
    )
    result = imported(cfg, ov=overrides(("sagellm_version", "0.3.0.3")))
    assert result.entry is not None
    assert result.entry["versions"] == {
        "protocol": "N/A",
        "backend": "0.3.0.6",
        "core": "0.3.0.5",
        "control_plane": "N/A",
        "gateway": "N/A",
        "kv_cache": "N/A",
        "comm": "0.1.1.7",
        "compression": "N/A",
        "benchmark": "N/A",
    }
    assert any('versions.protocol: empty string → "N/A"' in n for n in result.normalized)
    assert any("control_plane" in u and '"N/A"' in u for u in result.unknown)


def test_sagellm_version_prefers_the_umbrella_key_and_falls_back_to_the_benchmark() -> None:
    umbrella = imported(config(versions={"sagellm": "0.5.2.0", "sagellm_benchmark": "0.3.0.3"}))
    assert umbrella.entry is not None
    assert umbrella.entry["sagellm_version"] == "0.5.2.0"
    fallback = imported()
    assert fallback.entry is not None
    assert fallback.entry["sagellm_version"] == "0.3.0.3"
    assert any("taken from the benchmark version" in n for n in fallback.normalized)
    none = imported(config(versions={}))
    assert any("sagellm_version is unknown" in e and "--set sagellm_version=" in e for e in none.errors)


def test_malformed_version_is_an_error() -> None:
    result = imported(config(versions={"sagellm_benchmark": "0.3.0.3", "sagellm_core": "0.3.dev1"}))
    assert any(
        'versions.core: "0.3.dev1" does not have the expected format' in e
        and "from config.json (versions.sagellm_core)" in e
        and "--set versions.core=X.Y.Z" in e
        for e in result.errors
    ), result.errors


def test_stable_ids_are_uuid5_of_run_and_workload() -> None:
    first = imported(ov=overrides(stable=True))
    again = imported(ov=overrides(stable=True))
    other = imported(workload="Q2", ov=overrides(stable=True))
    assert first.entry is not None
    assert again.entry is not None
    assert other.entry is not None
    key = "sshleifer/tiny-gpt2|Q1_20260128_001|2026-01-28T08:14:23|Q1"
    expected = str(uuid.uuid5(STABLE_ID_NAMESPACE, key))
    assert first.entry["entry_id"] == again.entry["entry_id"] == expected
    assert other.entry["entry_id"] != expected
    assert str(STABLE_ID_NAMESPACE) == str(
        uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/intellistream/sagellm-leaderboard/import")
    )


def test_random_ids_differ_and_are_version_4() -> None:
    a, b = imported().entry, imported().entry
    assert a is not None
    assert b is not None
    assert a["entry_id"] != b["entry_id"]
    assert uuid.UUID(a["entry_id"]).version == 4


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-01-28T08:14:23", "2026-01-28T08:14:23Z"),
        ("2026-01-28T08:14:23.500000", "2026-01-28T08:14:23.500000Z"),
        ("2026-01-28T16:14:23+08:00", "2026-01-28T08:14:23Z"),
        ("2026-01-28T08:14:23Z", "2026-01-28T08:14:23Z"),
        (1769588063, "2026-01-28T08:14:23Z"),
    ],
)
def test_submitted_at_is_utc_with_z(stamp: Any, expected: str) -> None:
    result = imported(config(timestamp=stamp))
    assert result.entry is not None
    assert result.entry["metadata"]["submitted_at"] == expected


def test_unparseable_or_missing_timestamp_is_an_error() -> None:
    bad = imported(config(timestamp="yesterday"))
    assert any(
        'metadata.submitted_at: "yesterday" is not a valid date-time' in e
        and "--set metadata.submitted_at=2026-01-28T08:14:23Z" in e
        for e in bad.errors
    ), bad.errors
    doc = metrics()
    del doc["timestamp"]
    missing = imported(config(timestamp=None), doc)
    assert any("metadata.submitted_at is unknown" in e for e in missing.errors)
    from_metrics = imported(config(timestamp=None))
    assert from_metrics.entry is not None
    assert from_metrics.entry["metadata"]["submitted_at"] == "2026-01-28T08:15:00Z"


def test_metadata_and_reproducible_command() -> None:
    result = imported()
    assert result.entry is not None
    assert result.entry["metadata"] == {
        "submitted_at": "2026-01-28T08:14:23Z",
        "submitter": "Alice",
        "data_source": "automated-benchmark",
        "reproducible_cmd": "sagellm-benchmark run --workload Q1 --backend cpu --model sshleifer/tiny-gpt2 "
        "--dataset default --num-samples 5",
        "notes": "Benchmark run: Q1 (run Q1_20260128_001)",
        "verified": False,
    }
    assert result.entry["model"] == {
        "name": "tiny-gpt2",
        "parameters": "124M",
        "precision": "FP32",
        "quantization": None,
    }


def test_precision_and_quantization_recorded_by_the_run() -> None:
    layers = Overrides(layers=(Layer("hardware file hw.yaml", HARDWARE_1), Layer("--set", USER[:2])))
    result = imported(config(dtype="bfloat16", quantization="None"), ov=layers)
    assert result.entry is not None
    assert result.entry["model"]["precision"] == "BF16"
    assert result.entry["model"]["quantization"] == "None"


def test_keys_follow_the_contract_order() -> None:
    result = imported(ov=overrides(("engine", "sagellm"), ("engine_version", "0.5.2.0")))
    assert result.entry is not None
    assert list(result.entry) == [k for k in TOP_KEYS if k != "canonical_path"]
    for section in ("hardware", "model", "workload", "metrics", "versions", "environment"):
        assert list(result.entry[section]) == list(SECTION_KEYS[section])


def test_single_chip_is_single_gpu_without_interconnect() -> None:
    result = imported()
    assert result.entry is not None
    assert result.entry["config_type"] == "single_gpu"
    assert result.entry["cluster"] is None
    assert result.entry["hardware"] == {
        "vendor": "NVIDIA",
        "chip_model": "A100-80GB",
        "chip_count": 1,
        "interconnect": "None",
        "chips_per_node": 1,
        "intra_node_interconnect": "None",
        "memory_per_chip_gb": 80,
        "total_memory_gb": 80,
    }


def test_several_chips_on_one_node_is_multi_gpu_and_needs_an_interconnect() -> None:
    missing = imported(ov=overrides(("hardware.chip_count", 4)))
    assert any(
        "hardware.intra_node_interconnect is unknown" in e and "--hardware FILE" in e for e in missing.errors
    )
    result = imported(
        ov=overrides(("hardware.chip_count", 4), ("hardware.intra_node_interconnect", "NVLink"))
    )
    assert result.entry is not None
    assert result.entry["config_type"] == "multi_gpu"
    assert result.entry["cluster"] is None
    assert result.entry["hardware"]["interconnect"] == "NVLink"
    assert result.entry["hardware"]["total_memory_gb"] == 320
    assert any("node count not given" in u for u in result.unknown)
    assert schema_errors(result.entry) == []


def test_several_nodes_is_multi_node_and_needs_cluster_values() -> None:
    ov = overrides(
        ("hardware.chip_count", 8),
        ("hardware.chips_per_node", 4),
        ("hardware.intra_node_interconnect", "HCCS"),
    )
    result = imported(ov=ov)
    assert result.entry is None
    assert any(
        "cluster.comm_backend is unknown" in e and "--hardware FILE (key comm_backend)" in e
        for e in result.errors
    )
    assert any("cluster.topology_type is unknown" in e for e in result.errors)


def test_a_complete_cluster() -> None:
    cfg = config(versions={"sagellm_benchmark": "0.3.0.3", "sagellm_comm": "0.1.1.7"})
    ov = overrides(
        ("hardware.vendor", "Huawei"),
        ("hardware.chip_count", 8),
        ("hardware.chips_per_node", 4),
        ("hardware.intra_node_interconnect", "HCCS"),
        ("environment.cuda_version", None),
        ("environment.cann_version", "8.0.RC1"),
        ("cluster.comm_backend", "HCCL"),
        ("cluster.topology_type", "Ring"),
        ("cluster.inter_node_network", "InfiniBand"),
        ("cluster.parallelism", {"tensor_parallel": 4, "pipeline_parallel": 2, "data_parallel": 1}),
    )
    result = imported(cfg, ov=ov)
    assert result.errors == []
    assert result.entry is not None
    assert result.entry["config_type"] == "multi_node"
    assert result.entry["cluster"] == {
        "node_count": 2,
        "comm_backend": "HCCL",
        "inter_node_network": "InfiniBand",
        "topology_type": "Ring",
        "parallelism": {"tensor_parallel": 4, "pipeline_parallel": 2, "data_parallel": 1},
    }
    assert schema_errors(result.entry) == []


@pytest.mark.parametrize(
    ("pairs", "message", "fix"),
    [
        (
            (("hardware.chip_count", 7), ("hardware.chips_per_node", 4)),
            "not a multiple of hardware.chips_per_node 4",
            "--set hardware.chips_per_node",
        ),
        (
            (("hardware.interconnect", "PCIe"),),
            "hardware.interconnect: a single_gpu run has no chip interconnect",
            "--set hardware.interconnect=None",
        ),
        (
            (("environment.cann_version", "8.0"),),
            'environment.cann_version: cann_version is "8.0" on NVIDIA hardware [LB109]',
            "--set environment.cann_version=null",
        ),
        (
            (("config_type", "multi_gpu"),),
            "hardware.chip_count: 1 is less than the minimum of 2 (multi_gpu and multi_node need chip_count",
            "--set hardware.chip_count=VALUE",
        ),
        (
            (("hardware.chip_count", 0),),
            "hardware.chip_count: 0 is less than the minimum of 1",
            "--hardware FILE (key chip_count) or --set hardware.chip_count=1",
        ),
        (
            (("metrics.error_rate", 5),),
            "metrics.error_rate: 5 is greater than the maximum of 1 [schema]",
            "--set metrics.error_rate=VALUE (hint: ratios are 0.0–1.0",
        ),
        (
            (("metadata.git_commit", "abc123"),),
            'metadata.git_commit: "abc123" is not a 40-hex commit SHA',
            "--set metadata.git_commit=VALUE",
        ),
    ],
)
def test_inconsistent_values_are_refused_with_a_fix(
    pairs: tuple[tuple[str, Any], ...], message: str, fix: str
) -> None:
    result = imported(ov=overrides(*pairs))
    assert result.entry is None
    assert any(message in e and fix in e for e in result.errors), result.errors


def test_validator_errors_name_the_path_the_source_and_the_flag() -> None:
    result = imported(ov=overrides(("metrics.error_rate", 15)))
    assert result.errors == [
        "metrics.error_rate: 15 is greater than the maximum of 1 [schema] — from --set; "
        "fix it with --set metrics.error_rate=VALUE "
        "(hint: ratios are 0.0–1.0, not percentages (15 % is 0.15))"
    ]


def test_unknown_enum_values_get_the_validators_suggestion() -> None:
    result = imported(ov=overrides(("model.precision", "bf61"), ("hardware.vendor", "nvidai")))
    assert result.entry is None
    text = "\n".join(result.errors)
    assert 'model.precision: "bf61" is not one of' in text
    assert "--set model.precision=BF16" in text
    assert 'hardware.vendor: "nvidai" is not one of' in text
    assert 'did you mean "NVIDIA"?' in text


def test_only_the_importers_message_for_a_value_it_refused() -> None:
    result = imported(ov=overrides(("hardware.chip_count", 0)))
    assert len(result.errors) == 1, result.errors  # no follow-up about config_type or interconnect
    assert result.errors[0].startswith("hardware.chip_count: 0 is less than the minimum of 1")


def test_whole_floats_in_integer_fields_become_integers() -> None:
    result = imported(
        ov=overrides(("hardware.chip_count", 2.0), ("hardware.intra_node_interconnect", "NVLink"))
    )
    assert result.entry is not None
    assert result.entry["hardware"]["chip_count"] == 2
    assert isinstance(result.entry["hardware"]["chip_count"], int)
    assert result.entry["config_type"] == "multi_gpu"
    assert "hardware.chip_count: 2.0 → 2 (an integer field)" in result.normalized


def test_validator_warnings_are_import_warnings() -> None:
    result = imported(ov=overrides(("environment.cuda_version", None)))
    assert result.entry is not None
    assert any(
        w.startswith("environment.cuda_version: NVIDIA runs should report environment.cuda_version [LB110]")
        and "--set environment.cuda_version=12.1" in w
        for w in result.warnings
    ), result.warnings


def test_multi_node_rules_of_the_validator() -> None:
    base = (
        ("hardware.chip_count", 8),
        ("hardware.chips_per_node", 4),
        ("hardware.intra_node_interconnect", "HCCS"),
        ("cluster.comm_backend", "HCCL"),
        ("cluster.topology_type", "Ring"),
    )
    no_comm = imported(ov=overrides(*base))
    assert any(
        'versions.comm: "N/A" does not have the expected format (multi_node needs a real versions.comm)' in e
        and "--set versions.comm=X.Y.Z" in e
        for e in no_comm.errors
    ), no_comm.errors
    parallel = imported(
        ov=overrides(
            *base,
            ("versions.comm", "0.1.1.7"),
            ("cluster.parallelism.tensor_parallel", 3),
            ("cluster.parallelism.pipeline_parallel", 1),
            ("cluster.parallelism.data_parallel", 1),
        )
    )
    assert any(
        "cluster.parallelism: tensor 3 x pipeline 1 x data 1 = 3, but chip_count is 8 [LB108]" in e
        and "--set cluster.parallelism=" in e
        for e in parallel.errors
    ), parallel.errors


def test_unknown_required_fields_name_the_flag_that_supplies_them() -> None:
    result = imported(ov=Overrides())
    assert result.entry is None
    text = "\n".join(result.errors)
    for expected in (
        "hardware.vendor is unknown",
        "--hardware FILE (key vendor) or --set hardware.vendor=NVIDIA",
        "hardware.chip_model is unknown",
        "model.parameters is unknown: the outputs do not record it; supply it with --set model.parameters=7B",
        "model.precision is unknown",
        "environment.os is unknown",
        "metadata.submitter is unknown: the outputs do not record it; supply it with --submitter NAME",
    ):
        assert expected in text


def test_placeholders_from_run_data_are_refused_but_explicit_values_are_taken() -> None:
    cfg = config(hardware={"vendor": "Unknown", "chip_model": "unknown", "chip_count": 1})
    layers = Overrides(layers=(Layer("--set", USER + HARDWARE_1[4:]),))
    refused = imported(cfg, ov=layers)
    assert any("hardware.chip_model is 'unknown' in config.json, a placeholder" in e for e in refused.errors)
    taken = imported(
        cfg,
        ov=Overrides(
            layers=(
                *layers.layers,
                Layer("--set", (("hardware.vendor", "Unknown"), ("hardware.chip_model", "CPU"))),
            )
        ),
    )
    assert taken.entry is not None
    assert taken.entry["hardware"]["vendor"] == "Unknown"


def test_hardware_recorded_by_the_run_is_used() -> None:
    cfg = config(hardware={"vendor": "nvidia", "chip_model": "NVIDIA A100 80GB PCIe", "chip_count": 1})
    result = imported(cfg, ov=overrides())
    assert result.entry is not None
    assert result.entry["hardware"]["vendor"] == "NVIDIA"  # the hardware file wins, then normalized
    own = imported(cfg, ov=Overrides(layers=(Layer("--set", USER + HARDWARE_1[4:]),)))
    assert own.entry is not None
    assert own.entry["hardware"]["chip_model"] == "NVIDIA A100 80GB PCIe"
    assert any("hardware.vendor: 'nvidia' → 'NVIDIA'" in n for n in own.normalized)


def test_engine_is_normalized_and_its_version_looked_up() -> None:
    cfg = config(versions={"sagellm_benchmark": "0.3.0.3", "vllm_ascend": "0.9.1"})
    result = imported(cfg, ov=overrides(("engine", "vLLM Ascend")))
    assert result.entry is not None
    assert (result.entry["engine"], result.entry["engine_version"]) == ("vllm-ascend", "0.9.1")
    assert any("'vLLM Ascend' → 'vllm-ascend'" in n for n in result.normalized)
    plain = imported().entry
    assert plain is not None
    assert "engine" not in plain


def test_empty_environment_strings_become_null() -> None:
    result = imported(ov=overrides(("environment.driver_version", "")))
    assert result.entry is not None
    assert result.entry["environment"]["driver_version"] is None
    assert any("environment.driver_version: empty string → null" in n for n in result.normalized)


def test_verified_is_always_false() -> None:
    result = imported(ov=overrides(("metadata.verified", True)))
    assert result.entry is not None
    assert result.entry["metadata"]["verified"] is False
    assert any("metadata.verified: True → false" in n for n in result.normalized)


@pytest.mark.parametrize(
    ("summary", "doc", "expected"),
    [
        ({"status": "failed", "error": "OOM"}, None, "summary.json marks workload 'Q1' as 'failed': OOM"),
        ({"status": "success"}, {"total_requests": 5, "successful_requests": 0}, "all 5 requests failed"),
        (None, {"error_rate": 1.0}, "every request failed"),
        ({"status": "success"}, {"total_requests": 5, "successful_requests": 5}, None),
    ],
)
def test_workload_failure(summary: Any, doc: Any, expected: str | None) -> None:
    why = workload_failure("Q1", summary, doc, "Q1_metrics.json")
    assert why == expected or (expected is not None and why is not None and expected in why)


def test_metrics_file_without_metrics_object() -> None:
    result = imported(doc={"avg_ttft_ms": 1.0})
    assert any('Q1_metrics.json: no "metrics" object' in e for e in result.errors)


def test_real_export_is_normalized_and_needs_real_parameters() -> None:
    doc = json.loads(REAL_EXPORT.read_text())
    refused = entry_from_export(doc, "real.json", "real", Overrides())
    assert refused.entry is None
    assert any(
        "model.parameters is 'unknown' in export real.json, a placeholder" in e for e in refused.errors
    )
    result = entry_from_export(
        doc, "real.json", "real", Overrides(layers=(Layer("--set", (("model.parameters", "124M"),)),))
    )
    assert result.errors == []
    assert result.entry is not None
    entry = result.entry
    assert entry["entry_id"] == "2908b9e8-9376-4c5b-888f-a6e1ae007966"
    assert entry["metadata"]["submitted_at"] == "2026-01-28T08:53:09.986456Z"
    assert entry["hardware"]["interconnect"] == entry["hardware"]["intra_node_interconnect"] == "NVLink"
    assert entry["metrics"] == doc["metrics"]
    assert entry["versions"] == doc["versions"]
    assert schema_errors(entry) == []


def test_export_drift_is_normalized() -> None:
    doc = json.loads(REAL_EXPORT.read_text())
    doc["model"]["parameters"] = "124M"
    doc["engine"] = "SageLLM"
    doc["environment"]["cann_version"] = ""
    doc["metadata"]["reproducible_cmd"] = "sagellm-benchmark run --workload None --backend None --model None"
    doc["metadata"]["verified"] = True
    result = entry_from_export(doc, "x.json", "x", Overrides())
    assert result.entry is not None
    assert result.entry["engine"] == "sagellm"
    assert result.entry["environment"]["cann_version"] is None
    assert "reproducible_cmd" not in result.entry["metadata"]
    assert any("placeholder arguments" in w for w in result.warnings)
    assert result.entry["metadata"]["verified"] is False


@pytest.mark.parametrize(
    ("doc", "message"), [([1, 2], "the JSON is list"), ({"entry_id": "x"}, "it has no hardware")]
)
def test_export_that_is_not_an_entry(doc: Any, message: str) -> None:
    result = entry_from_export(doc, "x.json", "x", Overrides())
    assert result.entry is None
    assert message in result.errors[0]


def test_parse_set_values() -> None:
    assert parse_set("hardware.chip_count=2") == ("hardware.chip_count", 2)
    assert parse_set("hardware.chip_model=A100-80GB") == ("hardware.chip_model", "A100-80GB")
    assert parse_set('hardware.chip_model="A100 80GB"') == ("hardware.chip_model", "A100 80GB")
    assert parse_set("environment.python_version=3.10") == ("environment.python_version", "3.10")
    assert parse_set("kv_cache_config=null") == ("kv_cache_config", None)
    assert parse_set('cluster.parallelism={"tensor_parallel": 4}') == (
        "cluster.parallelism",
        {"tensor_parallel": 4},
    )
    assert parse_set("model.name=NaN") == ("model.name", "NaN")
    deep = "[" * 3000  # too deep for the JSON reader (a RecursionError traceback before): the text
    assert parse_set(f"model.name={deep}") == ("model.name", deep)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hardwre.chip_count=1", "no top-level field 'hardwre' (did you mean 'hardware'?)"),
        ("metadat.submitter=x", "(did you mean 'metadata'?)"),
        ("hardware.chip_count", "expected [WORKLOAD:]PATH=VALUE"),
        ("hardware..x=1", "is not a dotted path"),
        # A measured 79.414 was replaced by the typed-in value without a word.
        ("metrics.ttft_ms=1", "metrics.ttft_ms is a measurement, and measurements come only from the run's"),
        ("metrics={}", "metrics is a measurement"),
    ],
)
def test_parse_set_errors(text: str, message: str) -> None:
    with pytest.raises(OverrideError, match=None) as caught:
        parse_set(text)
    assert message in str(caught.value)


def test_set_warns_about_unknown_keys_of_known_sections() -> None:
    assert "did you mean 'chip_model'?" in str(set_warning("hardware.chip_modle"))
    assert set_warning("hardware.chip_model") is None
    assert set_warning("cluster.parallelism.tensor_parallel") is None


def test_hardware_file_keys_map_to_entry_paths() -> None:
    doc = {"vendor": "NVIDIA", "node_count": 2, "os": "Ubuntu", "environment": {"cuda_version": "12.1"}}
    assert hardware_layer("hw.yaml", doc) == (
        ("hardware.vendor", "NVIDIA"),
        ("cluster.node_count", 2),
        ("environment.os", "Ubuntu"),
        ("environment.cuda_version", "12.1"),
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"chip_modle": "x"}, "unknown key 'chip_modle' (did you mean 'chip_model'?)"),
        ({"python_version": 3.1}, 'quote it, for example python_version: "3.10"'),
        ([1], "the top level is list"),
        ({"environment": {"cuda": "12"}}, "unknown key 'environment.cuda'"),
    ],
)
def test_hardware_file_errors(doc: Any, message: str) -> None:
    with pytest.raises(OverrideError) as caught:
        hardware_layer("hw.yaml", doc)
    assert message in str(caught.value)


def test_scoped_set_applies_to_one_workload() -> None:
    assert parse_scoped_set("batch_small:workload.input_length=16") == (
        "batch_small",
        "workload.input_length",
        16,
    )
    assert parse_scoped_set("model.precision=BF16") == (None, "model.precision", "BF16")
    assert parse_scoped_set("metadata.notes=a:b") == (None, "metadata.notes", "a:b")  # ':' after '='
    layer = Layer("--set Q5:", (("workload.concurrent_requests", 8),), workload="Q5")
    assert layer.applies_to("q5")
    assert not layer.applies_to("Q1")
    assert not layer.applies_to(None)
    scoped = imported(workload="Q5", ov=Overrides(layers=(*overrides().layers, layer)))
    other = imported(workload="Q1", ov=Overrides(layers=(*overrides().layers, layer)))
    assert scoped.entry is not None
    assert other.entry is not None
    assert scoped.entry["workload"]["concurrent_requests"] == 8
    assert other.entry["workload"]["concurrent_requests"] == 1


def test_a_workload_with_no_completed_request_failed() -> None:
    zeros = {"total_requests": 0, "successful_requests": 0, "error_rate": 0.0, "avg_ttft_ms": 0.0}
    why = workload_failure("Q2", None, zeros, "run/Q2_metrics.json")
    assert why is not None
    assert why.startswith("no request completed: run/Q2_metrics.json has total_requests 0")
    assert "--set" not in why


def test_stable_key_tells_models_and_machines_apart() -> None:
    base = RunInput(config(), metrics(), "Q1", "Q1_20260128_001", "Q1_metrics.json")
    other_model = RunInput(config(model_path="org/other"), metrics(), "Q1", "Q1_20260128_001", "m")
    other_machine = RunInput(config(timestamp="2026-01-28T09:00:00"), metrics(), "Q1", "Q1_20260128_001", "m")
    keys = {stable_key(base), stable_key(other_model), stable_key(other_machine)}
    assert len(keys) == 3
    assert stable_key(base) == "sshleifer/tiny-gpt2|Q1_20260128_001|2026-01-28T08:14:23|Q1"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("model.parameters", ""),
        ("model.parameters", "unknown"),
        ("metadata.submitter", "  "),
        ("model.name", "N/A"),
    ],
)
def test_a_placeholder_typed_in_for_a_required_field_is_refused(path: str, value: str) -> None:
    result = imported(ov=overrides((path, value)))
    assert result.entry is None
    assert f"{path} is {value!r} in --set, a placeholder, not a value; supply it with" in " ".join(
        result.errors
    )
