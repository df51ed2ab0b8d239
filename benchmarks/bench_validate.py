"""Benchmark: `leaderboard-bot validate` against `check-jsonschema` and against the floor, on
synthetic data files of 1,000, 10,000 and 25,000 entries built from the real upstream entries
(once repaired into a valid leaderboard, once with every real problem), plus the cold start of
`--version`, then the merge benchmarks (bench_submit.py: the cost beyond parsing; bench_batch.py: a
batch of pull requests) at the same sizes.

The floor is what any validator must at least do: parse the file with orjson and ask jsonschema-rs
(Rust) whether each entry is valid. All three run as fresh processes through the same launcher,
which reports what the kernel charged the process (CPU time, peak resident memory); wall time is
measured outside.
Ratios are taken within one run, side by side, the three commands taking turns round by round, so
they stay meaningful on a loaded machine (CPU time is the steadier one there), and the speed-up is
also given round by round (check-jsonschema's run over ours just before it: the median and the range),
since the host's speed drifts within a run and check-jsonschema's runs last twenty times longer than
ours, so the two medians may come from different speeds. check-jsonschema runs
from the bytecode pip compiled when it was installed; the bot's package is compiled the same way
first (an editable install compiles on first import, except where PYTHONDONTWRITEBYTECODE is set, as
on the machine the README figures come from, and every run would otherwise compile the whole package
again). Prints figures and ratios; asserts nothing.

    .venv/bin/python -m benchmarks.bench_validate [--sizes 1000,10000,25000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import compileall
import copy
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "leaderboard_v1.schema.json"
FLOOR = Path(__file__).resolve().parent / "floor_validate.py"
# Starts a module (or a script path) as a fresh process and reports what the kernel charged it, taken
# from outside by wait4: its peak resident memory (KiB), CPU seconds and the kernel's share of them
# (page faults on fresh memory, mostly). So a command that ends with os._exit, skipping its teardown,
# is measured in full like any other. The launcher is small on purpose: Linux carries the peak of the
# process that calls exec over into the new program's, and the launcher's is below every command's.
LAUNCHER = """
import os, sys
target, args = sys.argv[1], sys.argv[2:]
command = [target] if target.endswith(".py") else ["-m", target]
pid = os.posix_spawn(sys.executable, [sys.executable, *command, *args], os.environ)
_, status, usage = os.wait4(pid, 0)
print("MAXRSS", usage.ru_maxrss, usage.ru_utime + usage.ru_stime, usage.ru_stime, file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
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
        _distinct_time(entry["metadata"], index)
        metrics = entry["metrics"]
        for key in ("ttft_ms", "tbt_ms", "tpot_ms", "throughput_tps"):
            base = metrics[key] or (rng.uniform(1, 50) if clean else 0)
            metrics[key] = round(base * rng.uniform(0.8, 1.2), 3)
        if clean:
            _repair(entry, index)
        entries.append(entry)
    return entries


def _distinct_time(metadata: dict[str, Any], index: int) -> None:
    """Each clone submitted at its own time, as in a real leaderboard: times that repeated 48 values
    would let every cache of parsed times hit (ours do, check-jsonschema has none)."""
    value = metadata.get("submitted_at")
    if isinstance(value, str) and value:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        metadata["submitted_at"] = (when - dt.timedelta(seconds=37 * index)).isoformat()


def _repair(entry: dict[str, Any], index: int) -> None:
    for section in ("environment", "metadata", "hardware", "model", "workload"):
        for key, value in entry[section].items():
            if value == "":
                entry[section][key] = None
    entry["workload"]["batch_size"] = 1 + index % 64
    entry["workload"]["concurrent_requests"] = 1 + index // 64


@dataclass
class Run:
    """Wall, CPU and system seconds, peak RSS (KiB) and exit code of a command: one process's, or the
    medians (the largest peak, the last code) over several."""

    wall: float
    cpu: float
    peak: int
    code: int
    system: float  # the kernel's part of ``cpu``


def run_once(module: str, args: Sequence[str]) -> Run:
    """Figures of one fresh process of ``python -m module args`` (or of a script path)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, module, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    rss = [line.split() for line in done.stderr.splitlines() if line.startswith("MAXRSS ")]
    if not rss:
        return Run(wall, 0.0, 0, done.returncode, 0.0)
    peak, cpu, system = rss[-1][1:4]
    return Run(wall, float(cpu), int(peak), done.returncode, float(system))


def measure(commands: Sequence[tuple[str, Sequence[str]]], repeat: int) -> list[list[Run]]:
    """Each command's figures in each of ``repeat`` rounds (``rounds[r][c]``), the commands taking
    turns in every round: a host that slows down for a minute slows all of them, not the one that
    happened to run then."""
    return [[run_once(module, args) for module, args in commands] for _ in range(repeat)]


def medians(rounds: Sequence[Sequence[Run]]) -> list[Run]:
    """Each command's median figures over the rounds (the largest peak, the last exit code)."""
    median = statistics.median
    return [
        Run(
            median(r.wall for r in runs),
            median(r.cpu for r in runs),
            max(r.peak for r in runs),
            runs[-1].code,
            median(r.system for r in runs),
        )
        for runs in zip(*rounds, strict=True)
    ]


def speedups(rounds: Sequence[Sequence[Run]]) -> list[float]:
    """check-jsonschema's CPU time over ours, round by round: the two ran one after the other, so
    each ratio compares them under one host speed."""
    return [theirs.cpu / ours.cpu for ours, theirs, *_ in rounds]


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


def _row(label: str, name: str, run: Run, extra: str = "") -> str:
    figures = f"{run.wall:>8.2f}{run.cpu:>8.2f}{run.system:>8.2f}{run.peak / 1024:>9.0f}{run.code:>5}"
    return f"{label:<24}{name:<18}{figures}{extra}"


def _ratios(ours: Run, theirs: Run, floor: Run, paired: Sequence[float]) -> str:
    speed = f"{theirs.cpu / ours.cpu:.1f}x ({theirs.wall / ours.wall:.1f}x)"
    spread = f"{statistics.median(paired):.1f}x {min(paired):.1f}-{max(paired):.1f}"
    return f"{speed:>16}{spread:>17}{ours.cpu / floor.cpu:>9.1f}x{ours.peak / max(theirs.peak, 1):>8.2f}"


def compare(size: int, clean: bool, repeat: int) -> None:
    """Print our figures, check-jsonschema's and the floor's for one synthetic data file."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "leaderboard_single.json"
        data.write_text(json.dumps(synthesize(size, clean), indent=2) + "\n", encoding="utf-8")
        megabytes = data.stat().st_size / 1e6
        commands = [
            ("bot", ["validate", "--format", "json", str(data)]),
            ("check_jsonschema", ["--schemafile", str(SCHEMA), str(data)]),
            (str(FLOOR), [str(SCHEMA), str(data)]),
        ]
        rounds = measure(commands, repeat)
    ours, theirs, floor = medians(rounds)
    label = f"{size:,} {'valid' if clean else 'as-is'} ({megabytes:.0f} MB)"
    print(_row(label, "leaderboard-bot", ours, _ratios(ours, theirs, floor, speedups(rounds))))
    print(_row("", "check-jsonschema", theirs))
    print(_row("", "floor", floor))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table of figures."""
    parser = argparse.ArgumentParser(description="validate vs check-jsonschema on synthetic leaderboards")
    parser.add_argument("--sizes", default="1000,10000,25000", help="entry counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-merge", dest="merge", action="store_false", help="skip the merge benchmark")
    args = parser.parse_args(argv)
    compileall.compile_dir(ROOT / "bot", quiet=1)  # as pip compiles an installed package
    head = f"{'data file':<24}{'command':<18}{'wall s':>8}{'cpu s':>8}{'sys s':>8}{'peak MiB':>9}{'exit':>5}"
    print(f"{head}{'speed-up cpu (wall)':>20}{'paired, range':>17}{'x floor':>10}{'memory':>8}")
    for size in (int(part) for part in args.sizes.split(",")):
        for clean in (True, False):
            compare(size, clean, args.repeat)
    print("speed-up = check-jsonschema's time / ours (medians); paired = the median and the range of")
    print("check-jsonschema's CPU time / ours within each round; x floor = our CPU time / the floor's")
    print("(orjson + jsonschema-rs); memory = our peak RSS / check-jsonschema's; sys = the kernel's part")
    print("of the CPU time (page faults on fresh memory, mostly)")
    version, bare = cold_start(max(args.repeat, 10))
    print(
        f"cold start `leaderboard-bot --version`: {version * 1000:.0f} ms (bare python: {bare * 1000:.0f} ms)"
    )
    if args.merge:
        print()
        from benchmarks import bench_batch, bench_submit  # the merge benchmarks, same sizes, same run

        bench_submit.main(["--sizes", args.sizes])
        print()
        bench_batch.main(["--sizes", args.sizes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
