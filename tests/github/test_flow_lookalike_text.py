"""Issue 12, case 5 (second half): lookalike text in an identifying field is refused by name.

A fork's results PR whose model.name hides a zero-width space, a Cyrillic homoglyph or an RTL override
goes through the stand-in with real payloads; the bot labels it invalid, and the comment and the check
run's annotation name the code point and its position, on the field's line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.merge_stage import main_text, open_results_pr
from tests.support.standin import GitHubStandin

# (model.name, what the message names): the demonstrations of issue 12 and one for each script trick.
CASES = [
    ("Qwen2.5-7B-\u200bInstruct", "U+200B ZERO WIDTH SPACE, an invisible character, at character 12 of 20"),
    ("Qw\u0435n2.5-7B-Instruct", 'U+0435 CYRILLIC SMALL LETTER IE at character 3 (in "Qwеn2") among Latin'),
    ("Qwen2.5-7B-Instruct\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control character"),
    ("Qwen2.5-7В-Instruct", "U+0412 CYRILLIC CAPITAL LETTER VE at character 10 (in"),  # a one-letter word
]


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _model_name_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if '"name":' in line)


@pytest.mark.parametrize(("name", "named"), CASES)
def test_a_fork_pr_with_lookalike_text_in_the_model_name_is_invalid(
    stage: Stage, name: str, named: str
) -> None:
    text = as_file(entry(model__name=name))
    before = main_text(stage)
    number = open_results_pr(stage, "fork", {"data/submissions/h100.json": text})
    run = stage.pr_event(number)
    assert run.code == 1
    assert run.outputs["valid"] == "false"
    labels = {label["name"] for label in stage.srv.issue(REPO, number)["labels"]}
    assert labels == {"leaderboard: invalid"}
    (comment,) = stage.bot_comments(number)
    body = comment["body"].replace("\\", "")  # Markdown escapes
    line = _model_name_line(text)
    assert f"`data/submissions/h100.json:{line}:13`" in body
    assert f"model.name {'mixes scripts' if 'CYRILLIC' in named else 'holds'}" in body
    assert named in body
    assert "(LB113)" in body
    hidden = [char for char in name if char in "\u200b\u202e"]
    for char in hidden:  # the comment shows the hidden character, it does not carry it
        assert f"⟨U+{ord(char):04X}⟩" in comment["body"]
        assert f"{name.split(char)[0][-2:]}{char}" not in body
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    (check,) = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head}/check-runs")["check_runs"]
    assert check["conclusion"] == "failure"
    notes = stage.srv.api("admin").get(f"/repos/{REPO}/check-runs/{check['id']}/annotations")
    assert [(a["path"], a["start_line"], a["title"]) for a in notes] == [
        ("data/submissions/h100.json", line, "LB113 lookalike-text")
    ]
    assert main_text(stage) == before


def test_other_scripts_are_welcome_in_free_text(stage: Stage) -> None:
    submission = entry(
        metadata__notes="在 H100 上测试 Qwen模型 👩\u200d🔬",
        metadata__submitter="Иван Петров",
    )
    number = open_results_pr(stage, "fork", {"data/submissions/h100.json": as_file(submission)})
    run = stage.pr_event(number)
    assert run.code == 0, stage.bot_comments(number)[0]["body"]
    assert "LB113" not in stage.bot_comments(number)[0]["body"]
