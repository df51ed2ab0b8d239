"""Benchmark: a merge queue landing ten pull requests in one batch, in process, into leaderboards of
1,000, 10,000 and 25,000 entries (run at the end of bench_validate.py).

Each pull request is checked against the base plus the ones accepted before it. The batch planner
goes on with the merged documents built from what the merge's proof read (``merged_documents``); before, it
loaded the merged data files again for every pull request. Both are timed here side by side on the
same submissions (CPU time, the fastest of ``--repeat`` runs), with the cost per pull request and the
ratio. Prints; asserts nothing but that every submission merges.

    .venv/bin/python -m benchmarks.bench_batch [--sizes 1000,10000,25000] [--count 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import uuid
from collections.abc import Callable, Sequence

from benchmarks.bench_submit import MULTI, ROOT, SINGLE, timed
from benchmarks.bench_validate import synthesize
from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.evaluate import Submission, evaluate
from bot.ledger.merge import MergeResult
from bot.ledger.merged import Limits, next_base

Advance = Callable[[dict[str, Document], MergeResult], dict[str, Document]]
LIMITS = Limits(max_bytes=1 << 30, max_depth=32)


def _load(name: str, text: str) -> Document:
    document = load_bytes(name, text.encode("utf-8"), max_bytes=1 << 30, max_depth=32).document
    assert document is not None
    return document


def _submissions(count: int) -> list[Document]:
    """``count`` distinct entries (fresh ids, distinct batch sizes) as submission files."""
    example = json.loads((ROOT / "examples" / "single-gpu.json").read_text(encoding="utf-8"))
    rng, files = random.Random(3), []
    for number in range(count):
        entry = {**example, "entry_id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}
        entry["workload"] = {**example["workload"], "batch_size": 1000 + number}
        files.append(_load(f"data/submissions/{number}.json", json.dumps(entry, indent=2)))
    return files


def handed_on(base: dict[str, Document], merge: MergeResult) -> dict[str, Document]:
    """The next base as the batch planner makes it: the merge's documents (else the texts loaded)."""
    return next_base(base, merge, LIMITS) or reloaded(base, merge)


def reloaded(base: dict[str, Document], merge: MergeResult) -> dict[str, Document]:
    """The next base as before: every merged data file loaded again from its text."""
    return {**base, **{name: _load(name, text) for name, text in merge.texts.items()}}


def run_batch(base: dict[str, Document], files: list[Document], advance: Advance) -> None:
    """Merge the submissions one after another, each against the base the one before left."""
    current = dict(base)
    for file in files:
        outcome = evaluate(current, Submission([file]), Config())
        assert not outcome.errors, outcome.errors
        assert outcome.merge.texts
        current = advance(current, outcome.merge)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the batch's cost per pull request both ways, and the ratio."""
    parser = argparse.ArgumentParser(description="land a batch of pull requests into a large leaderboard")
    parser.add_argument("--sizes", default="1000,10000,25000", help="entry counts, comma-separated")
    parser.add_argument("--count", type=int, default=10, help="pull requests in the batch")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    files = _submissions(args.count)
    title = f"batch of {args.count} PRs"
    print(f"{title:<20}{'handed on ms/PR':>17}{'reloaded ms/PR':>16}{'ratio':>8}")
    for size in (int(part) for part in args.sizes.split(",")):
        single = json.dumps(synthesize(size, clean=True), indent=2) + "\n"
        base = {
            SINGLE: _load(SINGLE, single),
            MULTI: _load(MULTI, (ROOT / MULTI).read_text(encoding="utf-8")),
        }
        ours = timed(functools.partial(run_batch, base, files, handed_on), args.repeat) / args.count
        before = timed(functools.partial(run_batch, base, files, reloaded), args.repeat) / args.count
        print(f"{size:>8,} entries{ours * 1000:>21.1f}{before * 1000:>16.1f}{before / ours:>7.1f}x")
    print("handed on = each PR checked against the merged documents of the one before (the batch planner);")
    print("reloaded = the merged data files loaded again for every PR (the planner before)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
