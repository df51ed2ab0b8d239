"""Which files of a pull request may be submissions, and which make it unmergeable.

Pure: works on the file list GitHub reports (names are data, never paths we open).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.contract.crosschecks import MULTI_FILE, SINGLE_FILE
from bot.contract.findings import Finding
from bot.contract.ruletable import RULES
from bot.github.records import PullFile

SUBMISSION_SUFFIXES = (".json", ".yaml", ".yml")
MSG_OUTSIDE = "{path} is outside the submission paths ({allowed})"
MSG_BAD_NAME = "{path} is not a plain relative path"
MSG_RENAMED_OUT = "{path} was moved here from {old}, out of the submission paths"
MSG_DATA_REMOVED = "{path} is a data file and cannot be deleted"
MSG_NOT_A_FILE = "{path} is a {kind}, not a file"
MSG_MOVED = "{path} changed while it was being read, or is a link to another file"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


@dataclass
class Classified:
    """The pull request's files sorted by role; any ``blocked`` finding forbids merging."""

    submissions: list[PullFile] = field(default_factory=list)
    data_files: list[PullFile] = field(default_factory=list)
    blocked: list[Finding] = field(default_factory=list)
    # A blocked change of a data file, or of a would-be submission: the PR is still a results PR.
    touches_data: bool = False


def submission_dir(data_dir: str) -> str:
    """Where contributors put submission files."""
    return f"{data_dir.strip('/')}/submissions/"


def classify(files: Sequence[PullFile], data_dir: str = "data") -> Classified:
    """Sort changed files into submissions, edited data files and forbidden changes."""
    result = Classified()
    data_paths = {f"{data_dir.strip('/')}/{SINGLE_FILE}", f"{data_dir.strip('/')}/{MULTI_FILE}"}
    allowed = f"{submission_dir(data_dir)}*.json|*.yaml|*.yml, {' and '.join(sorted(data_paths))}"
    for item in files:
        problem = _problem(item, data_paths, data_dir, allowed)
        if problem is not None:
            result.blocked.append(blocked(item.filename, problem))
            result.touches_data |= _touches_data(item, data_paths, data_dir)
        elif item.filename in data_paths:
            result.data_files.append(item)
        elif item.status != "removed":
            result.submissions.append(item)
    return result


def _touches_data(item: PullFile, data_paths: set[str], data_dir: str) -> bool:
    """Whether a blocked change concerns the leaderboard: a data file, or a would-be submission."""
    name = item.filename
    if name.startswith(submission_dir(data_dir)) and name.lower().endswith(SUBMISSION_SUFFIXES):
        return True
    return bool({name, item.previous_filename} & data_paths)


def _problem(item: PullFile, data_paths: set[str], data_dir: str, allowed: str) -> str | None:
    path = item.filename
    if not is_plain(path):
        return MSG_BAD_NAME.format(path=path)
    if path in data_paths:
        return MSG_DATA_REMOVED.format(path=path) if item.status == "removed" else None
    inside = path.startswith(submission_dir(data_dir)) and path.lower().endswith(SUBMISSION_SUFFIXES)
    if not inside:
        if item.status == "removed" and path.startswith(submission_dir(data_dir)):
            return None  # deleting a stray submission file is harmless
        return MSG_OUTSIDE.format(path=path, allowed=allowed)
    old = item.previous_filename
    if old and not (old.startswith(submission_dir(data_dir)) or old in data_paths):
        return MSG_RENAMED_OUT.format(path=path, old=old)
    if old in data_paths:
        return MSG_DATA_REMOVED.format(path=old)
    return None


def is_plain(path: str) -> bool:
    """A normalized relative POSIX path without control characters or backslashes."""
    if not path or path.startswith("/") or _UNSAFE.search(path):
        return False
    return posixpath.normpath(path) == path and ".." not in path.split("/")


def blocked(path: str, message: str, rule: str = "LB401") -> Finding:
    """A finding that forbids merging the pull request."""
    meta = RULES[rule]
    return Finding(path, (), rule, "error", message, meta.hint, line=1, column=1)
