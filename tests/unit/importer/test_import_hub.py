"""The Hub shapes of sagellm-benchmark (``aggregate`` arrays, ``upload-hf`` canonical files) on the
real files the tool wrote, checked field by field against those files."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.schema_check import EntryChecker
from bot.contract.validate import EntryRules, check_entry
from bot.importer.hub import from_aggregate, from_canonical, idempotency_key
from bot.importer.workloads import selected, workload
from tests.support.paths import SAGELLM_CORPUS

AGGREGATE = SAGELLM_CORPUS / "hf_data" / "leaderboard_single.json"
CANONICAL = sorted((SAGELLM_CORPUS / "upload_hf" / "canonical").glob("*_leaderboard.json"))
ASCEND = SAGELLM_CORPUS / "upload_hf" / "canonical" / "485957d57b89003af451_leaderboard.json"
ENV_STAND_INS = ("pytorch_version", "cuda_version", "cann_version", "driver_version")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def errors(entry: dict[str, Any]) -> list[str]:
    now = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    found = check_entry(EntryRules(EntryChecker(), Config(), now), "entry", (), entry)
    return [f"{f.rule} {f.path}: {f.message}" for f in found if f.severity == "error"]


def _same_except(source: dict[str, Any], entry: dict[str, Any], changed: set[str]) -> None:
    """Every leaf of ``source`` is in ``entry`` unchanged unless its dotted path is in ``changed``."""
    for section, value in source.items():
        if isinstance(value, dict):
            for key, child in value.items():
                if f"{section}.{key}" not in changed:
                    assert entry[section][key] == child, f"{section}.{key}"
        elif section not in changed:
            assert entry[section] == value, section


def test_aggregate_entries_keep_every_value_but_the_stand_ins() -> None:
    source = load(AGGREGATE)
    result = from_aggregate("hf_data/leaderboard_single.json", copy.deepcopy(source))
    assert len(result.entries) == len(source) == 12
    assert [f for f in result.findings if f.severity == "error"] == []
    for index, (raw, entry) in enumerate(zip(source, result.entries, strict=True)):
        changed = {f"environment.{key}" for key in ENV_STAND_INS if raw["environment"][key] == ""}
        changed |= {f"metrics.{k}" for k in ("tbt_ms", "tpot_ms") if raw["metrics"][k] == 0}
        changed |= {"workload.batch_size", "workload.concurrent_requests", "workload.input_length"}
        changed |= {"workload.output_length", "hardware.memory_per_chip_gb", "hardware.total_memory_gb"}
        _same_except(raw, entry, changed)
        for path in sorted(changed):
            section, key = path.split(".")
            if section == "environment":
                assert entry[section][key] is None
                assert f'"" → null at $[{index}].{path} (aggregate_for_hf.py' in "\n".join(result.notes)
            if section == "metrics":
                assert entry[section][key] is None
        assert errors(entry) == [], raw["metadata"]["notes"]


def test_aggregate_numbers_from_the_workload_table() -> None:
    source = load(AGGREGATE)
    result = from_aggregate("agg.json", copy.deepcopy(source))
    by_note = {e["metadata"]["notes"] + " " + e["hardware"]["chip_model"]: e for e in result.entries}
    q5 = by_note["Benchmark run: Q5 Intel(R) Xeon(R) Processor"]["workload"]
    assert (q5["input_length"], q5["output_length"], q5["concurrent_requests"]) == (32, 64, 10)
    q1 = next(e for e in result.entries if e["metadata"]["notes"] == "Benchmark run: Q1")["workload"]
    assert q1["concurrent_requests"] == 1  # Q1 and Q5 have the same lengths but differ now
    batch = by_note["Benchmark run: batch_small Intel(R) Xeon(R) Processor"]["workload"]
    raw = next(e for e in source if e["metadata"]["notes"] == "Benchmark run: batch_small")["workload"]
    assert (raw["input_length"], raw["output_length"], raw["concurrent_requests"]) == (128, 128, 1)
    assert (batch["input_length"], batch["output_length"], batch["concurrent_requests"]) == (16, 32, 20)
    assert all(e["workload"]["batch_size"] is None for e in result.entries)
    index = next(i for i, e in enumerate(source) if e["metadata"]["notes"] == "Benchmark run: batch_small")
    assert (
        f"128 → 16 at $[{index}].workload.input_length (workload batch_small of the tool's workload table; "
        "the exporter wrote 128)"
    ) in result.notes


def test_aggregate_memory_stand_in_back_to_null() -> None:
    source = load(AGGREGATE)
    source[0]["hardware"]["memory_per_chip_gb"] = 0.0  # what sanitize_entry writes for null
    source[0]["hardware"]["total_memory_gb"] = 0.0
    result = from_aggregate("agg.json", source)
    assert result.entries[0]["hardware"]["memory_per_chip_gb"] is None
    assert result.entries[0]["hardware"]["total_memory_gb"] is None
    note = "0.0 → null at $[0].hardware.memory_per_chip_gb (aggregate_for_hf.py sanitize_entry writes 0.0"
    assert f"{note} for null)" in result.notes


def test_host_ram_as_npu_memory_is_flagged_and_dropped() -> None:
    raw = load(ASCEND)
    assert raw["hardware"]["vendor"] == "Huawei"
    assert raw["hardware"]["memory_per_chip_gb"] == 23.59
    result = from_canonical(ASCEND.name, copy.deepcopy(raw))
    (entry,) = result.entries
    assert entry["hardware"]["memory_per_chip_gb"] is None
    assert entry["hardware"]["total_memory_gb"] is None
    flagged = {(f.rule, f.path, f.severity, f.file) for f in result.findings}
    assert ("LB503", "$.hardware.memory_per_chip_gb", "warning", ASCEND.name) in flagged
    assert ("LB504", "$.hardware.chip_model", "warning", ASCEND.name) in flagged
    assert ("LB504", "$.model.precision", "warning", ASCEND.name) in flagged
    assert errors(entry) == []


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_canonical_entries_keep_key_and_path(path: Path) -> None:
    raw = load(path)
    result = from_canonical(path.name, copy.deepcopy(raw))
    (entry,) = result.entries
    key = raw["metadata"]["idempotency_key"]
    assert entry["metadata"]["idempotency_key"] == key
    assert entry["canonical_path"] == raw["canonical_path"] == f"canonical/{path.name}"
    # upload-hf names the file by the SHA-1 of the key; the key the bot computes is the tool's.
    assert hashlib.sha1(key.encode()).hexdigest()[:20] == path.name.split("_")[0]
    entry["metadata"].pop("idempotency_key")
    assert idempotency_key(entry) == key
    assert idempotency_key(raw) == key
    for field in ("entry_id", "sagellm_version", "engine", "config_type"):
        assert entry[field] == raw[field]
    for field in ("ttft_ms", "throughput_tps", "peak_mem_mb", "error_rate", "kv_used_tokens"):
        assert entry["metrics"][field] == raw["metrics"][field]
    assert entry["metadata"]["submitted_at"] == raw["metadata"]["submitted_at"]
    assert errors({**entry, "metadata": {**entry["metadata"], "idempotency_key": key}}) == []


def test_aggregate_and_canonical_entries_are_recognised_by_their_key() -> None:
    keys = {load(path)["metadata"]["idempotency_key"] for path in CANONICAL}
    aggregate = from_aggregate("agg.json", load(AGGREGATE))
    matched = [idempotency_key(entry) in keys for entry in aggregate.entries]
    # Ten of the twelve: the tool keys batch_* as LEGACY, and tiny-gpt2-ctx80 was never uploaded.
    assert sum(matched) == 10


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"entry_id": "x"}, "agg.json: the top level is an object; an aggregate file"),
        ([3], "agg.json $[0]: the item is a number, not an entry object"),
        (
            [{"entry_id": "x", "hardware": {}}],
            "agg.json $[0]: not a leaderboard entry (no model, workload, metrics)",
        ),
    ],
)
def test_aggregate_shape_errors(data: Any, message: str) -> None:
    result = from_aggregate("agg.json", data)
    assert result.entries == []
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.file) == ("LB502", "error", "agg.json")
    assert finding.message.startswith(message)


def test_canonical_without_key_is_refused() -> None:
    raw = load(CANONICAL[0])
    del raw["metadata"]["idempotency_key"]
    result = from_canonical("c.json", raw)
    assert result.entries == []
    assert result.findings[0].rule == "LB502"
    assert "no metadata.idempotency_key" in result.findings[0].message
    assert from_canonical("c.json", [raw]).findings[0].message.startswith("c.json $: the item is an array")


def test_idempotency_key_of_what_is_no_entry() -> None:
    assert idempotency_key({"entry_id": "x"}) is None
    not_a_mapping: Any = []
    assert idempotency_key(not_a_mapping) is None


def test_workload_table_and_selectors() -> None:
    q8, batch = workload("q8"), workload("batch_small")
    assert q8 is not None
    assert (q8.input_length, q8.output_length, q8.concurrent_requests) == (192, 128, 4)
    assert batch is not None
    assert batch.selector == "batch"
    assert batch.concurrent_requests == 20
    assert selected("all") == tuple(f"Q{i}" for i in range(1, 9))
    assert selected("mixed") == ("mixed_short_stream", "mixed_long_batch", "mixed_greedy_sampling")
    assert selected("Q3") == ("Q3",)
    assert selected("nonsense") == ()
