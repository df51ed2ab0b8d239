"""Shared helpers for the data-driven cases in tests/cases/: run a case, render its findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.contract.config import Config
from bot.contract.findings import Finding
from bot.contract.validate import Report, validate_inputs
from tests.support.paths import ROOT

CASES = ROOT / "tests" / "cases"
INVALID = CASES / "invalid"
# Cases are checked at a fixed time so that LB203 (future dates) is deterministic.
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)


def case_inputs(case: Path) -> list[tuple[str, bytes]]:
    """(display name, bytes) of a case: one file, or every file of a case folder."""
    if case.is_dir():
        files = sorted(p for p in case.rglob("*") if p.is_file())
        return [(f"{case.name}/{p.relative_to(case)}", p.read_bytes()) for p in files]
    return [(case.name, case.read_bytes())]


def run_case(case: Path, config: Config | None = None) -> Report:
    """Validate a case with the built-in defaults at the fixed time."""
    return validate_inputs(case_inputs(case), config or Config(), NOW)


def finding_line(f: Finding) -> str:
    """The pinned form of a finding: position, severity, path, message and rule."""
    return f"{f.file}:{f.line}:{f.column}: {f.severity}: {f.path}: {f.message} [{f.rule}]"


def expected_path(case: Path) -> Path:
    """Where a case's expected findings live: beside it, with the suffix .expected."""
    return case.parent / f"{case.name}.expected"


def invalid_cases() -> list[Path]:
    """Every invalid case: files and folders in tests/cases/invalid/ except the expectations."""
    return sorted(p for p in INVALID.iterdir() if not p.name.endswith(".expected"))


if __name__ == "__main__":
    # Writes the expectation files from the current behaviour: review every diff before committing.
    for case in invalid_cases():
        lines = [finding_line(f) for f in run_case(case).findings]
        expected_path(case).write_text("\n".join(lines) + "\n", encoding="utf-8")
