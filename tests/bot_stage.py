"""A stage for end-to-end bot tests: a stand-in repository seeded with the real data, people with
roles, a base checkout on disk, and a way to deliver real webhook payloads to ``handle-event``."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from github import GithubRetry

from bot.github_api import client_from_env
from bot.handle_event_cmd import handle
from tests.standin import GitHubStandin
from tests.standin.payloads import pull_request_event, review_event

ROOT = Path(__file__).resolve().parent.parent
REPO = "sage/leaderboard"
SEED_FILES = (
    "data/leaderboard_single.json",
    "data/leaderboard_multi.json",
    ".github/leaderboard-bot.yml",
    "data/submissions/README.md",
    "README.md",
)
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())


@dataclass
class Run:
    """What one handled event produced."""

    code: int
    outputs: dict[str, str]
    summary: str
    requests: int


@dataclass
class Stage:
    """The repository, its people and the workflow runner."""

    srv: GitHubStandin
    tmp: Path
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._serial = itertools.count()  # file names per delivery; deliveries may run in threads
        self.srv.create_repo(REPO, {path: (ROOT / path).read_bytes() for path in SEED_FILES})
        for login, role in (
            ("maint", "maintain"),
            ("writer", "write"),
            ("reader", "read"),
            ("admin", "admin"),
        ):
            self.srv.set_role(REPO, login, role)
        self.srv.add_user("alice")
        self.token = self.srv.actions_token()

    def open_pr(self, files: dict[str, Any], *, author: str = "alice", branch: str = "results") -> int:
        """Push ``files`` on a new branch and open a pull request from it."""
        self.srv.commit(REPO, branch, files, base="main", author=author)
        return self.srv.open_pr(REPO, branch, author=author, title="Add results")

    def checkout(self, index: int) -> Path:
        """The base branch as actions/checkout would leave it (the workspace)."""
        workspace = self.tmp / f"workspace{index}"
        for path in SEED_FILES:
            data = self.srv.read_file(REPO, path, "main")
            if data is not None:
                (workspace / path).parent.mkdir(parents=True, exist_ok=True)
                (workspace / path).write_bytes(data)
        return workspace

    def deliver(self, event: str, payload: dict[str, Any]) -> Run:
        """Run ``handle-event`` for a payload, as the Action would."""
        index = next(self._serial)
        event_path, output, summary = (
            self.tmp / f"{name}{index}" for name in ("event.json", "output", "summary")
        )
        event_path.write_text(json.dumps(payload))
        env = {
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": self.srv.url,
            "GITHUB_TOKEN": self.token,
            "GITHUB_WORKSPACE": str(self.checkout(index)),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_RUN_ID": str(1000 + index),
            "GITHUB_SERVER_URL": "https://github.example",
        }
        before = len(self.srv.requests)
        client = client_from_env(env, retry=GithubRetry(total=3, backoff_factor=0))
        code = handle(env, client)
        run = Run(
            code,
            _outputs(output),
            summary.read_text() if summary.exists() else "",
            len(self.srv.requests) - before,
        )
        self.runs.append(run)
        return run

    def pr_event(self, number: int, action: str = "opened") -> Run:
        """Deliver a pull_request_target event for the PR as it is now."""
        pull = self.srv.pull(REPO, number)
        payload = pull_request_event(action, pull, sender="alice")
        payload["pull_request"]["labels"] = pull["labels"]  # the example payload's labels are not this PR's
        return self.deliver("pull_request_target", payload)

    def approve(self, number: int, reviewer: str = "maint", commit_id: str | None = None) -> Run:
        """Submit an approval as ``reviewer`` and deliver its pull_request_review event."""
        review_id = self.srv.review(REPO, number, author=reviewer, commit_id=commit_id)
        review = self.srv.api(reviewer).get(f"/repos/{REPO}/pulls/{number}/reviews/{review_id}")
        return self.deliver("pull_request_review", review_event(review, self.srv.pull(REPO, number)))

    def bot_comments(self, number: int) -> list[dict[str, Any]]:
        """The comments written by the bot's login."""
        return [c for c in self.srv.comments(REPO, number) if c["user"]["login"] == "github-actions[bot]"]

    def main_entries(self, name: str = "data/leaderboard_single.json") -> list[dict[str, Any]]:
        """The entries of a data file on the base branch now."""
        data = self.srv.read_file(REPO, name, "main")
        assert data is not None
        entries: list[dict[str, Any]] = json.loads(data)
        return entries


def _outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines, outputs, i = path.read_text().splitlines(), {}, 0
    while i < len(lines):
        name, delimiter = lines[i].split("<<", 1)
        end = lines.index(delimiter, i + 1)
        outputs[name] = "\n".join(lines[i + 1 : end])
        i = end + 1
    return outputs


def entry(**changes: Any) -> dict[str, Any]:
    """The single-GPU example with changes applied to dotted paths, as a fresh dict."""
    result = json.loads(json.dumps(EXAMPLE))
    for path, value in changes.items():
        target = result
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return result


def as_file(data: Any) -> str:
    """An entry as a submission file's text."""
    return json.dumps(data, indent=2) + "\n"
