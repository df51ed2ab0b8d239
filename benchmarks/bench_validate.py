"""Benchmark: `leaderboard-bot validate` against `check-jsonschema` on a synthetic 10,000-entry
data file built from the real upstream entries, plus the cold start of `--version`.

Both tools run as fresh processes through the same wrapper, which reports wall time and the
peak resident memory of that process. Prints figures and ratios; asserts nothing.

    .venv/bin/python benchmarks/bench_validate.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "leaderboard_v1.schema.json"
# Runs a module as __main__ and reports its own peak RSS (KiB) on stderr.
WRAPPER = """
import resource, runpy, sys
module = sys.argv[1]
sys.argv = [module, *sys.argv[2:]]
code = 0
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
print("MAXRSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def synthesize(count: int, clean: bool, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` entries cloned from the real ones with fresh ids and jittered metrics.

    ``clean`` repairs the known upstream drift (empty strings, zero metrics) and spreads the
    clones over distinct workloads, giving a valid leaderboard; otherwise the clones keep every
    problem of the real data (about five findings per entry).
    """
    real = json.loads((ROOT / "data" / "leaderboard_single.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    entries = []
    for index in range(count):
        entry = copy.deepcopy(real[index % len(real)])
        entry["entry_id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        metrics = entry["metrics"]
        for key in ("ttft_ms", "tbt_ms", "tpot_ms", "throughput_tps"):
            base = metrics[key] or (rng.uniform(1, 50) if clean else 0)
            metrics[key] = round(base * rng.uniform(0.8, 1.2), 3)
        if clean:
            _repair(entry, index)
        entries.append(entry)
    return entries


def _repair(entry: dict[str, Any], index: int) -> None:
    for section in ("environment", "metadata", "hardware", "model", "workload"):
        for key, value in entry[section].items():
            if value == "":
                entry[section][key] = None
    entry["workload"]["batch_size"] = 1 + index % 64
    entry["workload"]["concurrent_requests"] = 1 + index // 64


def measure(module: str, args: Sequence[str], repeat: int) -> tuple[float, int, int]:
    """Median wall seconds, max peak RSS in KiB and the exit code of ``python -m module args``."""
    times, peaks, code = [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, module, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        times.append(time.perf_counter() - start)
        rss = [line for line in done.stderr.splitlines() if line.startswith("MAXRSS ")]
        peaks.append(int(rss[-1].split()[1]) if rss else 0)
        code = done.returncode
    return statistics.median(times), max(peaks), code


def cold_start(repeat: int) -> tuple[float, float]:
    """Median wall seconds of `leaderboard-bot --version` and of a bare interpreter start."""
    script = Path(sys.executable).with_name("leaderboard-bot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]

    def timed(cmd: list[str]) -> float:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    return timed([*command, "--version"]), timed([sys.executable, "-c", "pass"])


def _row(name: str, figures: tuple[float, int, int]) -> str:
    wall, peak, code = figures
    return f"{name:<26}{wall:>8.2f}{peak / 1024:>10.0f}{code:>6}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table of figures."""
    parser = argparse.ArgumentParser(description="validate vs check-jsonschema on a synthetic leaderboard")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    header = f"{'command':<26}{'wall s':>8}{'peak MiB':>10}{'exit':>6}"
    print(f"{'data file':<30}{header}{'speed-up':>10}{'memory':>8}")
    for clean in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "leaderboard_single.json"
            data.write_text(json.dumps(synthesize(args.entries, clean), indent=2) + "\n", encoding="utf-8")
            label = (
                f"{args.entries:,} {'valid' if clean else 'as-is real'} ({data.stat().st_size / 1e6:.0f} MB)"
            )
            ours = measure("bot", ["validate", "--format", "json", str(data)], args.repeat)
            theirs = measure("check_jsonschema", ["--schemafile", str(SCHEMA), str(data)], args.repeat)
        speed, memory = f"{theirs[0] / ours[0]:.1f}x", f"{ours[1] / max(theirs[1], 1):.2f}"
        print(f"{label:<30}{_row('leaderboard-bot validate', ours)}{speed:>10}{memory:>8}")
        print(f"{'':<30}{_row('check-jsonschema', theirs)}")
    print("speed-up = check-jsonschema wall time / ours; memory = our peak RSS / check-jsonschema's")
    version, bare = cold_start(max(args.repeat, 10))
    print(
        f"cold start `leaderboard-bot --version`: {version * 1000:.0f} ms (bare python: {bare * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
