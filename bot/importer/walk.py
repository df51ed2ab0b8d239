"""Find what ``leaderboard-bot import`` reads: run directories (with ``config.json``) and exported
``*_leaderboard.json`` files, given files or directories such as ``outputs/<backend>/<model>/``.

Directories are walked with ``os.scandir`` and symbolic links found inside them are never followed:
each is reported and skipped (``outputs/<backend>/<model>/latest`` is such a link), so a link loop
cannot make the walk hang or import a run twice. A symbolic link named on the command line is
followed, like ``find -H``; a looping one fails with a clear message.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

CONFIG_FILE = "config.json"
METRICS_SUFFIX = "_metrics.json"
EXPORT_SUFFIX = "_leaderboard.json"
SUMMARY_FILES = ("benchmark_summary.json", "summary.json")  # sagellm-benchmark writes the first

MSG_NO_PATH = "{path}: cannot read it ({reason}); check the path"
MSG_ARG_LINK = "{path} is a symbolic link to {target}; following it because it was named on the command line"
MSG_LINK_SKIPPED = "{path}: symbolic link to {target} skipped (links are not followed inside directories)"
MSG_LINK_LOOP = "{path}: symbolic link loop ({target}) skipped"
MSG_LINK_BROKEN = "{path}: broken symbolic link to {target} skipped"
MSG_UNREADABLE_DIR = "{path}: cannot list this directory ({reason}); fix its permissions or leave it out"
MSG_NOTHING = (
    "{path}: no sagellm-benchmark run directory (one holding config.json) and no *_leaderboard.json "
    "found; pass a run directory, an outputs/ tree or an exported entry file"
)
MSG_NOT_JSON = (
    "{path}: not a JSON file; pass a run directory, config.json, <workload>_metrics.json "
    "or *_leaderboard.json"
)
MSG_DUPLICATE = "{path}: the same as {first}, imported once"
MSG_EXPORT_IN_RUN = (
    "{path}: skipped: its workload has no metrics file in the run directory "
    "(name the file explicitly to import the export itself)"
)
MSG_NO_CONFIG = (
    "{path}: {names} not read: the folder has no config.json, so it is no run directory (only its "
    "*_leaderboard.json exports are imported); put the run's config.json back to import the run"
)
MSG_SPECIAL = "{path}: not a regular file or directory; skipped"


@dataclass(frozen=True)
class Source:
    """One thing to import: a run directory (optionally one workload of it) or an export file."""

    kind: Literal["run", "export"]
    path: str
    only_workload: str | None = None


@dataclass
class Discovery:
    """What was found under the command-line paths, and what was skipped or wrong."""

    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exit 1
    bad_paths: list[str] = field(default_factory=list)  # exit 2
    hits: int = 0
    _seen: dict[str, str] = field(default_factory=dict)

    def add(self, source: Source) -> None:
        """Add a source unless the same file or directory (or workload) was added before."""
        self.hits += 1
        key = f"{os.path.realpath(source.path)}\0{source.only_workload or ''}"
        whole = f"{os.path.realpath(source.path)}\0"
        first = self._seen.get(key) or self._seen.get(whole)
        if first is not None:
            self.notes.append(MSG_DUPLICATE.format(path=source.path, first=first))
            return
        self._seen[key] = source.path
        self.sources.append(source)


def discover(paths: Sequence[str]) -> Discovery:
    """Classify every command-line path and walk directories for runs and exports."""
    found = Discovery()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            found.bad_paths.append(MSG_NO_PATH.format(path=path, reason=exc.strerror or exc))
            continue
        if os.path.islink(path):
            found.notes.append(MSG_ARG_LINK.format(path=path, target=os.readlink(path)))
        if stat.S_ISDIR(info.st_mode):
            _directory_argument(path, found)
        elif stat.S_ISREG(info.st_mode):
            _file_argument(path, found)
        else:
            found.bad_paths.append(MSG_SPECIAL.format(path=path))
    return found


def _file_argument(path: str, found: Discovery) -> None:
    name = os.path.basename(path)
    parent = os.path.dirname(path) or "."
    if name in (CONFIG_FILE, *SUMMARY_FILES):
        found.add(Source("run", parent))
    elif name.endswith(METRICS_SUFFIX):
        found.add(Source("run", parent, only_workload=name[: -len(METRICS_SUFFIX)]))
    elif name.endswith((".json", ".md")):  # a Markdown report is refused saying what to import instead
        found.add(Source("export", path))
    else:
        found.bad_paths.append(MSG_NOT_JSON.format(path=path))


def _directory_argument(path: str, found: Discovery) -> None:
    before = found.hits
    if _is_run_directory(path):
        found.add(Source("run", path))
        return
    _walk(path, found)
    if found.hits == before:
        found.errors.append(MSG_NOTHING.format(path=path))


def _is_run_directory(path: str) -> bool:
    config = os.path.join(path, CONFIG_FILE)
    # A config.json that is a folder (or another non-file) still marks a run: reading it says what is wrong.
    return os.path.lexists(config) and not os.path.islink(config)


def _walk(root: str, found: Discovery) -> None:
    pending = [root]
    visited: set[tuple[int, int]] = set()
    while pending:
        directory = pending.pop()
        try:
            info = os.stat(directory, follow_symlinks=False)
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            found.errors.append(MSG_UNREADABLE_DIR.format(path=directory, reason=exc.strerror or exc))
            continue
        if (info.st_dev, info.st_ino) in visited:
            continue
        visited.add((info.st_dev, info.st_ino))
        pending.extend(reversed(_scan(entries, found)))


def _scan(entries: list[os.DirEntry[str]], found: Discovery) -> list[str]:
    """Handle one directory's entries; return its subdirectories to walk."""
    subdirectories = []
    for entry in entries:
        if entry.is_symlink():
            found.notes.append(_link_note(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            if _is_run_directory(entry.path):
                found.add(Source("run", entry.path))
            else:
                subdirectories.append(entry.path)
        elif entry.is_file(follow_symlinks=False) and entry.name.endswith(EXPORT_SUFFIX):
            found.add(Source("export", entry.path))
    metrics = [entry.name for entry in entries if entry.name.endswith(METRICS_SUFFIX)]
    if metrics:  # a run that lost its config.json: say why its measurements are not read
        folder = os.path.dirname(entries[0].path)
        found.notes.append(MSG_NO_CONFIG.format(path=folder, names=", ".join(metrics)))
    return subdirectories


def _link_note(path: str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return MSG_LINK_LOOP.format(path=path, target=target)
        return MSG_LINK_BROKEN.format(path=path, target=target)
    return MSG_LINK_SKIPPED.format(path=path, target=target)


def run_listing(directory: str) -> tuple[list[str], list[str]]:
    """(workload names of the regular ``*_metrics.json`` files, notes about skipped entries)."""
    workloads, notes = [], []
    exports: list[os.DirEntry[str]] = []
    with os.scandir(directory) as scan:
        for entry in sorted(scan, key=lambda entry: entry.name):
            if entry.is_symlink():
                notes.append(_link_note(entry.path))
            elif entry.name.endswith(METRICS_SUFFIX) and entry.is_file(follow_symlinks=False):
                workloads.append(entry.name[: -len(METRICS_SUFFIX)])
            elif entry.name.endswith(EXPORT_SUFFIX):
                exports.append(entry)
    for entry in exports:  # a workload's export gives its hardware; one without metrics is skipped
        if entry.name[: -len(EXPORT_SUFFIX)] not in workloads:
            notes.append(MSG_EXPORT_IN_RUN.format(path=entry.path))
    return workloads, notes


def layout_of(run_directory: str) -> dict[str, str]:
    """backend and model from an ``outputs/<backend>/<model>/<run>/`` path, else {}."""
    parts = os.path.normpath(os.path.abspath(run_directory)).split(os.sep)
    if len(parts) >= 4 and parts[-4] == "outputs":
        return {"backend": parts[-3], "model": parts[-2]}
    return {}
