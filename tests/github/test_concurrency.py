"""Concurrency against the stand-in (real compare-and-swap on refs): twenty approved submissions
landing at once through the merge queue (GitHub's rule for the land jobs' concurrency group modelled
in tests/support/land_group.py), and quick successive edits of one issue whose runs overlap. Figures,
with the API requests per event, go to ``test-output/concurrency-summary.json``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import hardening_summary
from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.fault_flows import (
    ISSUE_BRANCH,
    bodies,
    clean_runs,
    issue_pulls,
    main_ids,
    merge_commits,
    stderr_problem,
)
from tests.support.form_render import SINGLE_GPU, render_body
from tests.support.land_group import Arrival, at_once
from tests.support.standin import GitHubStandin

APPROVALS = 20
EDITS = 5
EVENTS = {  # the clean runs of tests/support/fault_flows.py, by the names the report prints
    "PR validation (pull_request_target opened)": "pr-opened",
    "issue-form submission (issues opened)": "issue-opened",
    "issue-form edit (issues edited)": "issue-edited",
    "approval-merge (pull_request_review submitted)": "approval-merge",
}
FIGURES: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    requests = [[label, len(clean_runs()[flow].requests)] for label, flow in EVENTS.items()]  # ordered
    hardening_summary.merge(
        "concurrency-summary.json",
        {"cases": len(FIGURES), "seconds": round(sum(f["seconds"] for f in FIGURES.values()), 2)},
        fixed={"requests per event": requests, **FIGURES},
    )


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def all_at_once(calls: list[Callable[[], Run]]) -> list[Run]:
    """Run the calls in threads released together; results in the calls' order."""
    results: list[Run | BaseException | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as exc:  # reported below, not lost in the thread
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    crashed = [r for r in results if not isinstance(r, Run)]
    assert crashed == [], crashed
    return [r for r in results if isinstance(r, Run)]


def _submission(index: int) -> dict[str, Any]:
    return entry(entry_id=f"{index:08x}-1111-4222-8333-444455556666", workload__batch_size=index + 2)


def test_twenty_approved_submissions_land_at_once(stage: Stage) -> None:
    """Twenty approvals at once, with GitHub's concurrency rule for the land jobs' one group (one runs,
    one waits, a newer one replaces the waiting one): every entry lands exactly once, in a few batch
    commits, each PR merged once and told so, within the token's budget."""
    stage.srv.set_rate_limit(stage.token, 100_000)  # the figures below say what was spent
    published = set(main_ids(stage))
    numbers = [
        stage.open_pr({f"data/submissions/r{i}.json": as_file(_submission(i))}, branch=f"race{i}")
        for i in range(APPROVALS)
    ]
    arrivals = []
    for number in numbers:
        payload = stage.approval_payload(number, "maint")
        arrivals.append(Arrival([("pull_request_review", payload, None)], ("pull_request_review", payload)))
    figures = at_once(stage, arrivals)
    FIGURES["approvals"] = {
        "pull requests": APPROVALS,
        "merged": sum(stage.srv.pull(REPO, n)["merged"] for n in numbers),
        **figures,
        "token budget per hour": 1000,
    }
    assert (figures["failed runs"], figures["stderr problems"]) == (0, [])
    ids = main_ids(stage)
    assert published <= set(ids)
    assert sorted(i for i in ids if i not in published) == sorted(
        _submission(i)["entry_id"] for i in range(APPROVALS)
    )
    assert len(ids) == len(set(ids))
    assert all(stage.srv.pull(REPO, n)["merged"] for n in numbers)
    assert merge_commits(stage) == dict.fromkeys(numbers, 1)
    assert all(any(f"Merged #{n} as " in c["body"] for c in stage.bot_comments(n)) for n in numbers)
    assert figures["commits on the base"] <= 3
    assert figures["requests"] <= 300


def _edit(stage: Stage, number: int, ttft: str) -> dict[str, Any]:
    """Edit the issue as its author; the payload of the edit as GitHub would send it."""
    stage.srv.api("alice").patch(
        f"/repos/{REPO}/issues/{number}", {"body": render_body({**SINGLE_GPU, "ttft_ms": ttft})}
    )
    return stage.issue_payload(number, "edited")


def _issue_state(stage: Stage, number: int) -> dict[str, Any]:
    (pull,) = issue_pulls(stage, number)
    text = stage.srv.read_file(
        REPO, f"data/submissions/issue-{number}.json", ISSUE_BRANCH.format(number=number)
    )
    return {
        "pull": (pull["number"], pull["state"]),
        "ttft": json.loads(text or b"{}")["metrics"]["ttft_ms"],
        "issue comments": bodies(stage, number),
        "pr comments": bodies(stage, int(pull["number"])),
    }


def test_quick_edits_whose_runs_overlap_leave_the_last_text(stage: Stage) -> None:
    """Five edits in quick succession, all five runs at once: one PR, carrying the last text."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    assert stage.issue_event(number, "opened").code == 0
    values = [f"3{i}.5" for i in range(1, EDITS + 1)]
    payloads = [_edit(stage, number, value) for value in values]
    start, started = len(stage.srv.requests), time.monotonic()
    runs = all_at_once([lambda p=p: stage.deliver("issues", p) for p in payloads])  # type: ignore[misc]
    seconds = time.monotonic() - started
    rechecked = sum("was edited while this run checked it" in r.summary for r in runs)
    made = len(stage.srv.requests) - start
    assert [r.code for r in runs] == [0] * EDITS
    assert [p for r in runs if (p := stderr_problem(r))] == []
    state = _issue_state(stage, number)
    assert state["ttft"] == float(values[-1])
    assert len(state["issue comments"]) == 1
    assert len(state["pr comments"]) == 1
    # One more delivery of the last edit changes nothing: the comments already describe the last text.
    assert stage.deliver("issues", payloads[-1]).code == 0
    assert _issue_state(stage, number) == state
    FIGURES["edits"] = {
        "edits": EDITS,
        "pull requests": len(issue_pulls(stage, number)),
        "runs that re-checked a newer text": rechecked,
        "requests": made,
        "seconds": round(seconds, 2),
    }


def test_the_opening_run_and_five_edit_runs_at_once(stage: Stage) -> None:
    """The issue is opened and edited five times before any run finishes; two runs may both clean up
    the same duplicate comment (the second DELETE answers 404, which is no error)."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    payloads = [stage.issue_payload(number, "opened")]
    payloads += [_edit(stage, number, f"3{i}.5") for i in range(1, EDITS + 1)]
    started = time.monotonic()
    runs = all_at_once([lambda p=p: stage.deliver("issues", p) for p in payloads])  # type: ignore[misc]
    assert [r.code for r in runs] == [0] * len(payloads), [r.stderr for r in runs]
    state = _issue_state(stage, number)
    assert state["ttft"] == 35.5
    assert [len(state["issue comments"]), len(state["pr comments"])] == [1, 1]
    assert "| 35.5 ms |" in state["issue comments"][0]
    assert "| 35.5 ms |" in state["pr comments"][0]
    FIGURES["opened and edits"] = {"runs": len(payloads), "seconds": round(time.monotonic() - started, 2)}


def test_a_stale_run_finishing_last_still_leaves_the_last_text(stage: Stage) -> None:
    """The run of an older edit that writes after the newest run's: the newest text stays."""
    number = stage.open_issue(render_body(SINGLE_GPU))
    assert stage.issue_event(number, "opened").code == 0
    older = _edit(stage, number, "31.5")
    newer = _edit(stage, number, "32.5")
    assert stage.deliver("issues", newer).code == 0
    stale = stage.deliver("issues", older)
    assert stale.code == 0
    assert "was edited while this run checked it" in stale.summary
    state = _issue_state(stage, number)
    assert state["ttft"] == 32.5
    assert "| 32.5 ms |" in state["issue comments"][0]
    FIGURES["stale run"] = {"seconds": 0.0, "ttft kept": state["ttft"]}
