"""Figures the hardening suites leave for ``benchmarks/hardening_report.py``: one JSON file per suite in
``test-output/``, merged across pytest-xdist workers of the same run (a file lock, and a run id so a
previous run's figures are replaced rather than added to)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.paths import ROOT

OUTPUT = ROOT / "test-output"


def run_id() -> str:
    """The same string in every xdist worker of one pytest run (the process id without xdist)."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def merge(name: str, add: dict[str, Any], fixed: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge ``add`` into ``test-output/<name>``: numbers are summed, lists extended, dicts merged
    recursively, anything else replaced; the keys of ``fixed`` are set as they are (figures every
    worker computes alike). Returns the merged figures."""
    path = OUTPUT / name
    with _locked(path):
        try:
            current = json.loads(path.read_text())
        except (OSError, ValueError):
            current = {}
        if current.get("run") != run_id():
            current = {"run": run_id()}
        merged = {**_merge(current, add), **(fixed or {})}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
        tmp.replace(path)
    return merged


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    result = dict(old)
    for key, value in new.items():
        before = result.get(key)
        if isinstance(value, bool) or not isinstance(before, type(value)):
            result[key] = value
        elif isinstance(value, (int, float)):
            result[key] = before + value
        elif isinstance(value, list):
            result[key] = [*before, *value]
        elif isinstance(value, dict):
            result[key] = _merge(before, value)
        else:
            result[key] = value
    return result
