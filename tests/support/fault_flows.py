"""The flows of the API fault matrix: how each is prepared and triggered, what its end state is, and the
invariants every run must keep whatever GitHub answers (no duplicate comments or pull requests, no
double merge, no lost entry, no traceback)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.render.comment import MARKER
from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.standin import FaultPlan, GitHubStandin
from tests.support.standin.gitops import ancestors
from tests.support.standin.world import World

BOT = "github-actions[bot]"
ISSUE_BRANCH = "leaderboard/issue-{number}"
MERGE_MESSAGE = re.compile(r"^Merge leaderboard results from (#\d+(?:, #\d+)*)\n")
RUN_URL = re.compile(r"/actions/runs/\d+")
NOW = re.compile(r"\d{4}\\?-\d\d\\?-\d\dT\d\d:\d\d:\d\dZ")  # submitted_at filled in with the time of the run
ERROR_LINE = "leaderboard-bot: error: "
SHA = re.compile(r"\b[0-9a-f]{40}\b")  # a merge commit's SHA depends on the time it was made


@dataclass(frozen=True)
class Subject:
    """One prepared event: what to deliver (as often as needed) and what it is about."""

    event: str
    payload: dict[str, Any]
    number: int  # the pull request (PR flows) or the issue (issue flows)
    published: frozenset[str]  # entry ids on main before the event


@dataclass(frozen=True)
class Flow:
    """A flow of the matrix: prepare the repository and the event; observe its end state."""

    name: str
    prepare: Callable[[Stage], Subject]
    snapshot: Callable[[Stage, Subject], dict[str, Any]]


def main_ids(stage: Stage) -> list[str]:
    """Entry ids on the base branch, both data files, in order (repeats kept)."""
    names = ("data/leaderboard_single.json", "data/leaderboard_multi.json")
    return [e["entry_id"] for name in names for e in stage.main_entries(name)]


def _subject(stage: Stage, event: str, payload: dict[str, Any], number: int) -> Subject:
    return Subject(event, payload, number, frozenset(main_ids(stage)))


def _prepare_pr(stage: Stage) -> Subject:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    return _subject(stage, "pull_request_target", stage.pr_payload(number), number)


def _prepare_issue_opened(stage: Stage) -> Subject:
    number = stage.open_issue(render_body(SINGLE_GPU))
    return _subject(stage, "issues", stage.issue_payload(number, "opened"), number)


def _prepare_issue_edited(stage: Stage) -> Subject:
    number = stage.open_issue(render_body(SINGLE_GPU))
    assert stage.issue_event(number, "opened").code == 0
    body = render_body({**SINGLE_GPU, "ttft_ms": "33.3"})
    stage.srv.api("alice").patch(f"/repos/{REPO}/issues/{number}", {"body": body})
    return _subject(stage, "issues", stage.issue_payload(number, "edited"), number)


def _prepare_merge(stage: Stage) -> Subject:
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    return _subject(stage, "pull_request_review", stage.approval_payload(number, "maint"), number)


# The batch flow's first pull request: queued before the event, landed in the same batch as the subject.
BATCH_FIRST = entry(entry_id="0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d", workload__batch_size=77)
BATCH_BRANCH = "batch-first"


def _prepare_batch(stage: Stage) -> Subject:
    """Two pull requests in one batch: the first queued (its land job cancelled while pending), the
    subject's approval then starts the land job that merges both in one commit."""
    first = stage.open_pr({"data/submissions/first.json": as_file(BATCH_FIRST)}, branch=BATCH_BRANCH)
    queued = stage.deliver("pull_request_review", stage.approval_payload(first, "maint"), land=False)
    assert queued.outputs.get("queued") == "true", queued.summary
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())}, branch="batch-second")
    return _subject(stage, "pull_request_review", stage.approval_payload(number, "maint"), number)


def bodies(stage: Stage, number: int) -> list[str]:
    """The bot's comments on an issue or pull request, run links and times of the run normalized."""
    return [
        SHA.sub("SHA", NOW.sub("TIME", RUN_URL.sub("/actions/runs/N", c["body"])))
        for c in stage.bot_comments(number)
    ]


def labels(stage: Stage, number: int) -> list[str]:
    """The labels of an issue or pull request, sorted."""
    return sorted(label["name"] for label in stage.srv.issue(REPO, number)["labels"])


def issue_pulls(stage: Stage, issue: int) -> list[dict[str, Any]]:
    """Every pull request (any state) whose head is the issue's branch."""
    branch = ISSUE_BRANCH.format(number=issue)
    pulls: list[dict[str, Any]] = stage.srv.api("admin").get(
        f"/repos/{REPO}/pulls", state="all", per_page="100"
    )
    return [p for p in pulls if p["head"]["ref"] == branch]


def merge_commits(stage: Stage) -> dict[int, int]:
    """Bot merge commits reachable from main, per pull request number."""
    world = stage.srv.world
    with world.lock:
        head = world.resolve(world.repo(*REPO.split("/")), "main")
        assert head is not None
        counts: dict[int, int] = {}
        for sha in ancestors(world.store, head):
            match = MERGE_MESSAGE.match(world.store.commit(sha).message)
            for number in re.findall(r"\d+", match.group(1)) if match else []:
                counts[int(number)] = counts.get(int(number), 0) + 1
    return counts


def _snapshot_pr(stage: Stage, subject: Subject) -> dict[str, Any]:
    head = stage.srv.pull(REPO, subject.number)["head"]["sha"]
    runs = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head}/check-runs")["check_runs"]
    latest = max(runs, key=lambda r: r["id"], default={})
    return {
        "comments": bodies(stage, subject.number),
        "labels": labels(stage, subject.number),
        "check": (latest.get("name"), latest.get("conclusion")),
    }


def _snapshot_issue(stage: Stage, subject: Subject) -> dict[str, Any]:
    pulls = issue_pulls(stage, subject.number)
    state: dict[str, Any] = {
        "issue comments": bodies(stage, subject.number),
        "pulls": [(p["state"], p["title"]) for p in pulls],
    }
    if pulls:
        number, branch = int(pulls[0]["number"]), ISSUE_BRANCH.format(number=subject.number)
        state["pr comments"] = bodies(stage, number)
        state["pr labels"] = labels(stage, number)
        path = f"data/submissions/issue-{subject.number}.json"
        state["file"] = stage.srv.read_file(REPO, path, branch)
    return state


def _snapshot_merge(stage: Stage, subject: Subject) -> dict[str, Any]:
    pull = stage.srv.pull(REPO, subject.number)
    return {
        "merged": (pull["state"], pull["merged"]),
        "copies": main_ids(stage).count(entry()["entry_id"]),
        "merge commits": merge_commits(stage).get(subject.number, 0),
        "comments": bodies(stage, subject.number),
    }


def _snapshot_batch(stage: Stage, subject: Subject) -> dict[str, Any]:
    pulls = stage.srv.api("admin").get(f"/repos/{REPO}/pulls", state="all", per_page="100")
    first = next(int(p["number"]) for p in pulls if p["head"]["ref"] == BATCH_BRANCH)
    state = {f"second {key}": value for key, value in _snapshot_merge(stage, subject).items()}
    pull = stage.srv.pull(REPO, first)
    return {
        **state,
        "first merged": (pull["state"], pull["merged"]),
        "first copies": main_ids(stage).count(BATCH_FIRST["entry_id"]),
        "first merge commits": merge_commits(stage).get(first, 0),
        "first comments": bodies(stage, first),
    }


FLOWS = {
    flow.name: flow
    for flow in (
        Flow("pr-opened", _prepare_pr, _snapshot_pr),
        Flow("issue-opened", _prepare_issue_opened, _snapshot_issue),
        Flow("issue-edited", _prepare_issue_edited, _snapshot_issue),
        Flow("approval-merge", _prepare_merge, _snapshot_merge),
        Flow("batch-merge", _prepare_batch, _snapshot_batch),
    )
}


def stderr_problem(run: Run) -> str | None:
    """None when each job's stderr is empty or one ``leaderboard-bot: error:`` line, else what is wrong."""
    for job in run.jobs or (run,):
        lines = job.stderr.strip().splitlines()
        if lines and not (len(lines) == 1 and lines[0].startswith(ERROR_LINE)):
            return f"stderr is not one error line: {job.stderr[-400:]!r}"
    return None


def violations(stage: Stage, subject: Subject, run: Run) -> list[str]:
    """Every broken invariant after a run, as readable sentences (empty when all hold)."""
    problems: list[str] = []
    if run.code not in (0, 1):
        problems.append(f"exit code {run.code}")
    if (problem := stderr_problem(run)) is not None:
        problems.append(problem)
    numbers = {subject.number} | {int(p["number"]) for p in issue_pulls(stage, subject.number)}
    for number in sorted(numbers):
        marked = [c for c in stage.bot_comments(number) if MARKER in c["body"]]
        if len(marked) > 1:
            problems.append(f"#{number} has {len(marked)} bot comments")
    if len(issue_pulls(stage, subject.number)) > 1:
        problems.append(
            f"issue #{subject.number} has {len(issue_pulls(stage, subject.number))} pull requests"
        )
    ids = main_ids(stage)
    if lost := subject.published - set(ids):
        problems.append(f"published entries lost from main: {sorted(lost)}")
    if repeated := sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"entries on main more than once: {repeated}")
    if doubled := {n: c for n, c in merge_commits(stage).items() if c > 1}:
        problems.append(f"pull requests merged more than once: {doubled}")
    return problems


@dataclass(frozen=True)
class Clean:
    """A flow's clean run: the requests it made (method, canonical path) and its end state."""

    requests: tuple[tuple[str, str], ...]
    code: int
    state: dict[str, Any]


def canonical(path: str) -> str:
    """A request path with the ids that differ between repositories replaced."""
    return re.sub(r"/issues/comments/\d+", "/issues/comments/{id}", path.replace(f"/repos/{REPO}", ""))


def fresh_world(srv: GitHubStandin) -> GitHubStandin:
    """Empty a running stand-in (state, faults, request log) for the next test: cheaper than a new
    server, whose route table takes 0.1 s to build."""
    url = srv.url
    srv.world, srv.faults = World(), FaultPlan()
    srv.world.api_url = url
    srv.app.world, srv.app.faults = srv.world, srv.faults
    return srv


@cache
def clean_runs() -> dict[str, Clean]:
    """Run every flow once without faults (on an emptied stand-in each) and record it."""
    result: dict[str, Clean] = {}
    with tempfile.TemporaryDirectory() as tmp, GitHubStandin() as server:
        for name, flow in FLOWS.items():
            srv = fresh_world(server)
            (Path(tmp) / name).mkdir()
            stage = Stage(srv, Path(tmp) / name)
            subject = flow.prepare(stage)
            start = len(srv.requests)
            run = stage.deliver(subject.event, subject.payload)
            made = tuple((r.method, canonical(r.path)) for r in srv.requests[start:])
            assert violations(stage, subject, run) == [], name
            result[name] = Clean(made, run.code, flow.snapshot(stage, subject))
    return result
