"""requirements/install.sh, the Action's install step, run by bash as the step runs it: a cache miss
installs the locked environment with uv (offline, from .venv/wheelhouse); a hit only re-points the
restored environment at the Action in bash alone; a restored environment whose interpreter is gone
is installed again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.act_stage import WHEELHOUSE, check_wheelhouse
from tests.support.paths import ROOT

SCRIPT = ROOT / "requirements" / "install.sh"
PTH = "leaderboard_bot_action.pth"


def run_script(tmp: Path, venv: Path, *, hit: bool, python: str) -> subprocess.CompletedProcess[str]:
    """The install step with offline installers; ``python`` is setup-python's interpreter."""
    (tmp / "uv.toml").write_text(f'no-index = true\nfind-links = ["{WHEELHOUSE}"]\n')
    env = {
        **os.environ,
        "PYTHON": python,
        "VENV": str(venv),
        "ACTION_PATH": str(ROOT),
        "CACHE_HIT": "true" if hit else "false",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "UV_CONFIG_FILE": str(tmp / "uv.toml"),
        "UV_CACHE_DIR": str(tmp / "uv-cache"),
    }
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment made by the script on a cache miss."""
    check_wheelhouse()
    tmp = tmp_path_factory.mktemp("install")
    venv = tmp / "lb-venv"
    done = run_script(tmp, venv, hit=False, python=getattr(sys, "_base_executable", sys.executable))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "leaderboard-bot: environment installed"
    return venv


def _site(venv: Path) -> Path:
    (site,) = venv.glob("lib/python3.*/site-packages")
    return site


def test_a_miss_installs_an_environment_that_runs_the_bot(installed: Path, tmp_path: Path) -> None:
    assert (_site(installed) / PTH).read_text() == f"{ROOT}\n"
    done = subprocess.run(
        [str(installed / "bin" / "leaderboard-bot"), "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "handle-event" in done.stdout


def test_a_hit_only_repoints_the_environment_without_starting_python(installed: Path, tmp_path: Path) -> None:
    venv = tmp_path / "restored"
    shutil.copytree(installed, venv, symlinks=True)
    (_site(venv) / PTH).write_text("/where/the/action/was/last/time\n")
    (venv / "bin" / "leaderboard-bot").unlink()
    done = run_script(tmp_path, venv, hit=True, python="/nonexistent/python")  # would fail if started
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "leaderboard-bot: environment restored from the cache"
    assert (_site(venv) / PTH).read_text() == f"{ROOT}\n"
    wrapper = (venv / "bin" / "leaderboard-bot").read_text()
    assert wrapper == f'#!/bin/sh\nexec "{venv}/bin/python" -I -m bot "$@"\n'
    wrapper_path = str(venv / "bin" / "leaderboard-bot")
    started = subprocess.run([wrapper_path, "--help"], capture_output=True, check=False)
    assert started.returncode == 0, started.stderr


def test_a_restored_environment_whose_python_is_gone_is_installed_again(tmp_path: Path) -> None:
    check_wheelhouse()
    venv = tmp_path / "lb-venv"
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (venv / "bin").mkdir()
    (venv / "bin" / "python").symlink_to(tmp_path / "gone" / "python3")
    done = run_script(tmp_path, venv, hit=True, python=getattr(sys, "_base_executable", sys.executable))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "leaderboard-bot: environment installed"
    assert (venv / "bin" / "python").resolve().exists()
