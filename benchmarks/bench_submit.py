"""Benchmark: submitting one entry into a 1,000- and a 10,000-entry leaderboard, in process.

The floor, measured in the same run, is what any merge must at least do: parse both data files
and serialize them again with the same library (``json``). The merge itself is measured from
already-read bytes to the new file texts (load, validate the submission, cross-check against the
whole leaderboard, splice, re-read to verify). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_submit.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import synthesize

from bot.config import Config
from bot.loader import load_bytes
from bot.submit import evaluate

ROOT = Path(__file__).resolve().parent.parent
SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``action``."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def scenario(size: int, repeat: int) -> tuple[float, float, float]:
    """(merge, floor, parse-only) seconds for one submission into ``size`` entries."""
    single = (json.dumps(synthesize(size, clean=True), indent=2) + "\n").encode()
    multi = (ROOT / MULTI).read_bytes()
    submission = (ROOT / "examples" / "single-gpu.json").read_bytes()

    def floor() -> None:
        for raw in (single, multi):
            json.dumps(json.loads(raw), indent=2)

    def merge() -> None:
        base = {}
        for name, raw in ((SINGLE, single), (MULTI, multi)):
            document = load_bytes(name, raw, max_bytes=1 << 30, max_depth=32).document
            assert document is not None
            base[name] = document
        files = [
            load_bytes("data/submissions/new.json", submission, max_bytes=1 << 20, max_depth=32).document
        ]
        outcome = evaluate(base, [f for f in files if f is not None], Config())
        assert not outcome.errors
        assert outcome.merge.texts

    def parse() -> None:
        for name, raw in ((SINGLE, single), (MULTI, multi)):
            load_bytes(name, raw, max_bytes=1 << 30, max_depth=32)

    return timed(merge, repeat), timed(floor, repeat), timed(parse, repeat)


def main(argv: Sequence[str] | None = None) -> int:
    """Print merge time against the floor for 1k and 10k entries."""
    parser = argparse.ArgumentParser(description="submit one entry into a large leaderboard")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"{'leaderboard':<16}{'merge ms':>10}{'floor ms':>10}{'ratio':>8}{'parse ms':>10}{'beyond parse':>14}"
    )
    beyond = {}
    for size in (1_000, 10_000):
        merge, floor, parse = scenario(size, args.repeat)
        beyond[size] = merge - parse
        row = f"{merge * 1000:>10.0f}{floor * 1000:>10.0f}{merge / floor:>7.2f}x{parse * 1000:>10.0f}"
        print(f"{size:>8,} entries{row}{beyond[size] * 1000:>12.0f}ms")
    print(f"beyond-parse cost 1k -> 10k: x{beyond[10_000] / beyond[1_000]:.1f} (the leaderboard grew x10)")
    print("floor = json.loads + json.dumps(indent=2) of both data files; target: merge <= 3x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
