"""The import rules of docs/ARCHITECTURE.md hold, and import-linter would catch a wrong import."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
TOP_LEVEL_LIMIT = 10  # packages and modules; __init__, __main__ and py.typed are packaging


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _broken(report: str) -> list[str]:
    """Names of the broken contracts in lint-imports' listing (which wraps long names)."""
    listing = report.split("Contracts:")[0].split("dependencies.")[-1]
    flat = " ".join(line.strip() for line in listing.splitlines() if line.strip() and set(line) != {"-"})
    return [
        name.strip()
        for name, state in re.findall(r"(.+?) (KEPT|BROKEN)(?: \(\d+ ignored imports?\))?", flat)
        if state == "BROKEN"
    ]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "bot", root / "bot", ignore=shutil.ignore_patterns("__pycache__", "schemas"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_contracts_hold_on_the_package() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("bot/contract/findings.py", "import bot.ledger.merge", "Packages import only downward"),
        ("bot/render/comment.py", "import bot.importer.model", "Packages import only downward"),
        ("bot/ledger/merge.py", "import github", "Only bot.github.api imports PyGithub"),
        ("bot/github/landing.py", "import bot.cli.main", "Nothing imports the command line"),
        ("bot/site/build.py", "import argparse", "Only bot.cli sees argparse"),
        ("bot/ledger/splice.py", "import tempfile", "The pure packages touch no disk"),
        ("bot/github/issue.py", "import bot.github.pull_request", "Event handlers do not import each other"),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, bad_import: str, contract: str
) -> None:
    root = _copy(tmp_path)
    target = root / module
    text = target.read_text(encoding="utf-8")
    head, _, rest = text.partition("from __future__ import annotations\n")
    target.write_text(f"{head}from __future__ import annotations\n\n{bad_import}  # noqa\n{rest}", "utf-8")
    result = _lint(root)
    assert result.returncode == 1, result.stdout
    assert any(name.startswith(contract) for name in _broken(result.stdout)), result.stdout
    assert f"{bad_import.split()[-1]} (l." in result.stdout  # the report names the offending import


def test_the_package_has_few_top_level_entries() -> None:
    entries = sorted(
        p.name
        for p in (ROOT / "bot").iterdir()
        if p.name not in ("__init__.py", "__main__.py", "py.typed", "__pycache__")
    )
    assert len(entries) <= TOP_LEVEL_LIMIT, entries
