"""Benchmark: the Action's install step under a real runner (nektos/act, host mode) for a PR check on the
stand-in, cold and warm, against the install it replaced (a fresh venv and `pip install "$ACTION_PATH"`)
measured in the same run. Every installer reads the same local wheelhouse (.venv/wheelhouse, built by
tests/run.sh), so the figures leave out download time; "cold" means empty installer caches and no cached
environment. Prints figures and ratios; asserts nothing.

    .venv/bin/python -m benchmarks.bench_action [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.support.act_stage import ActStage, check_wheelhouse
from tests.support.bot_stage import REPO, as_file, entry
from tests.support.standin import GitHubStandin

ROOT = Path(__file__).resolve().parent.parent

INSTALL_STEP = "validate/Main Install leaderboard-bot"
CACHE_STEP = "validate/Main actions/cache@"
NEW_INSTALL = '      run: bash "$ACTION_PATH/requirements/install.sh"\n'
# The install step before the lock and the cached environment (pip builds and installs the Action itself).
OLD_INSTALL = """      run: |
        "$PYTHON" -m venv --clear "$RUNNER_TEMP/lb-venv"
        "$RUNNER_TEMP/lb-venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off \\
          "$ACTION_PATH"
"""
TARGET_COLD, TARGET_WARM, TARGET_WARM_RATIO = 0.25, 3.0, 0.1


def _step(steps: dict[str, float], prefix: str) -> float:
    return sum(seconds for name, seconds in steps.items() if name.startswith(prefix))


def pr_checks(store: Path, runs: int, old: bool) -> list[tuple[float, float]]:
    """(install step, cache restore) seconds of ``runs`` PR checks sharing one runner store."""
    out = []
    with GitHubStandin() as srv, tempfile.TemporaryDirectory() as tmp:
        stage = ActStage(srv, Path(tmp), store=store)
        if old:
            action = (ROOT / "action.yml").read_text(encoding="utf-8")
            assert NEW_INSTALL in action, "action.yml's install step changed: update the benchmark"
            srv.commit(REPO, "main", {"action.yml": action.replace(NEW_INSTALL, OLD_INSTALL)}, author="admin")
        for index in range(runs):
            item = entry(entry_id=f"{index:08x}-0000-4000-8000-00000000beef")
            number = stage.open_pr({f"data/submissions/n{index}.json": as_file(item)}, branch=f"b{index}")
            run = stage.act("pull_request_target", stage.pr_payload(number), "leaderboard.yml")
            assert run.jobs == {"validate": "success"}, run.log[-3000:]
            out.append((_step(run.steps, INSTALL_STEP), _step(run.steps, CACHE_STEP)))
    return out


def script_on_a_hit(store: Path, repeat: int = 5) -> float:
    """Median seconds of requirements/install.sh itself on a cache hit (no runner around it): the cached
    environment is unpacked as actions/cache would, then the script only re-points it."""
    (tar,) = (store / "cache").glob("*.tar")
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "work" / "workspace"
        workspace.mkdir(parents=True)
        # As tests/act/actions/cache restores it: -P keeps the path outside the workspace (../tmp/lb-venv).
        unzstd = ["--use-compress-program", "zstd -d --long=30"] if shutil.which("zstd") else []
        subprocess.run(["tar", *unzstd, "-xf", str(tar), "-P", "-C", str(workspace)], check=True)
        (venv,) = Path(tmp).glob("work/*/lb-venv")
        env = {
            **os.environ,
            "PYTHON": "unused",
            "VENV": str(venv),
            "ACTION_PATH": str(ROOT),
            "CACHE_HIT": "true",
        }
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                ["bash", str(ROOT / "requirements" / "install.sh")],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(repeat: int) -> dict[str, list[float]]:
    """Install seconds per case over ``repeat`` fresh runner stores."""
    names = (
        "pip, cold",
        "pip, warm pip cache",
        "uv, cold",
        "cache hit",
        "cache hit: restore",
        "hit: script alone",
    )
    cases: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as old_store, tempfile.TemporaryDirectory() as new_store:
            (cold_pip, _), (warm_pip, _) = pr_checks(Path(old_store), 2, old=True)
            (cold, _), (hit, restore) = pr_checks(Path(new_store), 2, old=False)
            cases["hit: script alone"].append(script_on_a_hit(Path(new_store)))
        cases["pip, cold"].append(cold_pip)
        cases["pip, warm pip cache"].append(warm_pip)
        cases["uv, cold"].append(cold)
        cases["cache hit"].append(hit)
        cases["cache hit: restore"].append(restore)
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    """Print the install step's cost per case, with ratios to the old cold install."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="fresh runner stores to measure (median)")
    args = parser.parse_args(argv)
    check_wheelhouse()
    cases = measure(args.repeat)
    baseline = statistics.median(cases["pip, cold"])
    print(f"{'install step':<26}{'seconds':>9}{'vs pip cold':>13}")
    for name, values in cases.items():
        seconds = statistics.median(values)
        print(f"{name:<26}{seconds:>9.2f}{seconds / baseline:>12.2f}x")
    cold, hit = statistics.median(cases["uv, cold"]), statistics.median(cases["cache hit"])
    restore = statistics.median(cases["cache hit: restore"])
    script = statistics.median(cases["hit: script alone"])
    cold_ok = "met" if cold <= TARGET_COLD * baseline else "MISSED"
    hit_ok = "met" if hit <= min(TARGET_WARM, TARGET_WARM_RATIO * baseline) else "MISSED"
    print(f"target: uv cold <= {TARGET_COLD:.2f}x pip cold: {cold_ok}")
    print(
        f"target: install step on a cache hit <= {TARGET_WARM:.0f} s"
        f" and <= {TARGET_WARM_RATIO:.2f}x pip cold: ",
        end="",
    )
    print(
        f"{hit_ok} (with the cache restore: {hit + restore:.2f} s, {(hit + restore) / baseline:.2f}x;", end=""
    )
    print(f" the script alone: {script * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
