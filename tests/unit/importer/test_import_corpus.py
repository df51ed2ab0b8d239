"""``leaderboard-bot import`` on every kind of output the real sagellm-benchmark 0.5.4.14 wrote
(tests/fixtures/sagellm-benchmark-0.5.4.14, see its README.md), each entry checked field by field
against the files it came from."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.importer.workloads import workload
from tests.acceptance.test_import_cmd import assert_valid
from tests.support.paths import SAGELLM_CORPUS

RUNS = SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2"
USER = ("--submitter", "Alice", "--set", "model.parameters=1M")
METRICS = (
    ("avg_ttft_ms", "ttft_ms"),
    ("avg_throughput_tps", "throughput_tps"),
    ("peak_mem_mb", "peak_mem_mb"),
    ("error_rate", "error_rate"),
    ("avg_prefix_hit_rate", "prefix_hit_rate"),
    ("total_kv_used_tokens", "kv_used_tokens"),
    ("total_kv_used_bytes", "kv_used_bytes"),
    ("total_evict_count", "evict_count"),
    ("total_evict_ms", "evict_ms"),
)
VERSIONS = ("protocol", "backend", "core", "kv_cache", "comm", "benchmark")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def run_import(capsys: pytest.CaptureFixture[str], out: Path, *args: str) -> tuple[int, list[Any], str]:
    code = main(["import", *args, "-o", str(out)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    entries = load(out) if out.exists() else []
    return code, entries, captured.out + captured.err


def utc(epoch: float) -> str:
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S")
        + (f".{moment.microsecond:06d}" if moment.microsecond else "")
        + "Z"
    )


def check_against_run(entry: dict[str, Any], run: Path, name: str) -> None:
    """Every field of ``entry`` that the run records equals the run's files."""
    config = load(run / "config.json")
    metrics = load(run / f"{name}_metrics.json")["metrics"]
    export = load(run / f"{name}_leaderboard.json")
    known = workload(name)
    assert known is not None
    for src, dst in METRICS:
        assert entry["metrics"][dst] == metrics[src], dst
    for src, dst in (("avg_tbt_ms", "tbt_ms"), ("avg_tpot_ms", "tpot_ms")):
        assert entry["metrics"][dst] == (metrics[src] or None), dst  # 0 = not measured
    assert entry["metrics"]["spec_accept_rate"] is None  # avg_spec_accept_rate 0
    for key, value in export["hardware"].items():
        assert entry["hardware"][key] == value, key
    assert entry["environment"]["os"] == export["environment"]["os"]
    assert entry["environment"]["python_version"] == export["environment"]["python_version"]
    assert entry["environment"]["pytorch_version"] == export["environment"]["pytorch_version"]
    assert entry["environment"]["cuda_version"] is None  # "" in the export: not detected
    assert (entry["engine"], entry["engine_version"]) == (export["engine"], export["engine_version"])
    assert entry["model"]["name"] == config["model_path"].rsplit("/", 1)[-1]
    assert entry["model"]["precision"] == "FP32"
    assert entry["sagellm_version"] == config["versions"]["sagellm_benchmark"]
    for key in VERSIONS:
        assert entry["versions"][key] == config["versions"][f"sagellm_{key}"], key
    assert entry["workload"]["input_length"] == known.input_length
    assert entry["workload"]["output_length"] == known.output_length
    assert entry["workload"]["concurrent_requests"] == known.concurrent_requests
    assert entry["workload"]["batch_size"] is None  # the tool records none
    assert entry["workload"]["dataset"] == config["dataset"]
    assert entry["metadata"]["submitted_at"] == utc(metrics["end_time"])
    assert entry["metadata"]["reproducible_cmd"] == (
        f"sagellm-benchmark run --workload {known.selector} --backend {config['backend']} "
        f"--model {config['model_path']} --dataset {config['dataset']} --num-samples {config['num_samples']}"
    )
    assert entry["metadata"]["submitter"] == "Alice"
    assert entry["config_type"] == export["config_type"]


@pytest.mark.parametrize(
    ("run", "names"),
    [
        ("Q1_20261201_001", ["Q1"]),
        ("all_20261201_001", [f"Q{i}" for i in range(1, 9)]),
        ("batch_20261201_001", ["batch_small", "batch_medium", "batch_large"]),
        ("mixed_20261201_001", ["mixed_short_stream", "mixed_long_batch", "mixed_greedy_sampling"]),
    ],
)
def test_run_directories_import_every_workload_in_one_call(
    run: str, names: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "entries.json"
    code, entries, report = run_import(capsys, out, str(RUNS / run), *USER)
    assert code == 0, report
    assert [e["metadata"]["notes"] for e in entries] == [f"Benchmark run: {n} (run {run})" for n in names]
    for name, entry in zip(names, entries, strict=True):
        check_against_run(entry, RUNS / run, name)
        assert f"entry from {RUNS / run}, workload {name} ->" in report
    assert "not in sagellm-benchmark's workload table" not in report
    assert_valid(out)


def test_concurrency_from_the_workload_table_tells_q1_from_q5(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, entries, _ = run_import(capsys, tmp_path / "e.json", str(RUNS / "all_20261201_001"), *USER)
    by_name = {e["metadata"]["notes"].split()[2]: e["workload"] for e in entries}
    assert [by_name[n]["concurrent_requests"] for n in ("Q1", "Q5", "Q6", "Q8")] == [1, 10, 10, 4]
    exported = load(RUNS / "all_20261201_001" / "Q5_leaderboard.json")["workload"]
    assert exported["concurrent_requests"] == 1  # what the tool wrote, hard-coded


def test_batch_workload_lengths_and_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, entries, report = run_import(capsys, tmp_path / "e.json", str(RUNS / "batch_20261201_001"), *USER)
    small = entries[0]["workload"]
    assert (small["input_length"], small["output_length"], small["concurrent_requests"]) == (16, 32, 20)
    exported = load(RUNS / "batch_20261201_001" / "batch_small_leaderboard.json")["workload"]
    assert (exported["input_length"], exported["output_length"]) == (128, 128)  # the exporter's fallback
    assert "--workload batch runs batch_small, batch_medium, batch_large" in report


def test_per_workload_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = (str(RUNS / "batch_20261201_001"), *USER, "--set", "batch_large:workload.concurrent_requests=2")
    _, entries, report = run_import(capsys, tmp_path / "e.json", *args)
    assert [e["workload"]["concurrent_requests"] for e in entries] == [20, 16, 2]
    assert "from --set batch_large:: workload.concurrent_requests=2" in report


def test_a_run_in_utc_plus_8_gets_its_exact_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = RUNS / "Q3_20261202_001"
    code, (entry,), report = run_import(capsys, tmp_path / "e.json", str(run), *USER)
    assert code == 0, report
    assert load(run / "config.json")["timestamp"] == "2026-12-02T02:57:17.480134"  # local, UTC+8
    assert entry["metadata"]["submitted_at"] == utc(load(run / "Q3_metrics.json")["metrics"]["end_time"])
    assert entry["metadata"]["submitted_at"].startswith("2026-12-01T18:57:18")
    check_against_run(entry, run, "Q3")


def test_naive_timestamp_only_as_a_fallback_with_its_zone_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "Q3_20261202_001"
    shutil.copytree(RUNS / "Q3_20261202_001", run)
    doc = load(run / "Q3_metrics.json")
    del doc["metrics"]["start_time"], doc["metrics"]["end_time"]
    (run / "Q3_metrics.json").write_text(json.dumps(doc))
    config = load(run / "config.json")
    config["timestamp"] = "2026-11-30T02:57:17.480134"  # a day earlier, so never in the future
    (run / "config.json").write_text(json.dumps(config))
    _, (entry,), report = run_import(capsys, tmp_path / "e.json", str(run), *USER)
    assert entry["metadata"]["submitted_at"] == "2026-11-30T02:57:17.480134Z"
    assert "in the LOCAL time of the machine that ran it, without a zone, and it is taken as UTC" in report


def test_failed_run_is_skipped_with_a_warning_and_no_invented_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = RUNS / "Q2_20261201_001"
    assert load(run / "Q2_metrics.json")["metrics"]["total_requests"] == 0
    code, entries, report = run_import(capsys, tmp_path / "e.json", str(run), *USER)
    assert (code, entries) == (1, [])
    assert (
        f"warning: workload Q2 of run Q2_20261201_001 ({run}) failed and is skipped: no request completed"
        in report
    )
    assert "--set metrics" not in report
    assert report.rstrip().endswith("nothing to import: no entry was produced")


def test_a_tree_with_a_failed_an_interrupted_and_a_good_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "outputs" / "cpu" / "tiny-gpt2"
    for name in ("Q1_20261201_001", "Q2_20261201_001", "all_20261201_001"):
        shutil.copytree(RUNS / name, tree / name)
    (tree / "latest").symlink_to("all_20261201_001")
    interrupted = tree / "all_20261201_001"
    (interrupted / "benchmark_summary.json").unlink()  # written only when every workload finished
    for name in ("Q6", "Q7", "Q8"):
        (interrupted / f"{name}_metrics.json").unlink()
        (interrupted / f"{name}_leaderboard.json").unlink()
    out = tmp_path / "entries.json"
    code, entries, report = run_import(capsys, out, str(tmp_path / "outputs"), *USER, "--stable-ids")
    assert code == 0, report
    notes = [e["metadata"]["notes"] for e in entries]
    assert notes == ["Benchmark run: Q1 (run Q1_20261201_001)"] + [
        f"Benchmark run: Q{i} (run all_20261201_001)" for i in range(1, 6)
    ]
    assert "failed and is skipped: no request completed" in report
    assert (
        f"warning: {interrupted}: config.json selects --workload all (8 workloads) but Q6, Q7, Q8 have no "
        "metrics file"
    ) in report
    assert "latest: symbolic link to all_20261201_001 skipped" in report
    assert len({e["entry_id"] for e in entries}) == 6
    for entry in entries:
        name = entry["metadata"]["notes"].split()[2]
        run = RUNS / ("Q1_20261201_001" if "Q1_2026" in entry["metadata"]["notes"] else "all_20261201_001")
        check_against_run(entry, run, name)
    assert_valid(out)


def test_stable_ids_differ_across_models_and_survive_a_reimport(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for model in ("tiny-gpt2", "tiny-llama"):
        target = tmp_path / "outputs" / "cpu" / model / "Q1_20261201_001"
        shutil.copytree(RUNS / "Q1_20261201_001", target)
        config = load(target / "config.json")
        config.update(model=model, model_path=f"/data/models/{model}")
        (target / "config.json").write_text(json.dumps(config))
    args = (str(tmp_path / "outputs"), *USER, "--stable-ids")
    code, first, report = run_import(capsys, tmp_path / "a.json", *args)
    assert code == 0, report
    _, again, _ = run_import(capsys, tmp_path / "b.json", *args)
    assert [e["model"]["name"] for e in first] == ["tiny-gpt2", "tiny-llama"]
    assert first[0]["entry_id"] != first[1]["entry_id"]
    assert [e["entry_id"] for e in first] == [e["entry_id"] for e in again]


def test_export_on_a_multi_gpu_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = SAGELLM_CORPUS / "exports" / "cuda4" / "Q4_leaderboard.json"
    raw = load(path)
    code, (entry,), report = run_import(
        capsys, tmp_path / "e.json", str(path), "--set", "model.parameters=1M"
    )
    assert code == 0, report
    for key in ("entry_id", "sagellm_version", "engine", "engine_version", "config_type"):
        assert entry[key] == raw[key], key
    assert entry["hardware"] == raw["hardware"]
    assert (entry["metrics"]["tbt_ms"], entry["metrics"]["tpot_ms"]) == (None, None)  # 0: not measured
    for key in ("ttft_ms", "throughput_tps", "peak_mem_mb", "error_rate"):
        assert entry["metrics"][key] == raw["metrics"][key]
    assert entry["environment"]["cuda_version"] == "12.1"
    assert entry["environment"]["cann_version"] is None
    assert entry["workload"]["batch_size"] is None
    assert "NVLink is the exporter's guess for any multi-GPU machine" in report
    assert "model.precision FP32 is the exporter's hard-coded default" in report
    assert_valid(tmp_path / "e.json")


@pytest.mark.parametrize("name", ["leaderboard_single.json", "leaderboard_multi.json"])
def test_aggregate_arrays(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = SAGELLM_CORPUS / "hf_data" / name
    raw = load(path)
    out = tmp_path / "e.json"
    code, entries, report = run_import(capsys, out, str(path), "--set", "model.parameters=1M")
    if not raw:
        assert code == 1
        assert f"note: {path}: an empty aggregate array" in report
        return
    assert code == 0, report
    assert [e["entry_id"] for e in entries] == [e["entry_id"] for e in raw]
    for source, entry in zip(raw, entries, strict=True):
        for key in ("ttft_ms", "throughput_tps", "peak_mem_mb", "error_rate", "kv_used_tokens"):
            assert entry["metrics"][key] == source["metrics"][key]
        for key in ("cuda_version", "cann_version", "driver_version"):
            assert entry["environment"][key] == (source["environment"][key] or None)
    assert (
        '"" → null at $[0].environment.cuda_version (aggregate_for_hf.py sanitize_entry writes "" for null)'
        in report
    )
    assert f"entry from export {path}$[11]" in report
    ascend = entries[11]
    assert ascend["hardware"]["memory_per_chip_gb"] is None  # the host's RAM in the file
    assert "on Huawei NPUs sagellm-benchmark writes the host's RAM there" in report
    assert_valid(out)


def test_canonical_entries_and_their_reimport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = SAGELLM_CORPUS / "upload_hf" / "canonical"
    files = sorted(folder.glob("*_leaderboard.json"))
    out = tmp_path / "e.json"
    code, entries, report = run_import(capsys, out, str(folder), "--set", "model.parameters=1M")
    assert code == 0, report
    assert len(entries) == len(files) == 10
    for path, entry in zip(files, entries, strict=True):
        raw = load(path)
        assert entry["metadata"]["idempotency_key"] == raw["metadata"]["idempotency_key"]
        assert entry["canonical_path"] == raw["canonical_path"]
        assert entry["entry_id"] == raw["entry_id"]
    assert_valid(out)
    # The same results once more, as the aggregate array: recognised by entry_id and idempotency key.
    aggregate = SAGELLM_CORPUS / "hf_data" / "leaderboard_single.json"
    code, both, report = run_import(capsys, tmp_path / "b.json", str(folder), str(aggregate), *USER[2:])
    assert code == 0, report
    shared = {e["entry_id"] for e in load(aggregate)} & {load(path)["entry_id"] for path in files}
    assert len(shared) == 8  # the others are older or newer results of the same configuration
    assert report.count("is the same result as") == len(shared)
    assert len(both) == 10 + 12 - len(shared)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("perf/sagellm_e2e.json", "a `sagellm-benchmark perf` payload (kind 'e2e', simulated: true"),
        ("perf/vllm_e2e.json", "a `sagellm-benchmark perf` payload (kind 'e2e'"),
        (
            "compare_offline/comparison.json",
            "a `sagellm-benchmark compare` payload (kind 'compare', targets sagellm, vllm)",
        ),
        ("perf/sagellm_e2e.md", "a Markdown report (E2E Benchmark Report)"),
        ("compare_offline/comparison.md", "a Markdown report (Endpoint Comparison Report)"),
    ],
)
def test_payloads_that_are_no_results_are_refused(
    path: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, entries, report = run_import(capsys, tmp_path / "e.json", str(SAGELLM_CORPUS / path))
    assert (code, entries) == (1, [])
    assert f"error: {SAGELLM_CORPUS / path}: {message}" in report
    assert "import" in report.split(message, 1)[1].split("\n", 1)[0]  # says what to import instead
    assert not (tmp_path / "e.json").exists()


def test_the_summary_named_on_its_own_imports_its_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, entries, report = run_import(
        capsys, tmp_path / "e.json", str(RUNS / "Q1_20261201_001" / "benchmark_summary.json"), *USER
    )
    assert code == 0, report
    check_against_run(entries[0], RUNS / "Q1_20261201_001", "Q1")


def test_a_runs_own_export_named_on_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = RUNS / "all_20261201_001" / "Q5_leaderboard.json"
    raw = load(path)
    code, (entry,), report = run_import(
        capsys, tmp_path / "e.json", str(path), "--set", "model.parameters=1M"
    )
    assert code == 0, report
    assert entry["entry_id"] == raw["entry_id"]
    assert entry["hardware"] == raw["hardware"]
    assert raw["workload"]["concurrent_requests"] == 1
    assert entry["workload"]["concurrent_requests"] == 10
    assert "1 → 10 at $.workload.concurrent_requests (workload Q5 of the tool's workload table" in report
    assert entry["metadata"]["submitter"] == raw["metadata"]["submitter"]  # the export's own
    assert_valid(tmp_path / "e.json")


@pytest.mark.parametrize("end_time", [1e12, 1e308])
def test_an_epoch_out_of_any_calendar_is_not_used_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], end_time: float
) -> None:
    run = tmp_path / "Q3_20261202_001"
    shutil.copytree(RUNS / "Q3_20261202_001", run)
    doc = load(run / "Q3_metrics.json")
    start = doc["metrics"]["start_time"]
    doc["metrics"]["end_time"] = end_time
    (run / "Q3_metrics.json").write_text(json.dumps(doc))
    code, (entry,), report = run_import(capsys, tmp_path / "e.json", str(run), *USER)
    assert code == 0, report
    assert "Traceback" not in report
    assert entry["metadata"]["submitted_at"] == utc(start)  # the start time is the next best
    assert f"gives end_time {end_time!r}, which is no moment in epoch seconds" in report


def test_a_run_without_its_config_says_why_its_metrics_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "Q3_20261202_001"
    shutil.copytree(RUNS / "Q3_20261202_001", run)
    (run / "config.json").unlink()
    code, (entry,), report = run_import(capsys, tmp_path / "e.json", str(run), *USER)
    assert code == 0, report
    assert f"{run}: Q3_metrics.json not read: the folder has no config.json" in report
    assert "only its *_leaderboard.json exports are imported" in report
    assert entry["metrics"]["ttft_ms"] == load(run / "Q3_leaderboard.json")["metrics"]["ttft_ms"]
