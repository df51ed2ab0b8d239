"""``leaderboard-bot sync`` from the command line: the dry run against a local data directory, the
pull request through the GitHub API, and the misuse that exits 2 — all against the Hub stand-in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.support.bot_stage import REPO, ROOT, Stage
from tests.support.hub_standin import HubStandin, serve
from tests.support.paths import SAGELLM_CORPUS
from tests.support.standin import GitHubStandin

DATASET = "intellistream/sagellm-benchmark-results"
AGGREGATE = {
    name: (SAGELLM_CORPUS / "hf_data" / name).read_bytes()
    for name in ("leaderboard_single.json", "leaderboard_multi.json")
}


@pytest.fixture
def hub_standin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubStandin]:
    yield from serve(monkeypatch, tmp_path)


def data_dir(tmp_path: Path) -> Path:
    """A copy of the repository's data files."""
    target = tmp_path / "data"
    target.mkdir()
    for name in AGGREGATE:
        shutil.copyfile(ROOT / "data" / name, target / name)
    return target


def sync(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["sync", "--dataset", DATASET, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_dry_run_lists_the_new_entries_and_writes_nothing(
    hub_standin: HubStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = hub_standin.publish(DATASET, AGGREGATE)
    data = data_dir(tmp_path)
    before = {path.name: path.read_bytes() for path in data.iterdir()}
    code, out, err = sync(capsys, "--dry-run", "--data-dir", str(data))
    assert code == 0, out + err
    assert f"{DATASET} at {sha} (aggregate files, 12 entries):" in out
    for entry in json.loads(AGGREGATE["leaderboard_single.json"]):
        assert f"+ added {entry['entry_id']}" in out
    assert "LB504" in out
    assert "nothing written" in err
    assert {path.name: path.read_bytes() for path in data.iterdir()} == before


def test_the_dry_run_prints_the_comment_in_markdown(
    hub_standin: HubStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = hub_standin.publish(DATASET, AGGREGATE)
    code, out, _ = sync(capsys, "--dry-run", "--data-dir", str(data_dir(tmp_path)), "--format", "markdown")
    assert code == 0
    assert "#### New entries" in out
    assert f"leaderboard-bot sync --dry-run --revision {sha} --format markdown" in out


def test_a_dataset_already_published_has_nothing_to_sync(
    hub_standin: HubStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = (ROOT / "data" / "leaderboard_single.json").read_bytes()
    multi = (ROOT / "data" / "leaderboard_multi.json").read_bytes()
    hub_standin.publish(DATASET, {"leaderboard_single.json": published, "leaderboard_multi.json": multi})
    code, out, _ = sync(capsys, "--dry-run", "--data-dir", str(data_dir(tmp_path)))
    assert code == 0
    assert "all published already: nothing to sync" in out


def test_an_unknown_revision_is_one_line(
    hub_standin: HubStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub_standin.publish(DATASET, AGGREGATE)
    code, out, err = sync(capsys, "--dry-run", "--data-dir", str(data_dir(tmp_path)), "--revision", "v9")
    assert code == 1
    assert out == ""
    assert (
        err
        == f"leaderboard-bot: error: dataset {DATASET} has no revision v9 (hint: {err.split('(hint: ')[1]}"
    )
    assert len(err.strip().splitlines()) == 1
    assert "--revision or sync.revision" in err  # the flag was given: the hint names it, not only the config


def test_hub_hints_name_the_flags_as_well_as_the_config(
    hub_standin: HubStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(data_dir(tmp_path))
    code, _, err = sync(capsys, "--dry-run", "--data-dir", data, "--dataset", "nobody/none")
    assert code == 1
    assert "check the dataset id (--dataset, or sync.dataset in the config file)" in err
    assert ".github/leaderboard-bot.yml" not in err
    hub_standin.publish(DATASET, AGGREGATE)
    code, _, err = sync(capsys, "--dry-run", "--data-dir", data, "--source", "canonical")
    assert code == 1
    assert "sync.path" not in err  # no such key
    assert "--source or sync.source" in err


def test_without_a_dataset_the_command_says_how_to_name_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .github/leaderboard-bot.yml here
    code = main(["sync", "--dry-run"])
    assert code == 2
    err = capsys.readouterr().err
    assert "pass --dataset OWNER/NAME or add sync.dataset to .github/leaderboard-bot.yml" in err
    (tmp_path / "mine.yml").write_text("rules: {}\n")
    assert main(["sync", "--dry-run", "--config", "mine.yml"]) == 2
    assert "add sync.dataset to mine.yml" in capsys.readouterr().err


def test_without_github_the_command_points_to_the_dry_run(
    hub_standin: HubStandin, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    code, _, err = sync(capsys)
    assert code == 2
    assert "GITHUB_REPOSITORY is not set" in err
    assert "--dry-run" in err
    assert hub_standin.requests == []


def test_the_command_opens_the_sync_pull_request_through_the_api(
    hub_standin: HubStandin,
    github_standin: GitHubStandin,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stage = Stage(github_standin, tmp_path)
    sha = hub_standin.publish(DATASET, AGGREGATE)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    monkeypatch.setenv("GITHUB_TOKEN", stage.token)
    monkeypatch.setenv("GITHUB_API_URL", github_standin.url)
    code, out, err = sync(capsys)
    assert code == 0, out + err
    (pull,) = github_standin.api("admin").get(f"/repos/{REPO}/pulls")
    assert f"Opened #{pull['number']}: 12 entries from {DATASET}" in out
    assert f"sha={sha}" in pull["body"]
    code, out, _ = sync(capsys)
    assert code == 0
    assert "nothing to do" in out


def test_offline_mode_is_named_instead_of_a_network_error(hub_standin: HubStandin, tmp_path: Path) -> None:
    """huggingface_hub reads HF_HUB_OFFLINE when it is imported, so this runs in a fresh process."""
    hub_standin.publish(DATASET, AGGREGATE)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "bot", "sync", "--dataset", DATASET, "--dry-run"]
    command += ["--data-dir", str(data_dir(tmp_path))]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    message = "HF_HUB_OFFLINE is set, but a sync reads the Hub (hint: unset HF_HUB_OFFLINE)"
    assert result.stderr == f"leaderboard-bot: error: {message}\n"
    assert hub_standin.requests == []


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (("--dataset", "a/b/c"), "--dataset 'a/b/c' is not a Hugging Face dataset id"),
        (("--dataset", "../../etc"), "--dataset '../../etc' is not a Hugging Face dataset id"),
        (("--dataset", "owner/name", "--revision", "a b"), "--revision 'a b' is not a branch, tag or commit"),
        (("--dataset", "o/n", "--revision", "bad..rev"), "--revision 'bad..rev' is not a branch"),
        (("--dataset", "o/n", "--revision", "main@{1}"), "--revision 'main@{1}' is not a branch"),
        (("--dataset", "o/n", "--revision", "v1.lock"), "--revision 'v1.lock' is not a branch"),
    ],
)
def test_a_malformed_dataset_or_revision_flag_is_refused_before_the_hub_is_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flags: tuple[str, ...], said: str
) -> None:
    """The flags are checked as the config's sync keys are (they once reached huggingface_hub's own
    validation and ended in its traceback)."""
    code, out, err = sync(capsys, "--dry-run", "--data-dir", str(data_dir(tmp_path)), *flags)
    assert code == 2
    assert said in err
    assert "Traceback" not in err
    assert out == ""
