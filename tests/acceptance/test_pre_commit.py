"""The pre-commit hooks, run by the real pre-commit tool against a temporary repository.

pre-commit installs this repository into its own virtual environment, as it does for any user; the
wheels come from the wheelhouse that ``tests/run.sh`` builds, so the test needs no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SAGELLM_CORPUS

WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
MSG_NO_WHEELHOUSE = f"{WHEELHOUSE} is missing: `bash tests/run.sh` builds it (pip wheel -w it . setuptools)"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook environment is built once per revision."""
    assert WHEELHOUSE.is_dir(), MSG_NO_WHEELHOUSE
    return tmp_path_factory.mktemp("pre-commit-home")


def _repository(tmp_path: Path) -> Path:
    """A leaderboard repository with the real data files and one valid submission, committed."""
    repo = tmp_path / "site"
    (repo / "data" / "submissions").mkdir(parents=True)
    for name in ("leaderboard_single.json", "leaderboard_multi.json"):
        shutil.copy(ROOT / "data" / name, repo / "data" / name)
    shutil.copy(ROOT / ".github" / "leaderboard-bot.yml", repo / "leaderboard-bot.yml")
    (repo / ".github").mkdir()
    (repo / "leaderboard-bot.yml").rename(repo / ".github" / "leaderboard-bot.yml")
    shutil.copy(ROOT / "examples" / "single-gpu.json", repo / "data" / "submissions" / "h100.json")
    # A committed benchmark run directory: its files are not entries, the hooks leave it to the PR check.
    run = repo / "data" / "submissions" / "run1"
    shutil.copytree(SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / "Q3_20261202_001", run)
    (run / "import.yaml").write_text("set:\n  model.parameters: 1M\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data")
    return repo


def _try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("VIRTUAL_ENV", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--verbose"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_validate_hook_passes_valid_files_and_names_each_problem(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    repo = _repository(tmp_path)
    ok = _try_repo(repo, pre_commit_home, "leaderboard-validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: 3 files, 49 entries: 0 errors" in ok.stdout
    assert "data/submissions/run1: a benchmark run directory" in ok.stdout
    bad = json.loads((repo / "data" / "submissions" / "h100.json").read_text())
    bad["metrics"]["error_rate"] = 15
    (repo / "data" / "submissions" / "h100.json").write_text(json.dumps(bad, indent=2) + "\n")
    failed = _try_repo(repo, pre_commit_home, "leaderboard-validate")
    assert failed.returncode == 1, failed.stdout
    assert (
        "data/submissions/h100.json:35:19: error: $.metrics.error_rate: 15 is greater than the maximum of 1"
        in failed.stdout
    )


def test_submit_hook_checks_submissions_against_the_data_files(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = _repository(tmp_path)
    ok = _try_repo(repo, pre_commit_home, "leaderboard-submit-check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "✅ Ready to merge: 1 new entry." in ok.stdout
    assert "data/submissions/run1: a benchmark run directory" in ok.stdout
    published = json.loads((repo / "data" / "leaderboard_single.json").read_text())[0]["entry_id"]
    duplicate = json.loads((repo / "data" / "submissions" / "h100.json").read_text())
    duplicate["entry_id"] = published
    (repo / "data" / "submissions" / "h100.json").write_text(json.dumps(duplicate, indent=2) + "\n")
    failed = _try_repo(repo, pre_commit_home, "leaderboard-submit-check")
    assert failed.returncode == 1, failed.stdout
    assert "[LB302]" in failed.stdout
