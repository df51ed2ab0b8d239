"""The act tier from the outside: a repository set up by `leaderboard-bot init` (no `action.yml`, no `bot/`:
only what init writes, beside its existing data and config) runs its workflows under nektos/act against the
stand-in, with the pinned `uses: acme/leaderboard-bot@<sha>` pointed at this checkout through act's
`--local-repository`. A fork pull request, its approval (the read-only merge run, then the relay) and an
issue-form submission go through that repository's workflows."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.adopt.files import WORKFLOW_DIR, WORKFLOWS
from bot.adopt.release import Release
from bot.cli.main import main
from tests.acceptance.test_act_workflows import LEADERBOARD, RELAY, _fork_pr, _ok, _relay_run
from tests.support.act_stage import ROOT, ActStage, check_wheelhouse
from tests.support.bot_stage import REPO, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.standin import GitHubStandin

RELEASE = Release("acme/leaderboard-bot", "5eed0000000000000000000000000000000000a1", "v0.1.0")
# What a repository already holds before it adopts the bot (the stage seeds them from the real data).
EXISTING = ("data/leaderboard_single.json", "data/leaderboard_multi.json", ".github/leaderboard-bot.yml")
# The Action as a release tree holds it: what `uses: OWNER/leaderboard-bot@SHA` checks out.
ACTION_TREE = ("action.yml", "pyproject.toml", "README.md", "bot", "schemas", "requirements")


@dataclass
class AdoptedStage(ActStage):
    """An ActStage whose base branch is an adopting repository, written by `leaderboard-bot init`."""

    def seed(self) -> None:
        adopted = self.tmp / "adopted"
        for path in EXISTING:
            data = self.srv.read_file(REPO, path, "main")
            assert data is not None
            (adopted / path).parent.mkdir(parents=True, exist_ok=True)
            (adopted / path).write_bytes(data)
        assert main(["init", str(adopted), "--action-ref", RELEASE.uses]) == 0
        files = {p.relative_to(adopted).as_posix(): p.read_bytes() for p in adopted.rglob("*") if p.is_file()}
        self.srv.commit(REPO, "main", files, "Set up leaderboard-bot (leaderboard-bot init)", author="admin")
        shutil.copytree(adopted / WORKFLOW_DIR, self.source / WORKFLOW_DIR)
        action = self.tmp / "leaderboard-bot"
        action.mkdir()
        for name in ACTION_TREE:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(
                    source, action / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(source, action / name)
        self.local_actions[f"{RELEASE.repository}@{RELEASE.commit}"] = str(action)


@pytest.fixture(scope="module")
def act_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner's caches, shared by this module's runs."""
    check_wheelhouse()
    return tmp_path_factory.mktemp("act-store")


@pytest.fixture
def adopted(github_standin: GitHubStandin, tmp_path: Path, act_store: Path) -> AdoptedStage:
    return AdoptedStage(github_standin, tmp_path, store=act_store)


def test_the_adopted_repository_holds_only_what_init_writes(adopted: AdoptedStage) -> None:
    """No Action of its own: each workflow can only run the pinned release."""
    for name in ("action.yml", "bot/__init__.py", "pyproject.toml"):
        assert adopted.srv.read_file(REPO, name, "main") is None, name
    for name in WORKFLOWS:
        text = (adopted.source / WORKFLOW_DIR / name).read_text(encoding="utf-8")
        assert f"- uses: {RELEASE.uses}\n" in text
        assert "uses: ./" not in text


def test_a_fork_pr_and_its_approval_merge_through_the_adopted_workflows(adopted: AdoptedStage) -> None:
    published = adopted.main_entries()
    number = _fork_pr(adopted)
    _ok(adopted.act("pull_request_target", adopted.pr_payload(number, "opened"), LEADERBOARD), "validate")
    (comment,) = adopted.bot_comments(number)
    assert "Ready to" in comment["body"]
    read_only = adopted.srv.actions_token(read_only=True)  # GitHub's token for a fork's pull_request_review
    review = adopted.act(
        "pull_request_review", adopted.approval_payload(number, "maint"), LEADERBOARD, read_only
    )
    _ok(review, "merge")
    assert not adopted.srv.pull(REPO, number)["merged"]
    _ok(adopted.act("workflow_run", _relay_run(adopted, number), RELAY), "relay", "land")
    assert adopted.srv.pull(REPO, number)["merged"]
    assert adopted.main_entries() == [*published, entry()]


def test_an_issue_form_submission_becomes_a_pull_request_in_the_adopted_repository(
    adopted: AdoptedStage,
) -> None:
    number = adopted.open_issue(render_body(SINGLE_GPU))
    _ok(adopted.act("issues", adopted.issue_payload(number, "opened"), LEADERBOARD), "issue-form")
    pulls = adopted.srv.api("admin").get(f"/repos/{REPO}/pulls")
    assert [p["head"]["ref"] for p in pulls] == [f"leaderboard/issue-{number}"]
    assert adopted.srv.read_file(REPO, f"data/submissions/issue-{number}.json", pulls[0]["head"]["sha"])
