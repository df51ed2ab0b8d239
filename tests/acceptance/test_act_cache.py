"""The act tier (slow): the Action's cached environment across two PR checks on one runner store. The
first run installs it and the cache's post step saves it; the second restores it where the first
left it ($RUNNER_TEMP, outside the workspace, as actions/cache does) and its install step only
re-points it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.act_stage import ActStage, check_wheelhouse
from tests.support.bot_stage import as_file, entry
from tests.support.standin import GitHubStandin

INSTALLED = "leaderboard-bot: environment installed"
RESTORED = "leaderboard-bot: environment restored from the cache"


def test_the_second_run_restores_the_environment_and_installs_nothing(
    github_standin: GitHubStandin, tmp_path: Path
) -> None:
    check_wheelhouse()
    stage = ActStage(github_standin, tmp_path / "stage", store=tmp_path / "store")
    logs = []
    for index in range(2):
        item = entry(entry_id=f"{index:08x}-0000-4000-8000-00000000cafe")
        number = stage.open_pr({f"data/submissions/c{index}.json": as_file(item)}, branch=f"c{index}")
        run = stage.act("pull_request_target", stage.pr_payload(number), "leaderboard.yml")
        assert run.jobs == {"validate": "success"}, run.log[-3000:]
        logs.append(run.log)
        if index == 0:  # a fresh runner for the second job: only the store (the cache) is shared
            for stale in (tmp_path / "stage").glob("act-cache/*/tmp"):
                assert (stale / "lb-venv").is_dir()
                shutil.rmtree(stale)
    assert INSTALLED in logs[0]
    assert RESTORED not in logs[0]
    assert "Cache saved with key: leaderboard-bot-venv-" in logs[0]
    assert RESTORED in logs[1]
    assert INSTALLED not in logs[1]
    assert "Cache restored from key: leaderboard-bot-venv-" in logs[1]
