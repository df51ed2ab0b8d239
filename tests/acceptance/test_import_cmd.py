"""``leaderboard-bot import`` on real files: run directories, outputs/ trees, exports, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from bot.cli.main import main
from bot.importer.spec import STABLE_ID_NAMESPACE
from tests.support.paths import REAL_EXPORT, ROOT, UPSTREAM_SCHEMA

HARDWARE_YAML = """\
vendor: NVIDIA
chip_model: A100-80GB
chip_count: 1
memory_per_chip_gb: 80
os: Ubuntu 22.04
python_version: "3.11.9"
cuda_version: "12.1"
driver_version: ""
"""
FLAGS = ("--submitter", "Alice", "--set", "model.parameters=124M", "--set", "model.precision=FP32")


def metrics_doc(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "avg_ttft_ms": 45.2,
        "p95_ttft_ms": 60.0,
        "avg_tbt_ms": 3.1,
        "avg_tpot_ms": 3.2,
        "avg_throughput_tps": 80.5,
        "output_throughput_tps": 70.0,
        "total_requests": 5,
        "successful_requests": 5,
        "failed_requests": 0,
        "error_rate": 0.0,
        "peak_mem_mb": 1146,
        "total_kv_used_tokens": 1000,
        "total_kv_used_bytes": 256000,
        "avg_prefix_hit_rate": 0.25,
        "total_evict_count": 0,
        "total_evict_ms": 0.0,
        "avg_spec_accept_rate": 0.0,
        "total_time_s": 10.0,
    }
    values.update(changes)
    return {"metrics": values, "timestamp": "2026-01-28T08:15:00", "version": "0.3.0.3"}


def make_run(
    directory: Path,
    workloads: dict[str, dict[str, Any] | None],
    statuses: dict[str, str] | None = None,
    **config: Any,
) -> Path:
    """A run directory: config.json, <workload>_metrics.json (None: file missing), summary.json."""
    directory.mkdir(parents=True)
    run_id = directory.name
    cfg = {
        "run_id": run_id,
        "timestamp": "2026-01-28T08:14:23",
        "backend": "cpu",
        "model": "gpt2",
        "model_path": "gpt2",
        "workload": run_id.split("_")[0],
        "dataset": "default",
        "num_samples": 5,
        "versions": {"sagellm_benchmark": "0.3.0.3", "sagellm_core": "0.3.0.5", "sagellm_backend": "0.3.0.6"},
        **config,
    }
    (directory / "config.json").write_text(json.dumps(cfg, indent=2))
    summary: dict[str, Any] = {"run_id": run_id, "backend": "cpu", "model": "gpt2", "workloads": {}}
    for name, doc in workloads.items():
        if doc is not None:
            (directory / f"{name}_metrics.json").write_text(json.dumps(doc))
        status = (statuses or {}).get(name, "success")
        summary["workloads"][name] = {"status": status, "metrics_file": f"{name}_metrics.json"}
    (directory / "summary.json").write_text(json.dumps(summary))
    return directory


@pytest.fixture
def hardware(tmp_path: Path) -> Path:
    path = tmp_path / "hw.yaml"
    path.write_text(HARDWARE_YAML)
    return path


def run_import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def assert_valid(*paths: Path) -> None:
    """Every produced file passes the reference schema and ``leaderboard-bot validate``."""
    validator = Draft7Validator(json.loads(UPSTREAM_SCHEMA.read_text()))
    for path in paths:
        assert [e.message for e in validator.iter_errors(json.loads(path.read_text()))] == []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_multi_workload_run(tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc(), "Q2": metrics_doc(avg_ttft_ms=120.0)})
    out = tmp_path / "entries"
    code, stdout, _ = run_import(capsys, str(run), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS)
    assert code == 0, stdout
    q1, q2 = out / "Q1_20260128_001_Q1.json", out / "Q1_20260128_001_Q2.json"
    assert sorted(p.name for p in out.iterdir()) == [q1.name, q2.name]
    first, second = json.loads(q1.read_text()), json.loads(q2.read_text())
    assert (first["workload"]["input_length"], first["workload"]["output_length"]) == (32, 64)
    assert (second["workload"]["input_length"], second["workload"]["output_length"]) == (512, 128)
    assert (first["metrics"]["ttft_ms"], second["metrics"]["ttft_ms"]) == (45.2, 120.0)
    assert first["versions"]["core"] == "0.3.0.5"
    assert first["versions"]["protocol"] == "N/A"
    assert first["environment"]["driver_version"] is None
    assert first["metadata"]["submitted_at"] == "2026-01-28T08:14:23Z"
    assert q1.read_text() == json.dumps(first, indent=2, ensure_ascii=False) + "\n"
    assert f"entry from {run}, workload Q1 ->" in stdout
    assert "from hardware file" in stdout
    assert "metrics.ttft_ms=45.2 (avg_ttft_ms)" in stdout
    assert "environment.driver_version: empty string → null" in stdout
    assert stdout.rstrip().endswith(f"wrote 2 entries to {out}")
    assert_valid(q1, q2)


def test_stable_ids_survive_a_reimport(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    ids = []
    for name in ("a", "b"):
        args = (
            str(run),
            "--hardware",
            str(hardware),
            "--out-dir",
            str(tmp_path / name),
            "--stable-ids",
            *FLAGS,
        )
        assert run_import(capsys, *args)[0] == 0
        ids.append(json.loads((tmp_path / name / "Q1_20260128_001_Q1.json").read_text())["entry_id"])
    key = "gpt2|Q1_20260128_001|2026-01-28T08:14:23|Q1"
    assert ids[0] == ids[1] == str(uuid.uuid5(STABLE_ID_NAMESPACE, key))


def test_outputs_tree_skips_the_latest_link(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model_dir = tmp_path / "outputs" / "cpu" / "tiny-gpt2"
    make_run(
        model_dir / "m1_20260128_001",
        {"short_input": metrics_doc(), "long_input": metrics_doc()},
        model_path=None,
    )
    make_run(model_dir / "Q5_20260128_002", {"Q5": metrics_doc()}, backend=None, model=None, model_path=None)
    (model_dir / "latest").symlink_to("Q5_20260128_002")
    out = tmp_path / "subs"
    code, stdout, _ = run_import(
        capsys, str(tmp_path / "outputs"), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS
    )
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "tiny-gpt2_Q5_20260128_002_Q5.json",
        "tiny-gpt2_m1_20260128_001_long_input.json",
        "tiny-gpt2_m1_20260128_001_short_input.json",
    ]
    assert "latest: symbolic link to Q5_20260128_002 skipped" in stdout
    long_input = json.loads((out / "tiny-gpt2_m1_20260128_001_long_input.json").read_text())
    assert (long_input["workload"]["input_length"], long_input["workload"]["output_length"]) == (2048, 512)
    assert long_input["model"]["name"] == "gpt2"
    q5 = json.loads((out / "tiny-gpt2_Q5_20260128_002_Q5.json").read_text())
    assert q5["model"]["name"] == "tiny-gpt2"  # from the directory layout
    assert q5["metadata"]["reproducible_cmd"] == (
        "sagellm-benchmark run --workload Q5 --backend cpu --model tiny-gpt2 "
        "--dataset default --num-samples 5"
    )
    assert_valid(*sorted(out.iterdir()))


def test_failed_workload_is_a_warning_when_others_succeeded(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(
        tmp_path / "Q1_20260128_003",
        {"Q1": metrics_doc(), "Q2": metrics_doc(), "Q3": None, "Q4": metrics_doc(successful_requests=0)},
        statuses={"Q2": "failed"},
    )
    out = tmp_path / "subs"
    code, stdout, _ = run_import(capsys, str(run), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS)
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["Q1_20260128_003_Q1.json"]
    assert (
        f"warning: workload Q2 of run Q1_20260128_003 ({run}) failed and is skipped: summary.json marks"
        in stdout
    )
    assert (
        f"warning: workload Q3 of run Q1_20260128_003 ({run}) failed and is skipped: metrics file {run}"
        in stdout
    )
    assert "Q3_metrics.json is missing" in stdout
    assert (
        f"warning: workload Q4 of run Q1_20260128_003 ({run}) failed and is skipped: all 5 requests failed"
        in stdout
    )


def test_a_run_where_everything_failed_writes_nothing(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(tmp_path / "Q1_20260128_004", {"Q1": None})
    out = tmp_path / "subs"
    code, stdout, _ = run_import(capsys, str(run), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS)
    assert code == 1
    assert (
        f"warning: workload Q1 of run Q1_20260128_004 ({run}) failed and is skipped: metrics file" in stdout
    )
    assert stdout.rstrip().endswith("nothing to import: no entry was produced")
    assert not out.exists()


def test_single_workload_run_without_summary_or_metrics(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "Q7_20260128_001"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"run_id": "Q7_20260128_001", "workload": "Q7"}))
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), "--out-dir", str(tmp_path / "o"), *FLAGS
    )
    assert code == 1
    assert f"workload Q7 of run Q7_20260128_001 ({run}) failed" in stdout
    assert "is missing" in stdout


def test_one_bad_entry_means_nothing_is_written(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_run(tmp_path / "runs" / "Q1_20260128_001", {"Q1": metrics_doc()})
    make_run(tmp_path / "runs" / "Q2_20260128_001", {"Q2": metrics_doc(avg_ttft_ms="slow")})
    out = tmp_path / "subs"
    code, stdout, _ = run_import(
        capsys, str(tmp_path / "runs"), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS
    )
    assert code == 1
    assert "Q2_metrics.json: avg_ttft_ms = 'slow' is not a number" in stdout
    assert "nothing written: 1 error(s)" in stdout
    assert not out.exists()


def test_malformed_json_names_file_line_and_column(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (run / "config.json").write_text('{\n  "run_id": "x",\n  "model": gpt2\n}\n')
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), "--out-dir", str(tmp_path / "o"), *FLAGS
    )
    assert code == 1
    assert f"error: {run / 'config.json'}:3:12: invalid JSON: Expecting value" in stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"avg_ttft_ms": 1.0,\n "avg_ttft_ms": 79.4}', ':2:17: key "avg_ttft_ms" appears more than once'),
        (
            "[" * 3000 + "]" * 3000,
            ":1:1: invalid JSON: values are nested more than 32 levels deep",
        ),  # was 0:0
    ],
)
def test_a_metrics_file_read_two_ways_or_too_deep_is_named_at_its_place(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    """A repeated key was read as its last value without a word (validate calls it LB002)."""
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (run / "Q1_metrics.json").write_text(text)
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), *FLAGS, "-o", str(tmp_path / "x.json")
    )
    assert code == 1
    assert f"error: {run / 'Q1_metrics.json'}{message}" in stdout
    assert not (tmp_path / "x.json").exists()


def test_a_config_json_that_is_a_folder_is_an_error_not_a_missing_file(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The run was read as a folder without config.json (its exports only, exit 0)."""
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (run / "config.json").unlink()
    (run / "config.json").mkdir()
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), *FLAGS, "-o", str(tmp_path / "x.json")
    )
    assert code == 1
    assert f"error: {run / 'config.json'}: cannot read it (Is a directory)" in stdout
    assert not (tmp_path / "x.json").exists()


def test_non_object_metrics_file(tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (run / "Q1_metrics.json").write_text("[1, 2]")
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), *FLAGS, "-o", str(tmp_path / "x.json")
    )
    assert code == 1
    assert f"error: {run / 'Q1_metrics.json'}: the top level is an array, expected a JSON object" in stdout


def test_symlink_loops_are_reported_not_followed(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    make_run(tree / "cpu" / "gpt2" / "Q1_20260128_001", {"Q1": metrics_doc()})
    (tree / "self").symlink_to("self")
    (tree / "cpu" / "up").symlink_to("..")
    out = tmp_path / "subs"
    code, stdout, _ = run_import(
        capsys, str(tree), "--hardware", str(hardware), "--out-dir", str(out), *FLAGS
    )
    assert code == 0
    assert f"note: {tree / 'self'}: symbolic link loop (self) skipped" in stdout
    assert f"note: {tree / 'cpu' / 'up'}: symbolic link to .. skipped" in stdout
    assert [p.name for p in out.iterdir()] == ["Q1_20260128_001_Q1.json"]
    code, _, stderr = run_import(capsys, str(tree / "self"), *FLAGS)
    assert code == 2
    assert "Too many levels of symbolic links" in stderr


def test_a_run_reached_twice_is_imported_once(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model_dir = tmp_path / "outputs" / "cpu" / "gpt2"
    make_run(model_dir / "Q1_20260128_001", {"Q1": metrics_doc()})
    (model_dir / "latest").symlink_to("Q1_20260128_001")
    args = (str(model_dir / "latest"), str(model_dir), "--hardware", str(hardware), "--stable-ids", *FLAGS)
    code, stdout, _ = run_import(capsys, *args, "-o", str(tmp_path / "all.json"))
    assert code == 0
    assert "following it because it was named on the command line" in stdout
    assert "the same as" in stdout
    assert len(json.loads((tmp_path / "all.json").read_text())) == 1


def test_file_arguments(tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc(), "Q2": metrics_doc()})
    out = tmp_path / "one.json"
    code, _, _ = run_import(
        capsys, str(run / "Q2_metrics.json"), "--hardware", str(hardware), "-o", str(out), *FLAGS
    )
    assert code == 0
    assert [e["workload"]["input_length"] for e in json.loads(out.read_text())] == [512]
    code, _, _ = run_import(
        capsys, str(run / "config.json"), "--hardware", str(hardware), "-o", str(out), *FLAGS
    )
    assert code == 0
    assert len(json.loads(out.read_text())) == 2


def test_stdout_output_keeps_the_report_on_stderr(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    code, stdout, stderr = run_import(capsys, str(run), "--hardware", str(hardware), "-o", "-", *FLAGS)
    assert code == 0
    entries = json.loads(stdout)
    assert [e["workload"]["input_length"] for e in entries] == [32]
    assert stdout.endswith("]\n")
    assert '  {\n    "entry_id"' in stdout
    assert "wrote 1 entry as one JSON array to stdout" in stderr


def test_missing_information_names_the_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    code, stdout, _ = run_import(capsys, str(run), "--out-dir", str(tmp_path / "o"))
    assert code == 1
    assert (
        "metadata.submitter is unknown: the outputs do not record it; supply it with --submitter NAME"
        in stdout
    )
    assert "supply it with --hardware FILE (key chip_model) or --set hardware.chip_model=A100-80GB" in stdout
    assert "supply it with --set model.precision=BF16" in stdout
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "hardwre.chip_count=1"), "no top-level field 'hardwre' (did you mean 'hardware'?)"),
        (("--set", "nonsense"), "expected [WORKLOAD:]PATH=VALUE"),
        (
            ("--hardware", "/nonexistent/hw.yaml"),
            "/nonexistent/hw.yaml: cannot read it (No such file or directory)",
        ),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    code, _, stderr = run_import(capsys, str(run), *args)
    assert code == 2
    assert message in stderr


def test_unreadable_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run_import(capsys, str(tmp_path / "nope"))
    assert code == 2
    assert f"{tmp_path / 'nope'}: cannot read it (No such file or directory)" in stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("vendor: [NVIDIA\n", ":2:1: invalid YAML: expected ',' or ']'"),
        ("python_version: 3.10\n", 'quote it, for example python_version: "3.10"'),
        ("chip_modle: A100\n", "unknown key 'chip_modle' (did you mean 'chip_model'?)"),
        ("os: 2024-01-01\n", "os is a YAML date, which JSON cannot hold; quote it"),
    ],
)
def test_bad_hardware_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (tmp_path / "hw.yaml").write_text(text)
    code, _, stderr = run_import(capsys, str(run), "--hardware", str(tmp_path / "hw.yaml"), *FLAGS)
    assert code == 2
    assert message in stderr


def test_multi_node_from_a_json_hardware_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hw = {
        "vendor": "Huawei",
        "chip_model": "Ascend 910B",
        "chip_count": 8,
        "chips_per_node": 4,
        "intra_node_interconnect": "HCCS",
        "memory_per_chip_gb": 64,
        "node_count": 2,
        "comm_backend": "HCCL",
        "topology_type": "Ring",
        "inter_node_network": "InfiniBand",
        "environment": {"os": "openEuler 22.03 LTS", "python_version": "3.10.12", "cann_version": "8.0.RC1"},
    }
    (tmp_path / "hw.json").write_text(json.dumps(hw))
    versions = {"sagellm_benchmark": "0.3.0.3", "sagellm_comm": "0.1.1.7"}
    run = make_run(tmp_path / "Q4_20260128_001", {"Q4": metrics_doc()}, versions=versions)
    out = tmp_path / "subs"
    code, stdout, _ = run_import(
        capsys,
        str(run),
        "--hardware",
        str(tmp_path / "hw.json"),
        "--out-dir",
        str(out),
        "--engine",
        "SageLLM",
        *FLAGS,
    )
    assert code == 0, stdout
    entry = json.loads((out / "Q4_20260128_001_Q4.json").read_text())
    assert entry["config_type"] == "multi_node"
    assert entry["engine"] == "sagellm"
    assert entry["cluster"] == {
        "node_count": 2,
        "comm_backend": "HCCL",
        "inter_node_network": "InfiniBand",
        "topology_type": "Ring",
    }
    assert entry["hardware"]["total_memory_gb"] == 512
    assert_valid(out / "Q4_20260128_001_Q4.json")


def test_real_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "subs"
    code, stdout, _ = run_import(capsys, str(REAL_EXPORT), "--out-dir", str(out))
    assert code == 1
    assert "model.parameters is 'unknown' in export" in stdout
    assert "--set model.parameters=7B" in stdout
    code, stdout, _ = run_import(
        capsys, str(REAL_EXPORT), "--out-dir", str(out), "--set", "model.parameters=124M"
    )
    assert code == 0, stdout
    written = out / "sagellm-benchmark-export.short_input.json"
    entry = json.loads(written.read_text())
    original = json.loads(REAL_EXPORT.read_text())
    assert entry["entry_id"] == original["entry_id"]
    assert entry["metadata"]["submitted_at"] == "2026-01-28T08:53:09.986456Z"
    assert entry["metrics"] == original["metrics"]
    assert "kept from export" in stdout
    assert "(UTC)" in stdout
    assert_valid(written)


def test_an_exports_array_and_a_bad_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = json.loads(REAL_EXPORT.read_text())
    (tmp_path / "two.json").write_text(json.dumps([entry, {**entry, "entry_id": str(uuid.uuid4())}]))
    code, _, _ = run_import(
        capsys, str(tmp_path / "two.json"), "--set", "model.parameters=124M", "--out-dir", str(tmp_path / "o")
    )
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["two_1.json", "two_2.json"]
    (tmp_path / "bad.json").write_text('{"entry_id": 1,\n "metrics": [}')
    code, stdout, _ = run_import(capsys, str(tmp_path / "bad.json"))
    assert code == 1
    assert f"{tmp_path / 'bad.json'}:2:14: invalid JSON" in stdout


def test_duplicate_entry_ids_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a_leaderboard.json").write_text(REAL_EXPORT.read_text())
    other = json.loads(REAL_EXPORT.read_text())
    other["metrics"]["ttft_ms"] += 1  # another result under the same entry_id
    (tmp_path / "b_leaderboard.json").write_text(json.dumps(other))
    code, stdout, _ = run_import(
        capsys, str(tmp_path), "--set", "model.parameters=124M", "--out-dir", str(tmp_path / "o")
    )
    assert code == 1
    assert "entry_id 2908b9e8-9376-4c5b-888f-a6e1ae007966 would be written twice" in stdout


def test_the_same_export_twice_is_imported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a_leaderboard.json").write_text(REAL_EXPORT.read_text())
    (tmp_path / "b_leaderboard.json").write_text(REAL_EXPORT.read_text())
    code, stdout, _ = run_import(
        capsys, str(tmp_path), "--set", "model.parameters=124M", "--out-dir", str(tmp_path / "o")
    )
    assert code == 0, stdout
    a, b = tmp_path / "a_leaderboard.json", tmp_path / "b_leaderboard.json"
    assert f"note: export {b} is the same result as export {a}" in stdout
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["a.json"]


def test_write_failure_is_reported(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), "--out-dir", str(blocker / "sub"), *FLAGS
    )
    assert code == 1
    assert "cannot write" in stdout
    assert "nothing was written" in stdout


def test_default_out_dir_and_overwrite_on_reimport(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert run_import(capsys, str(run), "--hardware", str(hardware), "--stable-ids", *FLAGS)[0] == 0
    assert os.listdir(tmp_path / "submissions") == ["Q1_20260128_001_Q1.json"]
    assert oct((tmp_path / "submissions" / "Q1_20260128_001_Q1.json").stat().st_mode & 0o777) != "0o600"


def test_the_installed_command_runs(tmp_path: Path, hardware: Path) -> None:
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(run), "--hardware", str(hardware), "-o", "-", *FLAGS],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["metrics"]["throughput_tps"] == 80.5


def _alias_bomb(levels: int = 9) -> str:
    """A few hundred bytes of YAML whose aliases expand to ten to the ``levels`` strings."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "vendor: NVIDIA\nparallelism:\n" + "\n".join(f"  {line}" for line in lines) + "\n"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "hw.yaml",
            _alias_bomb(),
            "YAML anchors and aliases are not accepted; write the hardware file as plain",
        ),
        (
            "hw.yaml",
            "base: &b {vendor: NVIDIA}\nhw:\n  <<: *b\n",
            "hw.yaml:3:3: YAML merge keys (<<) are not accepted",
        ),
        (
            "hw.yaml",
            "parallelism: " + "[" * 100 + "]" * 100 + "\n",
            "values are nested more than 32 levels deep",
        ),
        ("hw.json", "[" * 1000 + "]" * 1000, "values are nested more than 32 levels deep"),
        (
            "hw.json",
            '{"vendor": "AMD",\n "vendor": "NVIDIA"}',
            'hw.json:2:12: key "vendor" appears more than once',
        ),
        ("hw.yaml", "vendor: AMD\nvendor: NVIDIA\n", 'hw.yaml:2:1: key "vendor" appears more than once'),
    ],
)
def test_hardware_files_are_refused_what_submissions_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    """Aliases and deep nesting are refused before anything is expanded (a 387-byte file once wrote a
    17.7 MB entry; 1000 brackets ended in RecursionError), with the place and the fix."""
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    (tmp_path / name).write_text(text)
    code, stdout, stderr = run_import(capsys, str(run), "--hardware", str(tmp_path / name), *FLAGS)
    assert code == 2
    assert f"{tmp_path / name}:" in stderr
    assert message in stderr
    assert "Traceback" not in stderr
    assert stdout == ""


@pytest.mark.parametrize("target", ["config.json", "Q1_metrics.json", "leaderboard_single.json"])
def test_import_never_overwrites_its_input_or_a_data_file(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """``-o`` naming a file of the run being read, or a leaderboard data file (which would be replaced
    by a one-entry array), is refused and nothing changes."""
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    data = tmp_path / "data"
    data.mkdir()
    (data / "leaderboard_single.json").write_text("[]\n")
    path = data / target if target.startswith("leaderboard") else run / target
    before = {p: p.read_bytes() for p in [*run.iterdir(), *data.iterdir()]}
    code, stdout, _ = run_import(capsys, str(run), "--hardware", str(hardware), *FLAGS, "-o", str(path))
    assert code == 1
    said = (
        "is a leaderboard data file"
        if target.startswith("leaderboard")
        else "would overwrite what import reads"
    )
    assert f"{path} {said}" in stdout
    assert {p: p.read_bytes() for p in [*run.iterdir(), *data.iterdir()]} == before


def test_a_workload_scoped_set_that_matches_nothing_is_an_error(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--set Q9:...`` on a run without Q9 did nothing, silently; a typo in the name now stops the import."""
    run = make_run(tmp_path / "Q1_20260128_001", {"Q1": metrics_doc()})
    out = tmp_path / "out"
    args = (
        str(run),
        "--hardware",
        str(hardware),
        *FLAGS,
        "--set",
        "Q9:model.precision=BF16",
        "--out-dir",
        str(out),
    )
    code, stdout, _ = run_import(capsys, *args)
    assert code == 1
    assert "--set Q9:... applies to no imported entry (the workloads imported: Q1); check the name" in stdout
    assert not out.exists()


def test_a_run_directorys_control_characters_reach_the_terminal_escaped(
    tmp_path: Path, hardware: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A downloaded outputs tree names its run directories: an escape character in one is shown, not
    sent (values read from the run's files are JSON-escaped already). The entry's notes would carry it
    (they name the run), and no text of an entry may hold a control character (LB113): nothing is written."""
    run = make_run(tmp_path / "Q1_20260128_001\x1b]0;pwned\x07", {"Q1": metrics_doc()})
    code, stdout, _ = run_import(
        capsys, str(run), "--hardware", str(hardware), "--out-dir", str(tmp_path / "out"), *FLAGS
    )
    assert code == 1, stdout
    assert "metadata.notes holds U+001B CONTROL CHARACTER, a control character" in stdout
    assert not (tmp_path / "out").exists()
    assert "Q1_20260128_001⟨U+001B⟩]0;pwned⟨U+0007⟩" in stdout
    assert not any(ord(c) < 0x20 and c != "\n" for c in stdout)
