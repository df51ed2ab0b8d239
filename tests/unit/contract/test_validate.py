"""The validation pipeline over the data-driven cases, the examples and the real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.contract.config import Config, load_config
from bot.contract.validate import validate_inputs
from bot.fs import read_inputs
from tests.support.cases_support import CASES, NOW, expected_path, finding_line, invalid_cases, run_case
from tests.support.paths import ROOT, UPSTREAM

CONFIG_FILE = ROOT / ".github" / "leaderboard-bot.yml"


@pytest.mark.parametrize("case", invalid_cases(), ids=lambda p: p.name)
def test_invalid_case_raises_exactly_the_expected_findings(case: Path) -> None:
    report = run_case(case)
    expected = expected_path(case).read_text(encoding="utf-8").splitlines()
    assert [finding_line(f) for f in report.findings] == expected
    assert report.findings, "an invalid case must raise at least one finding"
    for finding in report.findings:
        assert finding.hint, f"{finding_line(finding)} has no hint"
        assert finding.line
        assert finding.column


def test_every_invalid_case_has_an_expectation() -> None:
    for case in invalid_cases():
        assert expected_path(case).is_file(), f"{case.name} has no .expected file beside it"


def test_examples_are_valid_without_warnings() -> None:
    examples = ROOT / "examples"
    report = validate_inputs(read_inputs([str(examples)]), Config(), NOW)
    assert report.findings == []
    assert report.entries >= 4
    shapes = {json.loads(p.read_text())["config_type"] for p in examples.glob("*.json")}
    assert shapes == {"single_gpu", "multi_gpu", "multi_node"}


def _real_report() -> list[str]:
    config, problems = load_config(str(CONFIG_FILE.relative_to(ROOT)), CONFIG_FILE.read_bytes())
    assert problems == []
    inputs = [
        (f"data/{name}", (ROOT / "data" / name).read_bytes())
        for name in sorted(("leaderboard_single.json", "leaderboard_multi.json"))
    ]
    report = validate_inputs(inputs, config, NOW)
    assert report.entries == 48
    assert report.errors == [], "the real data must have no unwaived errors"
    return [("waived: " if f.waived else "") + finding_line(f) for f in report.findings]


def test_real_data_raises_exactly_the_pinned_findings() -> None:
    pinned = (CASES / "real-data.expected").read_text(encoding="utf-8").splitlines()
    assert _real_report() == pinned


def test_real_data_waivers_cover_the_zero_metric_entries() -> None:
    lines = _real_report()
    waived = [line for line in lines if line.startswith("waived: ") and "[LB201]" in line]
    assert len(waived) == 82
    entries = json.loads((ROOT / "data" / "leaderboard_single.json").read_text())
    zero = [e for e in entries if e["metrics"]["ttft_ms"] == 0 and e["metrics"]["throughput_tps"] == 0]
    assert len(zero) == 16
    assert all(e["metrics"]["error_rate"] == 0 for e in zero)


def test_data_files_are_byte_identical_to_upstream() -> None:
    real = UPSTREAM
    assert (ROOT / "data" / "leaderboard_single.json").read_bytes() == (
        real / "upstream-leaderboard_single.2026-03-18.json"
    ).read_bytes()
    assert (ROOT / "data" / "leaderboard_multi.json").read_bytes() == (
        real / "upstream-leaderboard_multi.2026-03-03.json"
    ).read_bytes()


def test_all_files_are_checked_before_reporting() -> None:
    inputs = [(case.name, case.read_bytes()) for case in invalid_cases() if case.is_file()]
    report = validate_inputs(inputs, Config(), NOW)
    assert {f.file for f in report.findings} == {name for name, _ in inputs}


def test_size_limit_applies_to_submissions_not_data_files() -> None:
    raw = (ROOT / "data" / "leaderboard_single.json").read_bytes()
    small = Config(max_submission_bytes=1000)
    as_submission = validate_inputs([("submission.json", raw)], small, NOW)
    assert [f.rule for f in as_submission.findings] == ["LB007"]
    as_data = validate_inputs([("data/leaderboard_single.json", raw)], small, NOW)
    assert "LB007" not in {f.rule for f in as_data.findings}
