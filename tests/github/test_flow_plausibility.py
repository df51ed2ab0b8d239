"""Plausibility (LB6xx) through every path: `validate` and `submit` as a user runs them, and a
results pull request against the GitHub stand-in (PyGithub over HTTP, real payloads)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bot_stage import REPO, Stage, as_file
from tests.support.paths import ROOT
from tests.support.standin import GitHubStandin
from tests.unit.contract.test_plausibility import thirteen_b_on_a100

FLOOR_LINE = "tpot\\_ms 1 ms is 12\\.8× below the decode floor of 12\\.8 ms"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "bot", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, check=False)


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    path = tmp_path / "13b.json"
    path.write_text(json.dumps(thirteen_b_on_a100(), indent=2))
    return path


def test_validate_command_warns_with_the_bound(submission: Path) -> None:
    done = _cli("validate", str(submission), "--verbose", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr  # warnings do not fail validate
    assert "$.metrics.tpot_ms: tpot_ms 1 ms is 12.8× below the decode floor of 12.8 ms" in done.stdout
    assert "[LB601]" in done.stdout
    assert "0 errors, 3 warnings" in done.stdout


def test_submit_command_warns_and_the_comment_has_the_plausibility_line(submission: Path) -> None:
    done = _cli("submit", str(submission), "--dry-run", "--format", "markdown", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "⚠️ **Ready to merge with 3 warnings**" in done.stdout
    assert (
        f"#### Plausibility\n\n- `{thirteen_b_on_a100()['entry_id'][:8]}`: ⚠️ outside bounds: {FLOOR_LINE}"
        in (done.stdout)
    )
    assert "(LB601)" in done.stdout


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def test_a_results_pr_with_an_impossible_tpot_gets_warnings_and_the_plausibility_line(stage: Stage) -> None:
    number = stage.open_pr({"data/submissions/13b.json": as_file(thirteen_b_on_a100())})
    run = stage.pr_event(number)
    assert run.code == 0  # warnings block nothing
    (comment,) = stage.bot_comments(number)
    body = comment["body"]
    assert "⚠️ **Ready to merge with 3 warnings**: 1 new entry." in body
    assert f"⚠️ outside bounds: {FLOOR_LINE}" in body
    assert body.count("(LB601)") == 2  # tpot_ms and tbt_ms
    assert "(LB607)" in body
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    runs = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head}/check-runs")["check_runs"]
    assert [r["conclusion"] for r in runs] == ["success"]


def test_a_plausible_pr_says_within_bounds_and_a_cpu_one_not_checked(stage: Stage) -> None:
    good = json.loads((ROOT / "examples" / "single-gpu.json").read_text())
    cpu = json.loads((ROOT / "examples" / "single-gpu.json").read_text())
    cpu["entry_id"], cpu["hardware"]["chip_model"] = "11111111-2222-4333-8444-555555555555", "CPU"
    number = stage.open_pr(
        {"data/submissions/good.json": as_file(good), "data/submissions/cpu.json": as_file(cpu)}
    )
    run = stage.pr_event(number)
    assert run.code == 0
    (comment,) = stage.bot_comments(number)
    assert "✅ within bounds: tpot\\_ms 8\\.1 ≥ 4\\.18 ms \\(decode floor\\)" in comment["body"]
    assert 'ℹ️ not checked: chip\\_model "CPU" is not in the hardware reference table' in comment["body"]
