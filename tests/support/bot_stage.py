"""A stage for end-to-end bot tests: a stand-in repository seeded with the real data, people with
roles, a base checkout on disk, and a way to deliver real webhook payloads to ``handle-event``."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.form.generator import SUBMISSION_LABEL
from bot.github.api import bot_retry, client_from_env
from bot.github.entry import handle
from tests.support.paths import ROOT
from tests.support.standin import GitHubStandin
from tests.support.standin.payloads import make_payload, pull_request_event, review_event

REPO = "sage/leaderboard"
SEED_FILES = (
    "data/leaderboard_single.json",
    "data/leaderboard_multi.json",
    ".github/leaderboard-bot.yml",
    "data/submissions/README.md",
    "README.md",
)
LAND_AFTER = ("pull_request_review", "issue_comment", "workflow_run")  # events whose workflow has a land job
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())


@dataclass
class Run:
    """What one handled event produced."""

    code: int
    outputs: dict[str, str]
    summary: str
    requests: int
    stderr: str = ""
    jobs: tuple[Run, ...] = ()  # the jobs of a workflow run (the approval's job, then the land job)


@dataclass
class Stage:
    """The repository, its people and the workflow runner."""

    srv: GitHubStandin
    tmp: Path
    allow_actions_prs: bool = True  # the repository setting the issue-form flow needs
    runs: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._serial = itertools.count()  # file names per delivery; deliveries may run in threads
        self._checked_out: dict[int, str] = {}  # delivery -> the base commit its workspace holds
        files = {path: (ROOT / path).read_bytes() for path in SEED_FILES}
        self.srv.create_repo(REPO, files, allow_actions_prs=self.allow_actions_prs)
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
        """The base branch as actions/checkout would leave it (the workspace); its commit is kept."""
        workspace = self.tmp / f"workspace{index}"
        commit = self._checked_out[index] = str(self.srv.ref_sha(REPO, "refs/heads/main"))
        for path in SEED_FILES:
            data = self.srv.read_file(REPO, path, commit)
            if data is not None:
                (workspace / path).parent.mkdir(parents=True, exist_ok=True)
                (workspace / path).write_bytes(data)
        return workspace

    def deliver(
        self,
        event: str,
        payload: dict[str, Any],
        extra_env: dict[str, str] | None = None,
        *,
        land: bool = True,
    ) -> Run:
        """Run the workflow's jobs for a payload, as GitHub would: ``handle-event`` for the event and,
        when that job queued a pull request, the land job after it (``land=False``: leave it to the
        caller, who models the land jobs' concurrency group)."""
        first = self.job(event, payload, extra_env)
        if not land or first.outputs.get("queued") != "true" or event not in LAND_AFTER:
            return first
        # The workflow passes the queue job's `verified` output to its land job's input of that name.
        verified = {"LEADERBOARD_VERIFIED": first.outputs.get("verified", "")}
        second = self.land(event, payload, {**(extra_env or {}), **verified})
        return combine(first, second)

    def land(self, event: str, payload: dict[str, Any], extra_env: dict[str, str] | None = None) -> Run:
        """The land job of the workflow run of this event (the Action with ``land: 'true'``)."""
        return self.job(event, payload, {**(extra_env or {}), "LEADERBOARD_LAND": "true"})

    def as_delivered(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The payload as GitHub would send it for this repository: its real default branch, not the
        example's ("master"), which the land job compares a pull request's base with."""
        repository = payload.get("repository")
        if isinstance(repository, dict):
            repository["default_branch"] = self.srv.api("admin").get(f"/repos/{REPO}")["default_branch"]
        return payload

    def job(self, event: str, payload: dict[str, Any], extra_env: dict[str, str] | None = None) -> Run:
        """Run ``handle-event`` for a payload once, as one job's Action step would."""
        index = next(self._serial)
        event_path, output, summary = (
            self.tmp / f"{name}{index}" for name in ("event.json", "output", "summary")
        )
        event_path.write_text(json.dumps(self.as_delivered(payload)))
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
            **(extra_env or {}),
        }
        before = len(self.srv.requests)
        if env.get("LEADERBOARD_LAND") == "true":  # the land job passes its checkout's commit, tree, branch
            env.setdefault("LEADERBOARD_BASE_COMMIT", self._checked_out[index])
            env.setdefault("LEADERBOARD_BASE_TREE", self.srv.commit_tree(REPO, self._checked_out[index]))
            env.setdefault("LEADERBOARD_BASE_BRANCH", "main")
        client = client_from_env(env, retry=bot_retry(total=3, backoff_factor=0))
        errors = io.StringIO()
        with _thread_stderr(errors):
            code = handle(env, client)
        text = summary.read_text() if summary.exists() else ""
        run = Run(code, _outputs(output), text, len(self.srv.requests) - before, errors.getvalue())
        self.runs.append(run)
        return run

    def pr_event(self, number: int, action: str = "opened") -> Run:
        """Deliver a pull_request_target event for the PR as it is now."""
        return self.deliver("pull_request_target", self.pr_payload(number, action))

    def pr_payload(self, number: int, action: str = "opened") -> dict[str, Any]:
        """A pull_request_target payload for the PR as it is now (deliver it as often as you like)."""
        pull = self.srv.pull(REPO, number)
        payload = pull_request_event(action, pull, sender="alice")
        payload["pull_request"]["labels"] = pull["labels"]  # the example payload's labels are not this PR's
        return payload

    def approve(self, number: int, reviewer: str = "maint", commit_id: str | None = None) -> Run:
        """Submit an approval as ``reviewer`` and deliver its pull_request_review event."""
        return self.deliver("pull_request_review", self.approval_payload(number, reviewer, commit_id))

    def approval_payload(
        self, number: int, reviewer: str = "maint", commit_id: str | None = None
    ) -> dict[str, Any]:
        """Submit an approval as ``reviewer``; return its pull_request_review payload (not delivered)."""
        review_id = self.srv.review(REPO, number, author=reviewer, commit_id=commit_id)
        review = self.srv.api(reviewer).get(f"/repos/{REPO}/pulls/{number}/reviews/{review_id}")
        return self.review_payload(review, number)

    def review_payload(self, review: dict[str, Any], number: int) -> dict[str, Any]:
        """A pull_request_review payload; the example's head repository is replaced by this PR's."""
        pull = self.srv.pull(REPO, number)
        payload = review_event(review, pull)
        payload["pull_request"]["head"]["repo"]["full_name"] = pull["head"]["repo"]["full_name"]
        return payload

    def open_issue(self, body: str, *, author: str = "alice") -> int:
        """Open a submission issue (with the form's label) and deliver its ``issues.opened`` event."""
        number = self.srv.create_issue(REPO, "[results] H100", body, author=author)
        self.srv.api("admin").post(f"/repos/{REPO}/issues/{number}/labels", {"labels": [SUBMISSION_LABEL]})
        return number

    def issue_event(self, number: int, action: str) -> Run:
        """Deliver an ``issues`` event for the issue as it is now."""
        return self.deliver("issues", self.issue_payload(number, action))

    def issue_payload(self, number: int, action: str, label: str = SUBMISSION_LABEL) -> dict[str, Any]:
        """An ``issues`` payload for the issue as it is now (``labeled``: the event names ``label``, which
        the issue carries; ``unlabeled``: the event names ``label``, which it no longer carries)."""
        issue = self.srv.issue(REPO, number)
        closed = {"issue.state": "closed", "issue.closed_at": "2026-03-18T12:00:00Z"}
        payload = make_payload("issues", action, closed if action == "closed" else {})
        if action == "labeled":
            payload["label"] = next(item for item in issue["labels"] if item["name"] == label)
        if action == "unlabeled":
            payload["label"]["name"] = label
        payload["issue"].update(
            number=number,
            body=issue["body"],
            state=issue["state"],
            labels=issue["labels"],
            user=issue["user"],
        )
        payload["issue"].pop("pull_request", None)
        payload["repository"].update(full_name=REPO, name=REPO.split("/")[1], default_branch="main")
        return payload

    def edit_issue(self, number: int, body: str) -> Run:
        """Edit the issue body as its author and deliver ``issues.edited``."""
        self.srv.api("alice").patch(f"/repos/{REPO}/issues/{number}", {"body": body})
        return self.issue_event(number, "edited")

    def bot_comments(self, number: int) -> list[dict[str, Any]]:
        """The comments written by the bot's login."""
        return [c for c in self.srv.comments(REPO, number) if c["user"]["login"] == "github-actions[bot]"]

    def main_entries(self, name: str = "data/leaderboard_single.json") -> list[dict[str, Any]]:
        """The entries of a data file on the base branch now."""
        data = self.srv.read_file(REPO, name, "main")
        assert data is not None
        entries: list[dict[str, Any]] = json.loads(data)
        return entries


def combine(first: Run, second: Run) -> Run:
    """A workflow run of two jobs, seen as one: failed if either failed, the later job's outputs win."""
    return Run(
        max(first.code, second.code),
        {**first.outputs, **second.outputs},
        "\n".join(filter(None, (first.summary, second.summary))),
        first.requests + second.requests,
        first.stderr + second.stderr,
        (first, second),
    )


class _PerThreadStderr(io.TextIOBase):
    """sys.stderr while deliveries run: each delivering thread writes to its own buffer.

    ``contextlib.redirect_stderr`` swaps the process-wide stream, so overlapping deliveries in threads
    would capture each other's messages (and could leave a finished run's buffer installed).
    """

    lock = threading.Lock()
    users = 0
    installed: _PerThreadStderr | None = None

    def __init__(self, fallback: Any) -> None:
        super().__init__()
        self.fallback = fallback
        self.local = threading.local()

    def write(self, text: str) -> int:
        """Write to the calling thread's buffer, or to the real stderr for other threads."""
        buffer = getattr(self.local, "buffer", None)
        return int((self.fallback if buffer is None else buffer).write(text))

    def flush(self) -> None:
        """Flush the real stderr."""
        self.fallback.flush()


@contextlib.contextmanager
def _thread_stderr(buffer: io.StringIO) -> Iterator[None]:
    """Capture what the calling thread writes to sys.stderr into ``buffer``."""
    with _PerThreadStderr.lock:
        if _PerThreadStderr.users == 0:
            _PerThreadStderr.installed = _PerThreadStderr(sys.stderr)
            sys.stderr = _PerThreadStderr.installed
        _PerThreadStderr.users += 1
        proxy = _PerThreadStderr.installed
    assert proxy is not None
    proxy.local.buffer = buffer
    try:
        yield
    finally:
        proxy.local.buffer = None
        with _PerThreadStderr.lock:
            _PerThreadStderr.users -= 1
            if _PerThreadStderr.users == 0:
                sys.stderr = proxy.fallback
                _PerThreadStderr.installed = None


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
