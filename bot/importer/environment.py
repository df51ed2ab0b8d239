"""``--detect-environment``: the environment of the machine the import runs on (meant to be the one
that ran the benchmark), each value with where it came from.

OS and Python from ``platform``; PyTorch from the installed package's metadata (never imported);
CUDA and the NVIDIA driver from ``nvidia-smi``, the Ascend driver from ``npu-smi info`` and CANN
from the toolkit's ``ascend_toolkit_install.info`` under ``$ASCEND_HOME_PATH`` (set by CANN's
set_env.sh) — each only when present. The tools are run with a timeout and without a shell.
"""

from __future__ import annotations

import glob
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
from dataclasses import dataclass

MSG_NOT_FOUND = "environment.{key}: not detected ({why})"
_TIMEOUT_S = 10
_CUDA = re.compile(r"CUDA Version:\s*([0-9][0-9.]*)")
_NPU_VERSION = re.compile(r"Version:\s*([0-9][\w.\-]*)")


@dataclass(frozen=True)
class Detected:
    """One detected environment value and its source, e.g. ("driver_version", "535.104.05", "nvidia-smi")."""

    key: str
    value: str
    source: str


@dataclass
class Detection:
    """What was detected, and a note for each value that was looked for but not found."""

    values: list[Detected]
    missing: list[str]


def detect_environment() -> Detection:
    """Detect OS, Python, PyTorch, CUDA/CANN and driver versions of this machine."""
    found = Detection([], [])
    found.values.append(
        Detected("os", f"{platform.system()} {platform.release()}", "platform.system() platform.release()")
    )
    found.values.append(Detected("python_version", platform.python_version(), "platform.python_version()"))
    try:
        torch = importlib.metadata.version("torch")
        found.values.append(
            Detected("pytorch_version", torch, "installed package torch (importlib.metadata)")
        )
    except importlib.metadata.PackageNotFoundError:
        found.missing.append(
            MSG_NOT_FOUND.format(key="pytorch_version", why="the torch package is not installed")
        )
    nvidia = _nvidia(found)
    npu = _ascend(found)
    if not (nvidia or npu):
        why = "neither nvidia-smi nor npu-smi is on PATH"
        found.missing += [MSG_NOT_FOUND.format(key=k, why=why) for k in ("cuda_version", "driver_version")]
    return found


def _run(tool: str, *args: str) -> str | None:
    """The output of ``tool args`` when it is on PATH and succeeds, else None."""
    path = shutil.which(tool)
    if path is None:
        return None
    try:
        done = subprocess.run(
            [path, *args], capture_output=True, text=True, timeout=_TIMEOUT_S, check=False, shell=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _nvidia(found: Detection) -> bool:
    header = _run("nvidia-smi")
    if header is None:
        return False
    cuda = _CUDA.search(header)
    if cuda:
        found.values.append(
            Detected("cuda_version", cuda.group(1), "nvidia-smi (CUDA Version in its header)")
        )
    else:
        found.missing.append(MSG_NOT_FOUND.format(key="cuda_version", why="nvidia-smi shows no CUDA Version"))
    driver = _run("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader")
    first = driver.strip().splitlines()[0].strip() if driver and driver.strip() else ""
    if first:
        found.values.append(
            Detected("driver_version", first, "nvidia-smi --query-gpu=driver_version --format=csv,noheader")
        )
    return True


def _ascend(found: Detection) -> bool:
    info = _run("npu-smi", "info")
    if info is None:
        return False
    version = _NPU_VERSION.search(info)
    if version:
        found.values.append(
            Detected("driver_version", version.group(1), "npu-smi info (Version in its header)")
        )
    cann = _cann_version()
    if cann is not None:
        found.values.append(Detected("cann_version", cann[0], cann[1]))
    else:
        why = "no ascend_toolkit_install.info under $ASCEND_HOME_PATH; source CANN's set_env.sh first"
        found.missing.append(MSG_NOT_FOUND.format(key="cann_version", why=why))
    return True


def _cann_version() -> tuple[str, str] | None:
    home = os.environ.get("ASCEND_HOME_PATH")
    if not home:
        return None
    for path in sorted(glob.glob(os.path.join(home, "*-linux", "ascend_toolkit_install.info"))):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    key, _, value = line.partition("=")
                    if key.strip() == "version" and value.strip():
                        return value.strip(), path
        except OSError:
            continue
    return None
