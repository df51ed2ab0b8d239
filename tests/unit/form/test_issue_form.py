"""The generated issue form: committed copy up to date, valid for GitHub, in step with the schema."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.form.fields import FIELDS, PASTE, description, options, schema_node
from bot.form.generator import DOCS_URL, FORM_PATH, HEADER, SUBMISSION_LABEL, render_config, render_form
from tests.support.form_render import form
from tests.support.paths import ROOT

CONFIG_PATH = ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"


def test_the_committed_form_is_up_to_date() -> None:
    assert (ROOT / FORM_PATH).read_text(encoding="utf-8") == render_form(), (
        "run `leaderboard-bot issue-form` and commit the result"
    )
    assert CONFIG_PATH.read_text(encoding="utf-8") == render_config()


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-issue-forms", ROOT / FORM_PATH), ("vendor.github-issue-config", CONFIG_PATH)],
)
def test_the_committed_files_are_valid_for_github(schema: str, path: Path) -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_form_says_it_is_generated_and_labels_submissions() -> None:
    text = render_form()
    assert text.startswith("".join(f"# {line}\n" for line in HEADER.split("\n")))
    assert form()["labels"] == [SUBMISSION_LABEL]
    assert form()["title"].startswith("[results]")


def test_fields_follow_the_schema() -> None:
    items = {item["id"]: item for item in form()["body"] if item["type"] != "markdown"}
    assert list(items) == [f.id for f in FIELDS]
    assert len({f.label.casefold() for f in FIELDS}) == len(FIELDS)
    for field in FIELDS:
        attributes = items[field.id]["attributes"]
        assert attributes["label"] == field.label
        assert attributes["description"] == description(field)
        if field.pointer is not None:
            node = schema_node(field.pointer)  # KeyError when the schema lost the property
            if not field.description:
                assert node["description"] in attributes["description"]
        if field.kind == "dropdown":
            enum = schema_node(field.pointer or ())["enum"]
            assert attributes["options"] == enum == list(options(field))
    assert items[PASTE.id]["attributes"]["render"] == "json"
    assert items["confirm"]["attributes"]["options"][0]["required"] is True


def test_a_folder_given_as_the_form_is_named_alone_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message named "submit-results.yml, config.yml" for a folder given as the form: only one failed."""
    out = tmp_path / "submit-results.yml"
    out.mkdir()
    assert main(["issue-form", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"leaderboard-bot: error: {out}: cannot be written (Is a directory); nothing was written "
        "(pass the path of a file in a folder you can write to)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["submit-results.yml"]
    assert list(out.iterdir()) == []


def test_the_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ISSUE_TEMPLATE" / "submit-results.yml"
    assert main(["issue-form", "--out", str(out), "--check"]) == 1
    assert main(["issue-form", "--out", str(out)]) == 0
    assert out.read_text() == render_form()
    assert (out.parent / "config.yml").read_text() == render_config()
    assert main(["issue-form", "--out", str(out), "--check"]) == 0
    (out.parent / "config.yml").write_text("blank_issues_enabled: false\n")
    assert main(["issue-form", "--out", str(out), "--check"]) == 1
    assert "config.yml is stale" in capsys.readouterr().err


@pytest.mark.parametrize("render", [render_form, render_config], ids=["form", "config"])
def test_the_generated_files_name_only_what_an_adopting_repository_has(render: Callable[[], str]) -> None:
    """`leaderboard-bot init` writes both into every adopting repository: no path of this repository's own
    source, no link to this repository; the command that regenerates them and the project's page instead."""
    text = render()
    for own in (
        "bot/form/fields.py",
        "fields.py",
        "intellistream/sagellm-leaderboard",
        "sagellm-leaderboard",
    ):
        assert own not in text
    assert "`leaderboard-bot issue-form`" in text
    assert DOCS_URL in text
