"""The workload table of sagellm-benchmark 0.5.4.14: every workload the tool runs, its lengths, how
many requests it sends and how many of them run at once, and the ``--workload`` selector that runs it.

Data and small pure lookups; no I/O.

Sources (intellistream/sagellm-benchmark at the commit that carries ``__version__ = "0.5.4.14"``):
- ``src/sagellm_benchmark/workloads.py``: ``TPCH_WORKLOADS`` (Q1–Q8), ``STREAMING_WORKLOADS``,
  ``BATCH_INFERENCE_WORKLOADS``, ``MIXED_WORKLOADS``, ``_LEGACY_WORKLOADS`` (``prompt_tokens``,
  ``max_tokens``, ``num_requests``, ``concurrent``, ``concurrency``) and ``get_workloads_by_selector``
  (which ``--workload`` value runs which workloads).
- ``src/sagellm_benchmark/runner.py`` ``_run_workload``: a ``concurrent`` workload sends all its
  ``num_requests`` at once through ``asyncio.gather`` and ignores the declared ``concurrency``; the
  others send one request after another. So the concurrency a run had is ``num_requests`` or 1.
- ``src/sagellm_benchmark/exporters/leaderboard.py`` ``WORKLOAD_SPECS``: the lengths the exporter
  writes. They agree with workloads.py for Q1–Q8; the legacy workloads keep the exporter's (and the
  contract's) lengths, although workloads.py asks long_input for 200/200 tokens. Any other name gets
  128/128 from the exporter, which is wrong for batch_*, mixed_* and streaming_*.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    """One workload the tool runs."""

    name: str
    input_length: int
    output_length: int
    num_requests: int
    concurrent: bool
    selector: str  # the ``--workload`` value that runs it (a set selector runs its siblings too)

    @property
    def concurrent_requests(self) -> int:
        """Requests in flight at once, as runner.py really sends them."""
        return self.num_requests if self.concurrent else 1


def _w(name: str, lengths: tuple[int, int], requests: int, concurrent: bool, selector: str) -> Workload:
    return Workload(name, lengths[0], lengths[1], requests, concurrent, selector)


WORKLOADS: tuple[Workload, ...] = (
    _w("Q1", (32, 64), 5, False, "Q1"),
    _w("Q2", (512, 128), 3, False, "Q2"),
    _w("Q3", (128, 256), 3, False, "Q3"),
    _w("Q4", (256, 256), 3, False, "Q4"),
    _w("Q5", (32, 64), 10, True, "Q5"),
    _w("Q6", (512, 256), 10, True, "Q6"),
    _w("Q7", (256, 512), 3, False, "Q7"),
    _w("Q8", (192, 128), 4, True, "Q8"),
    _w("streaming_short", (32, 128), 5, False, "streaming"),
    _w("streaming_long", (256, 256), 3, False, "streaming"),
    _w("streaming_concurrent", (64, 128), 10, True, "streaming"),
    _w("batch_small", (16, 32), 20, True, "batch"),
    _w("batch_medium", (128, 128), 16, True, "batch"),
    _w("batch_large", (512, 256), 8, True, "batch"),
    _w("mixed_short_stream", (32, 64), 10, True, "mixed"),
    _w("mixed_long_batch", (256, 256), 6, True, "mixed"),
    _w("mixed_greedy_sampling", (48, 128), 8, True, "mixed"),
    _w("short_input", (128, 128), 5, False, "short"),
    _w("long_input", (2048, 512), 3, False, "long"),
    _w("stress_test", (256, 256), 10, True, "stress"),
)
_BY_NAME = {workload.name.casefold(): workload for workload in WORKLOADS}
# get_workloads_by_selector: "all"/"query" run Q1–Q8, "m1"/"year1" the three legacy workloads.
_SET_SELECTORS = {
    "all": "Q",
    "query": "Q",
    "m1": "legacy",
    "year1": "legacy",
    "batch_inference": "batch",
}
_LEGACY = ("short_input", "long_input", "stress_test")


def workload(name: str) -> Workload | None:
    """The tool's workload of this name (case-insensitive), or None."""
    return _BY_NAME.get(name.strip().casefold())


def selected(selector: str) -> tuple[str, ...]:
    """The workloads a ``--workload`` value runs, in the tool's order (empty when unknown)."""
    key = selector.strip().casefold()
    group = _SET_SELECTORS.get(key, key)
    if group == "Q":
        return tuple(w.name for w in WORKLOADS if w.name.startswith("Q"))
    if group == "legacy":
        return _LEGACY
    names = tuple(w.name for w in WORKLOADS if w.selector.casefold() == group)
    return names if names else ((_BY_NAME[key].name,) if key in _BY_NAME else ())
