"""Benchmark run directories committed in a results PR are imported before validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.contract.config import Config
from bot.github.pr_runs import import_runs, run_directories
from tests.acceptance.test_import_cmd import HARDWARE_YAML, make_run, metrics_doc
from tests.support.bot_stage import REPO, Stage
from tests.support.paths import SAGELLM_CORPUS
from tests.support.standin import GitHubStandin

# The importer's own hardware file, nested under hardware:, plus what a run never records.
IMPORT_YAML = (
    "hardware:\n"
    + "".join(f"  {line}\n" for line in HARDWARE_YAML.splitlines())
    + "set:\n  model.parameters: 124M\n  model.precision: FP32\nengine: sagellm\n"
)


def _run_files(
    tmp_path: Path, workloads: dict[str, Any], import_yaml: str | None = IMPORT_YAML
) -> dict[str, bytes]:
    run = make_run(tmp_path / "Q1_20260128_001", workloads)
    files = {f"data/submissions/run1/{p.name}": p.read_bytes() for p in sorted(run.iterdir())}
    if import_yaml is not None:
        files["data/submissions/run1/import.yaml"] = import_yaml.encode()
    return files


def test_run_directories_are_the_folders_with_a_config() -> None:
    paths = [
        "data/submissions/a/config.json",
        "data/submissions/a/Q1_metrics.json",
        "data/submissions/e.json",
    ]
    assert run_directories(paths) == {"data/submissions/a"}


def test_a_two_workload_run_becomes_two_entries(tmp_path: Path) -> None:
    documents, findings = import_runs(
        _run_files(tmp_path, {"Q1": metrics_doc(), "Q2": metrics_doc()}), "alice", Config()
    )
    assert [f for f in findings if f.severity == "error"] == []
    assert [d.file for d in documents] == [
        "data/submissions/run1 (workload Q1)",
        "data/submissions/run1 (workload Q2)",
    ]
    q1, q2 = (d.data for d in documents)
    assert (q1["workload"]["input_length"], q1["workload"]["output_length"]) == (32, 64)
    assert (q2["workload"]["input_length"], q2["workload"]["output_length"]) == (512, 128)
    assert q1["metadata"]["submitter"] == "alice"
    assert q1["hardware"]["chip_model"] == "A100-80GB"
    assert q1["engine"] == "sagellm"
    again, _ = import_runs(_run_files(tmp_path / "again", {"Q1": metrics_doc()}), "alice", Config())
    assert again[0].data["entry_id"] == q1["entry_id"]  # stable ids: a re-push keeps the entry


def test_missing_information_is_reported_against_the_run(tmp_path: Path) -> None:
    documents, findings = import_runs(
        _run_files(tmp_path, {"Q1": metrics_doc()}, import_yaml=None), "alice", Config()
    )
    assert documents == []
    assert {f.rule for f in findings} == {"LB501"}
    assert all(f.file == "data/submissions/run1" for f in findings)
    assert any("hardware.vendor" in f.message for f in findings)


def test_unknown_import_keys_are_refused_on_their_line(tmp_path: Path) -> None:
    text = "engine: sagellm\nhardwre: {}\n"
    _, findings = import_runs(_run_files(tmp_path, {"Q1": metrics_doc()}, text), "alice", Config())
    assert [(f.rule, f.file, f.line, f.column) for f in findings] == [
        ("LB501", "data/submissions/run1/import.yaml", 2, 1)
    ]
    assert "'hardwre'" in findings[0].message
    assert "did you mean 'hardware'?" in findings[0].message
    assert findings[0].path == "$.hardwre"


def test_import_yaml_cannot_name_another_submitter(tmp_path: Path) -> None:
    # Without hardware: the author layer once landed below import.yaml's, so set: won.
    text = "set:\n  metadata.submitter: mallory\n"
    _, findings = import_runs(_run_files(tmp_path, {"Q1": metrics_doc()}, text), "alice", Config())
    (finding,) = [f for f in findings if f.file.endswith("import.yaml")]
    assert (finding.severity, finding.line, finding.path) == ("error", 2, '$.set["metadata.submitter"]')
    assert "the submitter of a pull request is its author" in finding.message


def test_measurements_in_import_yaml_are_refused(tmp_path: Path) -> None:
    text = IMPORT_YAML + "  metrics.ttft_ms: 0.001\n"
    text = text.replace("engine: sagellm\n", "") + "engine: sagellm\n"
    documents, findings = import_runs(_run_files(tmp_path, {"Q1": metrics_doc()}, text), "alice", Config())
    assert documents == []
    (finding,) = findings
    assert finding.path == '$.set["metrics.ttft_ms"]'
    assert "is a measurement" in finding.message


def test_a_misspelt_field_is_a_warning_and_the_run_is_still_imported(tmp_path: Path) -> None:
    text = IMPORT_YAML.replace("engine: sagellm\n", "") + "  model.paramters: 124M\nengine: sagellm\n"
    documents, findings = import_runs(_run_files(tmp_path, {"Q1": metrics_doc()}, text), "alice", Config())
    assert len(documents) == 1
    assert documents[0].data["metadata"]["submitter"] == "alice"
    (warning,) = [f for f in findings if f.file.endswith("import.yaml")]
    assert warning.severity == "warning"
    assert "did you mean 'parameters'?" in warning.message
    assert (warning.line, warning.column) == (13, 3)


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def test_a_results_pr_with_a_run_directory_is_checked_and_merged(stage: Stage, tmp_path: Path) -> None:
    files = _run_files(tmp_path, {"Q1": metrics_doc(), "Q2": metrics_doc()})
    number = stage.open_pr(files)
    run = stage.pr_event(number)
    assert run.code == 0, run.summary
    (comment,) = stage.bot_comments(number)
    assert "2 new entries" in comment["body"]
    assert "| `data/submissions/run1 (workload Q1)` |" in comment["body"]  # the From column names the run
    merged = stage.approve(number, "maint")
    assert merged.code == 0, merged.summary
    lengths = [
        (e["workload"]["input_length"], e["workload"]["output_length"]) for e in stage.main_entries()[-2:]
    ]
    assert lengths == [(32, 64), (512, 128)]
    assert stage.srv.read_file(REPO, "data/submissions/run1/config.json", "main") is None


def _corpus_files(run: str, import_yaml: str = "set:\n  model.parameters: 1M\n") -> dict[str, bytes]:
    folder = SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / run
    files = {f"data/submissions/{run}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}
    files[f"data/submissions/{run}/import.yaml"] = import_yaml.encode()
    return files


def test_a_real_run_directory_needs_only_what_the_tool_does_not_record() -> None:
    documents, findings = import_runs(_corpus_files("all_20261201_001"), "alice", Config())
    assert [f for f in findings if f.severity == "error"] == []
    assert len(documents) == 8
    export = json.loads(
        (
            SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / "all_20261201_001" / "Q5_leaderboard.json"
        ).read_text()
    )
    q5 = documents[4].data
    assert documents[4].file == "data/submissions/all_20261201_001 (workload Q5)"
    assert q5["hardware"] == export["hardware"]  # detected by the tool, from the run's own export
    assert q5["workload"]["concurrent_requests"] == 10
    assert q5["metadata"]["submitter"] == "alice"
    assert any(f.rule == "LB504" and f.severity == "warning" and "FP32" in f.message for f in findings)


def test_a_real_failed_run_in_a_pr_is_an_error_without_a_made_up_fix() -> None:
    documents, findings = import_runs(_corpus_files("Q2_20261201_001"), "alice", Config())
    assert documents == []
    (finding,) = [f for f in findings if f.severity == "error"]
    assert (finding.rule, finding.file) == ("LB501", "data/submissions/Q2_20261201_001")
    assert "workload Q2 produced no entry: no request completed" in finding.message
    assert "--set" not in finding.message


def test_problems_in_a_pr_run_name_its_files_as_the_pull_request_does(tmp_path: Path) -> None:
    """The PR's files are read from memory: messages name the repository path, never a temporary folder."""
    files = _run_files(tmp_path, {"Q1": metrics_doc(), "Q2": metrics_doc()})
    files["data/submissions/run1/Q2_metrics.json"] = b'{"metrics": {"ttft_ms": 1,}}'
    documents, findings = import_runs(files, "alice", Config())
    assert [d.file for d in documents] == ["data/submissions/run1 (workload Q1)"]
    messages = [f.message for f in findings]
    assert any(
        m.startswith("data/submissions/run1/Q2_metrics.json:1:") and "invalid JSON" in m for m in messages
    )
    assert not any(str(tmp_path) in m or "/tmp" in m for m in messages), messages
