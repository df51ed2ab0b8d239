"""GitHub's concurrency rule for the land jobs' one group, modelled for the stand-in tests: with
``cancel-in-progress: false`` a group runs ONE job and keeps ONE pending; a job that joins while one is
pending replaces it (the replaced job is cancelled and never runs). Approvals arrive in threads; each
one's first job (review job, relay or command) runs at once, in its own group, and its land job joins
the shared group when that job queued something."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.bot_stage import REPO, Run, Stage
from tests.support.fault_flows import MERGE_MESSAGE, stderr_problem
from tests.support.standin.gitops import ancestors

Job = Callable[[], Run]


@dataclass
class LandGroup:
    """One concurrency group: the jobs that ran, and how many GitHub cancelled while pending."""

    ran: list[Run] = field(default_factory=list)
    cancelled: int = 0
    _running: bool = False
    _pending: Job | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _idle: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._idle.set()

    def join(self, job: Job) -> None:
        """A job enters the group: it runs now, waits, or replaces the job waiting."""
        with self._lock:
            if self._running:
                self.cancelled += self._pending is not None
                self._pending = job
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._work, args=(job,)).start()

    def _work(self, job: Job | None) -> None:
        while job is not None:
            self.ran.append(job())
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    self._idle.set()

    def wait(self) -> None:
        """Until the group is idle."""
        self._idle.wait()


@dataclass
class Arrival:
    """One approval's workflow runs: the jobs before the land job (delivered in order), and the land job's
    event."""

    first: list[tuple[str, dict[str, Any], dict[str, str] | None]]
    land: tuple[str, dict[str, Any]]


def at_once(stage: Stage, arrivals: list[Arrival]) -> dict[str, Any]:
    """Deliver every arrival in threads released together; the land jobs go through one LandGroup.
    Returns the figures: requests, commits on the base, runs, failures."""
    group = LandGroup()
    firsts: list[Run] = []
    barrier = threading.Barrier(len(arrivals))
    crashed: list[BaseException] = []
    before = set(_main_history(stage))
    start, started = len(stage.srv.requests), time.monotonic()

    def arrive(arrival: Arrival) -> None:
        barrier.wait()
        try:
            runs = [
                stage.deliver(event, payload, extra, land=False) for event, payload, extra in arrival.first
            ]
            firsts.extend(runs)
            if runs[-1].outputs.get("queued") == "true":
                # The land job of the same workflow run gets its queue job's `verified` output.
                handed = {"LEADERBOARD_VERIFIED": runs[-1].outputs.get("verified", "")}
                group.join(lambda: stage.land(*arrival.land, handed))
        except BaseException as exc:  # reported below, not lost in the thread
            crashed.append(exc)

    threads = [threading.Thread(target=arrive, args=(a,)) for a in arrivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    group.wait()
    assert crashed == [], crashed
    runs = [*firsts, *group.ran]
    commits = [sha for sha in _main_history(stage) if sha not in before]
    return {
        "approvals": len(arrivals),
        "requests": len(stage.srv.requests) - start,
        "requests per approval": round((len(stage.srv.requests) - start) / len(arrivals), 1),
        "commits on the base": len(commits),
        "land jobs run": len(group.ran),
        "land jobs cancelled while pending": group.cancelled,
        "failed runs": sum(r.code != 0 for r in runs),
        "stderr problems": [p for r in runs if (p := stderr_problem(r))],
        "seconds": round(time.monotonic() - started, 2),
    }


def _main_history(stage: Stage) -> list[str]:
    """The bot's merge commits reachable from the base branch."""
    world = stage.srv.world
    with world.lock:
        head = world.resolve(world.repo(*REPO.split("/")), "main")
        assert head is not None
        return [
            sha
            for sha in ancestors(world.store, head)
            if MERGE_MESSAGE.match(world.store.commit(sha).message)
        ]
