"""``leaderboard-bot import --detect-environment``, run as a real process with fake ``nvidia-smi`` and
``npu-smi`` executables first on PATH (shell scripts that print what the real tools print, with
shell builtins only: PATH holds nothing else)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT, SAGELLM_CORPUS

RUN = SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / "Q1_20261201_001"
NVIDIA_SMI = """#!/bin/sh
if [ "$1" = "--query-gpu=driver_version" ]; then
  printf '550.54.15\\n550.54.15\\n'
  exit 0
fi
echo '+-----------------------------------------------------------------------------------------+'
echo '| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |'
echo '|-----------------------------------------+------------------------+----------------------+'
"""
NPU_SMI = """#!/bin/sh
[ "$1" = "info" ] || exit 2
echo '+------------------------------------------------------------------------------------------------+'
echo '| npu-smi 23.0.6                   Version: 23.0.6                                               |'
echo '+---------------------------+---------------+----------------------------------------------------+'
"""


def _tool(directory: Path, name: str, script: str) -> None:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(script)
    path.chmod(0o755)


def _import(tmp_path: Path, path_dirs: list[Path], **env: str) -> tuple[int, str, dict[str, object]]:
    out = tmp_path / "e.json"
    environ = {key: value for key, value in os.environ.items() if key != "ASCEND_HOME_PATH"}
    environ.update(PATH=os.pathsep.join(str(d) for d in path_dirs), PYTHONPATH=str(ROOT), **env)
    args = [sys.executable, "-m", "bot", "import", str(RUN), "--submitter", "Alice"]
    args += ["--set", "model.parameters=1M", "--detect-environment", "-o", str(out)]
    done = subprocess.run(args, capture_output=True, text=True, env=environ, cwd=tmp_path, check=False)
    report = done.stdout + done.stderr
    entries = json.loads(out.read_text()) if out.exists() else [{}]
    return done.returncode, report, entries[0]


def test_nvidia_smi_gives_cuda_and_driver(tmp_path: Path) -> None:
    _tool(tmp_path / "bin", "nvidia-smi", NVIDIA_SMI)
    code, report, entry = _import(tmp_path, [tmp_path / "bin"])
    assert code == 0, report
    env = entry["environment"]
    assert isinstance(env, dict)
    assert env["cuda_version"] == "12.4"
    assert env["driver_version"] == "550.54.15"
    assert env["os"] == f"{platform.system()} {platform.release()}"
    assert env["python_version"] == platform.python_version()
    assert (
        'from --detect-environment: nvidia-smi (CUDA Version in its header): environment.cuda_version="12.4"'
        in report
    )
    assert (
        "from --detect-environment: nvidia-smi --query-gpu=driver_version --format=csv,noheader: "
        'environment.driver_version="550.54.15"'
    ) in report
    assert "from --detect-environment: platform.python_version():" in report


def test_npu_smi_and_the_cann_toolkit(tmp_path: Path) -> None:
    _tool(tmp_path / "bin", "npu-smi", NPU_SMI)
    toolkit = tmp_path / "Ascend" / "ascend-toolkit" / "latest"
    (toolkit / "aarch64-linux").mkdir(parents=True)
    info = toolkit / "aarch64-linux" / "ascend_toolkit_install.info"
    info.write_text("package_name=Ascend-cann-toolkit\nversion=8.0.RC1\narch=aarch64\n")
    code, report, entry = _import(tmp_path, [tmp_path / "bin"], ASCEND_HOME_PATH=str(toolkit))
    assert code == 0, report
    env = entry["environment"]
    assert isinstance(env, dict)
    assert (env["driver_version"], env["cann_version"]) == ("23.0.6", "8.0.RC1")
    assert f'from --detect-environment: {info}: environment.cann_version="8.0.RC1"' in report
    assert 'npu-smi info (Version in its header): environment.driver_version="23.0.6"' in report


def test_without_the_tools_each_missing_value_is_said(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, report, entry = _import(tmp_path, [tmp_path / "empty"])
    assert code == 0, report
    env = entry["environment"]
    assert isinstance(env, dict)
    assert env["driver_version"] is None
    assert (
        "note: environment.cuda_version: not detected (neither nvidia-smi nor npu-smi is on PATH)" in report
    )
    # The run's own export still gives what it detected; this machine's platform overrides the OS.
    assert env["os"] == f"{platform.system()} {platform.release()}"
