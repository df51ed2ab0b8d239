"""The field reference is generated, and a stale copy fails the build."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli import docs
from bot.contract.ruletable import RULES
from bot.contract.schema_check import load_schema
from bot.render.field_reference import render
from tests.support.paths import ROOT

COMMITTED = ROOT / "docs" / "FIELD_SPECIFICATION.md"


def test_committed_reference_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(load_schema()), (
        "docs/FIELD_SPECIFICATION.md is stale: run `leaderboard-bot docs` and commit it"
    )


def test_reference_lists_every_rule_and_field() -> None:
    text = render(load_schema())
    for rule_id in RULES:
        assert f"| {rule_id} |" in text
    for field in ("`metrics.ttft_ms`", "`cluster.parallelism.tensor_parallel`", "`metadata.submitted_at`"):
        assert field in text


def test_check_mode_detects_staleness(tmp_path: Path) -> None:
    target = tmp_path / "FIELDS.md"
    target.write_text("old\n")
    assert docs.run(argparse.Namespace(out=str(target), check=True)) == 1
    assert docs.run(argparse.Namespace(out=str(target), check=False)) == 0
    assert docs.run(argparse.Namespace(out=str(target), check=True)) == 0


def test_a_folder_given_as_the_output_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--out DIR`` once ended in an IsADirectoryError traceback; now it says so and writes nothing."""
    folder = tmp_path / "out"
    folder.mkdir()
    assert docs.run(argparse.Namespace(out=str(folder), check=False)) == 2
    assert f"{folder}: cannot be written (Is a directory); nothing was written" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_check_mode_names_a_missing_file_as_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "FIELDS.md"
    assert docs.run(argparse.Namespace(out=str(target), check=True)) == 1
    assert f"{target} is missing: run `leaderboard-bot docs` and commit the result" in capsys.readouterr().err
