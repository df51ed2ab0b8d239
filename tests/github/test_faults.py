"""API fault matrix: for each flow, every request of its clean run fails once in each way GitHub can
fail (5xx before and after the change is stored, rate limit, conflicts, "Body is too long", connection
resets, slowness). Each run must keep the invariants, and re-delivering the same event must converge
on the clean run's end state. Figures go to ``test-output/faults-summary.json``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.findings import Finding
from bot.github import entry as handle_event_cmd
from tests.support import hardening_summary
from tests.support.bot_stage import Run, Stage
from tests.support.fault_flows import FLOWS, Subject, canonical, clean_runs, fresh_world, violations
from tests.support.standin import Fault, FaultPlan, GitHubStandin
from tests.support.standin.faults import DEFAULT_MESSAGES

SLOW_SECONDS = 0.02
TOO_LONG = "Body is too long (maximum is 65536 characters)"
Plant = Callable[[FaultPlan, int, str, str], Any]


def _any(method: str, path: str) -> bool:
    return True


def _ref_or_contents_write(method: str, path: str) -> bool:
    return method != "GET" and re.search(r"^/git/refs|^/contents/", path) is not None


def _comment_write(method: str, path: str) -> bool:
    return (method == "POST" and re.fullmatch(r"/issues/\d+/comments", path) is not None) or (
        method == "PATCH" and path.startswith("/issues/comments/")
    )


def _status(status: int, *, after: bool = False, **kwargs: Any) -> Plant:
    return lambda plan, n, method, path: plan.fail_nth(n, status, after_apply=after, **kwargs)


def _refusal(status: int) -> Plant:
    """409/422 with the message GitHub gives for that write."""

    def plant(plan: FaultPlan, n: int, method: str, path: str) -> Any:
        if status == 409:
            message = "Conflict: the file has been changed" if "/contents/" in path else "Conflict"
        elif "/contents/" in path:
            message = 'Invalid request.\n\n"sha" wasn\'t supplied.'
        else:
            message = "Reference already exists" if method == "POST" else "Update is not a fast forward"
        return plan.fail_nth(n, status, message=message)

    return plant


def _raw(**fields: Any) -> Plant:
    return lambda plan, n, method, path: plan.add(Fault(nth=plan.seq + n, **fields))


@dataclass(frozen=True)
class Kind:
    """A way one request can fail, and which requests it applies to."""

    name: str
    applies: Callable[[str, str], bool]
    plant: Plant


KINDS = (
    Kind("500", _any, _status(500)),
    Kind("500-after", _any, _status(500, after=True)),
    Kind("502", _any, _status(502)),
    Kind("502-after", _any, _status(502, after=True)),
    Kind("503", _any, _status(503)),
    Kind("503-after", _any, _status(503, after=True)),
    Kind("rate-limit", _any, _status(403, message=DEFAULT_MESSAGES[403], retry_after=0)),
    Kind("409", _ref_or_contents_write, _refusal(409)),
    Kind("422", _ref_or_contents_write, _refusal(422)),
    Kind("422-too-long", _comment_write, _status(422, message=TOO_LONG)),
    Kind("reset", _any, _raw(reset=True)),
    Kind("reset-after", _any, _raw(reset=True, after_apply=True)),
    Kind("slow", _any, _raw(delay=SLOW_SECONDS)),
)


@dataclass(frozen=True)
class Case:
    """One cell of the matrix: a flow, the position of a request in its clean run, and a fault."""

    flow: str
    position: int  # 1 = the flow's first request
    request: tuple[str, str]
    kind: Kind

    @property
    def id(self) -> str:
        method, path = self.request
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
        return f"{self.flow}/{self.position:02d}-{method}-{slug}/{self.kind.name}"


def matrix() -> list[Case]:
    """Every (flow, request position, applicable fault)."""
    return [
        Case(flow, position, request, kind)
        for flow, clean in clean_runs().items()
        for position, request in enumerate(clean.requests, 1)
        for kind in KINDS
        if kind.applies(*request)
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``case`` by the matrix, recorded from clean runs at collection time."""
    if "case" in metafunc.fixturenames:
        cases = matrix()
        metafunc.parametrize("case", cases, ids=[c.id for c in cases])


RESULTS: list[dict[str, Any]] = []


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    if not RESULTS:
        return
    outcomes: dict[str, int] = {}
    by_flow: dict[str, dict[str, int]] = {}
    for result in RESULTS:
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        flow = by_flow.setdefault(result["id"].split("/")[0], {})
        flow[result["outcome"]] = flow.get(result["outcome"], 0) + 1
    clean = clean_runs()
    hardening_summary.merge(
        "faults-summary.json",
        {
            "cases": len(RESULTS),
            "faults injected": sum(r["fired"] for r in RESULTS),
            "outcomes": outcomes,
            "by flow": by_flow,
            "reported": {r["id"]: r["error"] for r in RESULTS if r["outcome"] == "reported"},
            "seconds": round(sum(r["seconds"] for r in RESULTS), 2),
            "failed": [r["id"] for r in RESULTS if r["problems"]],
        },
        fixed={
            "matrix": {
                "flows": {name: len(c.requests) for name, c in clean.items()},
                "kinds": [k.name for k in KINDS],
                "cells": len(matrix()),
            },
            "request sequences": {name: [f"{m} {p}" for m, p in c.requests] for name, c in clean.items()},
        },
    )


@pytest.fixture(scope="module", autouse=True)
def _parse_the_config_once() -> Iterator[None]:
    """Every delivery reads the same .github/leaderboard-bot.yml: parse it once (the YAML parse is
    half the cost of a delivery, and the matrix makes about a thousand)."""
    real, parsed = handle_event_cmd.resolve_config, {}

    def resolve(path: str | None, **options: str) -> tuple[Config, list[Finding]]:
        key = Path(path).read_bytes() if path else b""
        if key not in parsed:
            parsed[key] = real(path, **options)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handle_event_cmd, "resolve_config", resolve)
        yield


@pytest.fixture(scope="module")
def server() -> Iterator[GitHubStandin]:
    """One stand-in for the module; every test empties it first."""
    with GitHubStandin() as srv:
        yield srv


@pytest.fixture
def stage(server: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(fresh_world(server), tmp_path)


def deliver(stage: Stage, subject: Subject) -> Run:
    """Deliver the subject's event; an exception escaping ``handle-event`` is a crash (exit 99)."""
    try:
        return stage.deliver(subject.event, subject.payload)
    except Exception as exc:  # what the Action would show as a traceback
        return Run(99, {}, "", 0, f"Traceback (most recent call last):\n  ...\n{exc!r}\n")


def _differences(state: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return sorted(key for key in {*state, *expected} if state.get(key) != expected.get(key))


def test_fault(case: Case, stage: Stage) -> None:
    """One fault at one request: invariants hold, and re-delivering the event converges."""
    started = time.monotonic()
    clean, flow, srv = clean_runs()[case.flow], FLOWS[case.flow], stage.srv
    subject = flow.prepare(stage)
    start = srv.faults.seq
    case.kind.plant(srv.faults, case.position, *case.request)
    run = deliver(stage, subject)
    hit = next((r for r in srv.requests if r.seq == start + case.position), None)
    problems = []
    if hit is None or (hit.method, canonical(hit.path)) != case.request or not hit.fault:
        problems.append(f"the fault did not hit {case.request}: {hit}")
    problems += violations(stage, subject, run)
    after_fault = flow.snapshot(stage, subject)
    if run.code == 0 and after_fault != clean.state:
        problems.append(f"exit 0 but not done: {_differences(after_fault, clean.state)}")
    rerun = deliver(stage, subject)
    problems += [f"re-delivery: {p}" for p in violations(stage, subject, rerun)]
    end = flow.snapshot(stage, subject)
    if rerun.code != clean.code or end != clean.state:
        problems.append(f"re-delivery exit {rerun.code}, differs in {_differences(end, clean.state)}")
    outcome = "absorbed" if run.code == 0 else "reported"
    RESULTS.append(
        {
            "id": case.id,
            "fired": int(bool(hit and hit.fault)),
            "outcome": "violated" if problems else outcome,
            "error": run.stderr.strip(),
            "problems": problems,
            "seconds": time.monotonic() - started,
        }
    )
    assert problems == [], f"{case.id}: {problems}; stderr {run.stderr!r}"


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_clean_re_delivery_changes_nothing(flow: str, stage: Stage) -> None:
    """Delivering the same event twice without faults ends as one delivery does."""
    subject = FLOWS[flow].prepare(stage)
    first = stage.deliver(subject.event, subject.payload)
    second = stage.deliver(subject.event, subject.payload)
    assert (first.code, second.code) == (clean_runs()[flow].code,) * 2
    assert violations(stage, subject, second) == []
    assert FLOWS[flow].snapshot(stage, subject) == clean_runs()[flow].state


def test_the_batch_flow_lands_both_pull_requests_in_one_commit() -> None:
    """The batch flow's clean run is what the matrix converges on: both merged, once, both answered."""
    state = clean_runs()["batch-merge"].state
    assert state["first merged"] == state["second merged"] == ("closed", True)
    assert state["first merge commits"] == state["second merge commits"] == 1
    assert state["first copies"] == state["second copies"] == 1
    assert any("Merged #" in body for body in state["first comments"])
    assert any("Merged #" in body for body in state["second comments"])
