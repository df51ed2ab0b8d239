"""The act tier's runner: the repository's workflow files run by nektos/act in host mode against the
stand-in, fed with real webhook payloads, with the third-party actions replaced by tests/act/actions/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.markers import Marker

from tests.support.bot_stage import REPO, Stage
from tests.support.paths import ROOT
from tests.support.standin import Symlink
from tests.support.standin.seed import FileValue

ACT = Path(sys.executable).parent / "act"
LOCAL_ACTIONS = ROOT / "tests" / "act" / "actions"
WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
# The workflow files the tier runs (CI's own workflow would run the whole suite inside itself).
WORKFLOWS = ("leaderboard.yml", "leaderboard-approval-relay.yml", "pages.yml")
LOCKS = (ROOT / "requirements" / "action.txt", ROOT / "requirements" / "uv.txt")
# What the base branch holds for the workflows: the Action (its code and locks), the data, the config.
SEED_DIRS = ("bot", "schemas", "data", ".github", "requirements")
SEED_TOP = ("action.yml", "pyproject.toml", "README.md")
STEP_RE = re.compile(r"(?:Success|Failure) - (Main|Post) (.*?) \[")
USES_RE = re.compile(r"uses:\s*([\w.-]+/[\w.-]+)@([0-9a-f]{40})")
MSG_NO_WHEELS = (
    "{missing} is not in {wheelhouse}: run `bash tests/run.sh` once (it downloads the Action's wheels)"
)


def remote_actions() -> dict[str, str]:
    """Each pinned third-party action of the tier's workflows and the Action: ``owner/name@sha`` -> folder."""
    found: dict[str, str] = {}
    for path in [ROOT / "action.yml", *(ROOT / ".github" / "workflows" / name for name in WORKFLOWS)]:
        for name, sha in USES_RE.findall(path.read_text(encoding="utf-8")):
            local = LOCAL_ACTIONS / name.split("/", 1)[1]
            if not (local / "action.yml").is_file():
                raise AssertionError(f"{name}@{sha} ({path.name}): no local stand-in in {LOCAL_ACTIONS}")
            found[f"{name}@{sha}"] = str(local)
    return found


def seed_files() -> dict[str, FileValue]:
    """The repository files the base branch starts with (the working tree, so local edits are tested)."""
    files: dict[str, FileValue] = {name: (ROOT / name).read_bytes() for name in SEED_TOP}
    for folder in SEED_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            name = path.relative_to(ROOT).as_posix()
            if "__pycache__" in path.parts:
                continue
            if path.is_symlink():  # bot/contract/schemas -> ../schemas: the checkout must recreate it
                files[name] = Symlink(os.readlink(path))
            elif path.is_file():
                files[name] = path.read_bytes()
    return files


def check_wheelhouse() -> None:
    """Fail with the fix when the offline wheelhouse lacks a pinned wheel."""
    names = {p.name.split("-")[0].lower().replace("_", "-") for p in WHEELHOUSE.glob("*.whl")}
    for lock in LOCKS:
        for line in lock.read_text().splitlines():
            match = re.match(r"^([A-Za-z0-9_.-]+)==", line)
            if match and match.group(1).lower().replace("_", "-") not in names:
                marker = line.split(";", 1)[1].rstrip(" \\") if ";" in line else ""
                if marker and not Marker(marker).evaluate():
                    continue  # not for this platform or Python
                raise AssertionError(MSG_NO_WHEELS.format(missing=match.group(1), wheelhouse=WHEELHOUSE))


@dataclass
class ActRun:
    """One act invocation: its exit code, each job's result, the log and how long it took."""

    code: int
    jobs: dict[str, str]
    log: str
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)

    def ran(self) -> set[str]:
        """The ids of the jobs that ran (whatever their result)."""
        return set(self.jobs)


@dataclass
class ActStage(Stage):
    """A :class:`Stage` whose events are delivered to the workflow files run by act."""

    store: Path | None = None  # cache, tool cache and artifacts; shared by the runs of a test session
    # More `owner/name@sha` -> folder replacements, e.g. the bot's own Action called from another repository.
    local_actions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.store = self.store or self.tmp / "store"
        self.source = self.tmp / "source"  # act's working directory: a clone-like folder of the workflows
        self.seed()
        for args in (["init", "-q", "-b", "main"], ["remote", "add", "origin", f"https://github.com/{REPO}"]):
            subprocess.run(["git", *args], cwd=self.source, check=True)
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@localhost",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "x",
            ],
            cwd=self.source,
            check=True,
        )
        self._runs = 0

    def seed(self) -> None:
        """The base branch and act's workflows: this repository's own (the Action as `./`)."""
        self.srv.commit(REPO, "main", seed_files(), "Add the Action and its workflows", author="admin")
        shutil.copytree(ROOT / ".github" / "workflows", self.source / ".github" / "workflows")

    def artifacts(self, run: int) -> Path:
        """Where the ``run``-th act run (counting from 1) kept its artifacts."""
        return self.tmp / f"artifacts{run}"

    def act_env(self) -> dict[str, str]:
        """What every job sees besides the standard variables: the API, the stores and offline installers."""
        assert self.store is not None
        uv_config = self.store / "uv.toml"
        uv_config.parent.mkdir(parents=True, exist_ok=True)
        uv_config.write_text(f'no-index = true\nfind-links = ["{WHEELHOUSE}"]\n')
        return {
            "GITHUB_API_URL": self.srv.url,
            "GITHUB_SERVER_URL": "https://github.example",
            "ACT_HOST_PYTHON": getattr(sys, "_base_executable", sys.executable),
            "ACT_TOOL_CACHE": str(self.store / "toolcache"),
            "ACT_CACHE_STORE": str(self.store / "cache"),
            "ACT_ARTIFACTS": str(self.artifacts(self._runs)),
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(WHEELHOUSE),
            "PIP_CACHE_DIR": str(self.store / "pip-cache"),
            "UV_CONFIG_FILE": str(uv_config),
            "UV_CACHE_DIR": str(self.store / "uv-cache"),
        }

    def act(self, event: str, payload: dict[str, Any], workflow: str, token: str | None = None) -> ActRun:
        """Run one workflow file for one event with act; ``token`` is the run's GITHUB_TOKEN."""
        assert workflow in WORKFLOWS, f"{workflow} is not one of the tier's workflows"
        self._runs += 1
        event_path = self.tmp / f"act-event{self._runs}.json"
        event_path.write_text(json.dumps(self.as_delivered(payload)), encoding="utf-8")
        args = [
            str(ACT),
            event,
            "-W",
            f".github/workflows/{workflow}",
            "-e",
            str(event_path),
            "-P",
            "ubuntu-latest=-self-hosted",
            "--no-skip-checkout",
            "--no-cache-server",
            "--action-offline-mode",
            "--pull=false",
            "--json",
            "--action-cache-path",
            str(self.tmp / "act-cache"),
            "-s",
            f"GITHUB_TOKEN={token or self.token}",
        ]
        for name, folder in {**remote_actions(), **self.local_actions}.items():
            args += ["--local-repository", f"{name}={folder}"]
        for name, value in self.act_env().items():
            args += ["--env", f"{name}={value}"]
        env = {**os.environ, "HOME": str(self.tmp / "home")}
        started = time.monotonic()
        done = subprocess.run(
            args, cwd=self.source, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        log = done.stdout + done.stderr
        # No network: every remote action must come from --local-repository, never from a clone.
        assert "git clone" not in log, f"act tried to clone an action:\n{log[-2000:]}"
        return _parse(done.returncode, log, time.monotonic() - started)


def _parse(code: int, log: str, seconds: float) -> ActRun:
    """Job results and step durations from act's JSON log lines."""
    jobs: dict[str, str] = {}
    steps: dict[str, float] = {}
    lines = []
    for raw in log.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            lines.append(raw)
            continue
        lines.append(f"[{entry.get('jobID', '')}] {entry.get('msg', '')}".rstrip())
        if "jobResult" in entry:
            jobs[str(entry["jobID"])] = str(entry["jobResult"])
        step = STEP_RE.search(str(entry.get("msg", "")))
        if step and "executionTime" in entry:
            steps[f"{entry['jobID']}/{step.group(1)} {step.group(2)}"] = int(entry["executionTime"]) / 1e9
    return ActRun(code, jobs, "\n".join(lines), seconds, steps)
