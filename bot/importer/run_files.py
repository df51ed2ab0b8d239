"""Where the importer reads one run directory: a folder on disk, or files held in memory (a pull
request's, read through the API as data). Both give the import the same view, so a PR's run needs no
temporary folder and its messages name the files as the pull request does."""

from __future__ import annotations

import os
import posixpath
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from bot.importer.walk import EXPORT_SUFFIX, METRICS_SUFFIX, MSG_EXPORT_IN_RUN, layout_of, run_listing


class RunFolder(ABC):
    """The files of one run directory, by name."""

    path: str

    @abstractmethod
    def join(self, name: str) -> str:
        """How messages name the file ``name`` of this run."""

    @abstractmethod
    def has(self, name: str) -> bool:
        """Whether ``name`` is a regular file of the run (symbolic links are not)."""

    @abstractmethod
    def text(self, name: str) -> str:
        """The file's text (UTF-8, a BOM tolerated); OSError or UnicodeDecodeError when unreadable."""

    @abstractmethod
    def listing(self) -> tuple[list[str], list[str]]:
        """(workload names of the ``*_metrics.json`` files, notes about files skipped)."""

    @abstractmethod
    def layout(self) -> dict[str, str]:
        """backend and model from an ``outputs/<backend>/<model>/<run>/`` path, else {}."""

    @property
    def name(self) -> str:
        """The run's folder name (the run id when the benchmark names none)."""
        return posixpath.basename(posixpath.normpath(self.path.replace(os.sep, "/")))


@dataclass(frozen=True)
class DiskRun(RunFolder):
    """A run directory on disk (``leaderboard-bot import``)."""

    path: str

    def join(self, name: str) -> str:
        """The file's path on disk."""
        return os.path.join(self.path, name)

    def has(self, name: str) -> bool:
        """A regular file, not a link."""
        path = self.join(name)
        return os.path.isfile(path) and not os.path.islink(path)

    def text(self, name: str) -> str:
        """Read through the filesystem."""
        with open(self.join(name), encoding="utf-8-sig") as handle:
            return handle.read()

    def listing(self) -> tuple[list[str], list[str]]:
        """Scanned without following links."""
        return run_listing(self.path)

    def layout(self) -> dict[str, str]:
        """From the absolute path."""
        return layout_of(self.path)


@dataclass(frozen=True)
class MemoryRun(RunFolder):
    """A run directory's files in memory: name → bytes (a pull request's, at its head)."""

    path: str
    files: Mapping[str, bytes]

    def join(self, name: str) -> str:
        """The file's repository path."""
        return f"{self.path}/{name}"

    def has(self, name: str) -> bool:
        """Files of a pull request are regular files (the PR gatherer refuses links)."""
        return name in self.files

    def text(self, name: str) -> str:
        """Decoded like a file on disk."""
        if name not in self.files:
            raise FileNotFoundError(2, "No such file or directory", self.join(name))
        return self.files[name].decode("utf-8-sig")

    def listing(self) -> tuple[list[str], list[str]]:
        """The same workloads and notes a scan of the folder would give."""
        names = sorted(self.files)
        workloads = [n[: -len(METRICS_SUFFIX)] for n in names if n.endswith(METRICS_SUFFIX)]
        notes = [
            MSG_EXPORT_IN_RUN.format(path=self.join(n))
            for n in names
            if n.endswith(EXPORT_SUFFIX) and n[: -len(EXPORT_SUFFIX)] not in workloads
        ]
        return workloads, notes

    def layout(self) -> dict[str, str]:
        """From the repository path."""
        parts = posixpath.normpath(self.path).split("/")
        if len(parts) >= 4 and parts[-4] == "outputs":
            return {"backend": parts[-3], "model": parts[-2]}
        return {}
