"""The field reference is generated, and a stale copy fails the build; the README's sample output is what
the command prints."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.cli import docs
from bot.cli.main import build_parser, main
from bot.contract.ruletable import RULES
from bot.contract.schema_check import load_schema
from bot.render.field_reference import render
from tests.support.paths import ROOT

COMMITTED = ROOT / "docs" / "FIELD_SPECIFICATION.md"
# A README block of sample output: ```text, then "$ leaderboard-bot ARGS", then exactly what it prints.
SAMPLE = re.compile(r"^```text\n\$ leaderboard-bot ([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def readme_samples() -> list[tuple[str, str]]:
    """(arguments, printed output) of every sample run the README shows."""
    return SAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


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


def test_the_readme_shows_a_sample_run() -> None:
    assert readme_samples(), "the README's Validating section shows a sample run of leaderboard-bot"


@pytest.mark.parametrize(("arguments", "shown"), readme_samples())
def test_a_sample_run_in_the_readme_prints_what_the_readme_shows(
    arguments: str, shown: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the repository's root, as a reader would (its config file applies)."""
    monkeypatch.chdir(ROOT)
    main(shlex.split(arguments))
    assert capsys.readouterr().out == shown, "the README's sample output is stale: paste the command's output"


def command_options() -> list[tuple[str, str]]:
    """(command, long option) of every option of every command, as ``--help`` lists them."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [
        (name, option)
        for name, command in commands.choices.items()
        for action in command._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def test_the_readme_names_every_option_of_every_command() -> None:
    """import's --engine, --engine-version and --output were in --help only."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = command_options()
    assert ("import", "--engine-version") in options
    missing = [f"{name} {option}" for name, option in options if not re.search(f"{option}(?![\\w-])", readme)]
    assert missing == [], "document these options in the README's section of their command"


def test_the_readme_names_every_input_and_output_of_the_action() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
    names = [*action["inputs"], *action["outputs"]]
    assert {"config", "install-only", "preview"} <= set(names)
    assert [name for name in names if f"`{name}`" not in readme] == []


def test_the_readme_shows_every_command_in_use() -> None:
    """issue-form was listed by --help only."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert "issue-form" in commands.choices
    assert [name for name in commands.choices if f"leaderboard-bot {name}" not in readme] == []


def _readme_table(header: str) -> list[list[str]]:
    """The rows of the README table whose header line is ``header``, as lists of cells."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_readme_rule_table_covers_every_rule() -> None:
    """LB206, LB207, LB401 and LB402 were missing from its ranges."""
    covered: set[str] = set()
    for ids, _ in _readme_table("| Ids | What |"):
        first, _, last = ids.partition("–")
        assert first in RULES, ids
        assert not last or last in RULES, ids
        covered |= {rule for rule in RULES if first <= rule <= (last or first)}
    assert sorted(set(RULES) - covered) == []


def test_the_readme_permissions_table_is_what_the_workflows_grant() -> None:
    """It once gave the merge and relay jobs contents: write and checks: write they do not have."""
    granted: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / ".github" / "workflows").glob("leaderboard*.yml")):
        workflow = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for job, body in workflow["jobs"].items():
            assert granted.setdefault(job, body["permissions"]) == body["permissions"], (path, job)
    shown: dict[str, dict[str, str]] = {}
    for jobs, permissions, _ in _readme_table("| Job | Permissions | What for |"):
        scopes = dict(pair.split(": ") for pair in permissions.split(", "))
        shown.update(dict.fromkeys(jobs.split(", "), scopes))
    assert shown == granted
