"""The seed's documented flow, a PR that appends an entry to the data file: every finding carries the line
and column of the PR head's text, in the comment and the check run's annotations, as ``validate`` says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.support.bot_stage import REPO, Stage, entry
from tests.support.merge_stage import KINDS, head, open_results_pr
from tests.support.standin import GitHubStandin

DATA = "data/leaderboard_single.json"


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_an_appended_invalid_entry_is_pinned_to_its_line(
    stage: Stage, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = stage.main_entries()
    entries.append(entry(metrics__error_rate=3))
    text = json.dumps(entries, indent=2) + "\n"
    line = text.splitlines().index('      "error_rate": 3,') + 1
    column = len('      "error_rate": ') + 1
    number = open_results_pr(stage, kind, {DATA: text})
    run = stage.pr_event(number)
    assert run.code == 1
    body = stage.bot_comments(number)[0]["body"]
    assert f"`{DATA}:{line}:{column}` `$[47].metrics.error_rate`" in body
    assert f"{DATA}:1:1" not in body
    (check,) = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head(stage, number)}/check-runs")[
        "check_runs"
    ]
    annotations = stage.srv.api("admin").get(f"/repos/{REPO}/check-runs/{check['id']}/annotations")
    assert [(a["path"], a["start_line"]) for a in annotations] == [(DATA, line)]
    local = tmp_path / "data"
    local.mkdir()
    (local / "leaderboard_single.json").write_text(text)
    main(["validate", str(local / "leaderboard_single.json")])
    printed = capsys.readouterr()
    assert re.search(rf"leaderboard_single\.json:{line}:{column}\b", printed.out + printed.err)
