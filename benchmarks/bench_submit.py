"""Benchmark: submitting one entry into leaderboards of 1,000, 10,000 and 25,000 entries, in process.

The floor, measured in the same run, is what any merge must at least do: parse both data files
and serialize them again, with the fastest parser the project uses (orjson). The merge itself is
measured from already-read bytes to the bytes of the new files: loading the two data files and
indexing them once ("parse"), everything after it up to the proven merge ("beyond parse": load
and validate the submission, check it against the leaderboard, splice, prove the result), and
building the new files' bytes from the proven pieces ("texts": what writing or uploading them
needs, proportional to the file as the floor's serializing is). The growth of "beyond parse"
between sizes is the figure that matters. Each figure is the fastest of ``--repeat`` runs in CPU
time (the least disturbed on a shared machine; ten times as many runs for the merge after parsing).
Prints; asserts nothing.

    .venv/bin/python -m benchmarks.bench_submit [--sizes 1000,10000,25000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from benchmarks.bench_validate import synthesize
from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.base_probe import base_index
from bot.ledger.evaluate import Submission, evaluate

ROOT = Path(__file__).resolve().parent.parent
SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"


def timed(action: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``action``, in CPU seconds of this process."""
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        runs.append(time.process_time() - start)
    return min(runs)


@dataclass(frozen=True)
class Costs:
    """Seconds of one submission into a leaderboard: the merge's three parts, and the floor."""

    parse: float
    beyond: float
    texts: float
    floor: float


def scenario(size: int, repeat: int) -> Costs:
    """What one submission into ``size`` entries costs."""
    single = (json.dumps(synthesize(size, clean=True), indent=2) + "\n").encode()
    multi = (ROOT / MULTI).read_bytes()
    submission = (ROOT / "examples" / "single-gpu.json").read_bytes()

    def floor() -> None:
        for raw in (single, multi):
            orjson.dumps(orjson.loads(raw), option=orjson.OPT_INDENT_2)

    def parse() -> dict[str, Document]:
        base = {}
        for name, raw in ((SINGLE, single), (MULTI, multi)):
            document = load_bytes(name, raw, max_bytes=1 << 30, max_depth=32).document
            assert document is not None
            base_index(document)  # indexing the base once is part of reading it
            base[name] = document
        return base

    base = parse()  # evaluate reads the base (and its index) and never changes it: one parse serves every run

    def beyond() -> Mapping[str, str]:
        file = load_bytes("data/submissions/new.json", submission, max_bytes=1 << 20, max_depth=32)
        assert file.document is not None
        outcome = evaluate(base, Submission([file.document]), Config())
        assert not outcome.errors
        assert outcome.merge.texts
        return outcome.merge.texts

    def written() -> None:  # beyond parse, then the bytes of every new file
        for text in beyond().values():
            text.encode()

    often = repeat * 10  # sub-millisecond figures need more runs to find an undisturbed one
    cost = timed(beyond, often)
    return Costs(timed(parse, repeat), cost, max(timed(written, often) - cost, 0.0), timed(floor, repeat))


def main(argv: Sequence[str] | None = None) -> int:
    """Print merge time against the floor, and the growth of the cost beyond parsing."""
    parser = argparse.ArgumentParser(description="submit one entry into a large leaderboard")
    parser.add_argument("--sizes", default="1000,10000,25000", help="entry counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print(
        f"{'leaderboard':<16}{'merge ms':>10}{'floor ms':>10}{'ratio':>8}{'parse ms':>10}"
        f"{'beyond parse':>14}{'texts ms':>10}"
    )
    beyond = {}
    sizes = [int(part) for part in args.sizes.split(",")]
    for size in sizes:
        costs = scenario(size, args.repeat)
        beyond[size] = costs.beyond
        merge = costs.parse + costs.beyond + costs.texts
        row = f"{merge * 1000:>10.0f}{costs.floor * 1000:>10.0f}{merge / costs.floor:>7.2f}x"
        parts = f"{costs.parse * 1000:>10.0f}{costs.beyond * 1000:>12.1f}ms{costs.texts * 1000:>10.1f}"
        print(f"{size:>8,} entries{row}{parts}")
    for small, large in itertools.pairwise(sizes):
        growth = beyond[large] / max(beyond[small], 1e-9)
        grew = f"(the leaderboard grew x{large / small:g})"
        print(f"beyond-parse cost {small:,} -> {large:,}: x{growth:.1f} {grew}")
    print("floor = orjson.loads + orjson.dumps(indent 2) of both data files; target: merge <= 3x floor")
    print("texts = building and encoding the new files from the proven pieces (as the floor's dumps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
