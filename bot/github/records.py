"""What the GitHub adapter hands out: plain records of pull requests, files and comments, and the two
refusals a write can meet. No PyGithub here: bot.github.api builds these from its answers (and from
webhook payloads), the handlers read them."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ANNOTATIONS_PER_REQUEST = 50  # GitHub refuses more in one check-run request
OUTPUT_LIMIT = 65_535
GHOST = "ghost"  # GitHub shows a deleted account as @ghost; the API says "user": null


@dataclass(frozen=True)
class PullInfo:
    """The facts about a pull request the bot decides on."""

    number: int
    author: str
    head_sha: str
    head_ref: str
    head_repo: str
    base_ref: str
    state: str
    merged: bool
    labels: tuple[str, ...] = ()
    draft: bool = False  # GitHub merges no draft, and neither does the bot
    merge_commit: str | None = None  # the commit that merged it, once merged
    opened_at: str | None = None  # when it was opened (UTC, ISO 8601): the submission time of its entries


@dataclass(frozen=True)
class PullFile:
    """One file changed by a pull request, against the merge base."""

    filename: str
    status: str
    sha: str | None
    previous_filename: str | None = None
    patch: str | None = None  # the unified diff; GitHub leaves it out for binary and large changes
    additions: int = 0
    deletions: int = 0
    commit: str | None = None  # the head commit GitHub listed the file at (its contents_url's ref)


@dataclass(frozen=True)
class FileContent:
    """A file read at a commit: its bytes, blob sha and type (file, symlink, submodule, dir)."""

    path: str
    kind: str
    sha: str
    data: bytes
    size: int


@dataclass(frozen=True)
class Comment:
    """An issue or pull-request comment."""

    id: int
    author: str
    body: str


@dataclass(frozen=True)
class Annotation:
    """A check-run annotation on one line of a file of the pull request."""

    path: str
    line: int
    level: str  # notice | warning | failure
    title: str
    message: str


class Conflict(Exception):
    """A compare-and-swap lost: the ref moved, or the thing already exists."""


class Refused(Exception):
    """GitHub refused a ref update for a reason retrying cannot change (protection, rulesets, signing)."""


def pull_info(raw: Mapping[str, Any]) -> PullInfo:
    """The facts of a pull request object, as the REST API or a webhook payload gives it."""
    return PullInfo(
        number=int(raw["number"]),
        author=(raw.get("user") or {}).get("login", GHOST),
        head_sha=raw["head"]["sha"],
        head_ref=raw["head"]["ref"],
        head_repo=(raw["head"].get("repo") or {}).get("full_name", ""),
        base_ref=raw["base"]["ref"],
        state=raw["state"],
        merged=bool(raw.get("merged")),
        labels=tuple(label["name"] for label in raw.get("labels", [])),
        draft=bool(raw.get("draft")),
        merge_commit=raw.get("merge_commit_sha") if raw.get("merged") else None,
        opened_at=raw.get("created_at"),
    )


def check_run_outputs(output: Mapping[str, str], annotations: Sequence[Annotation]) -> list[dict[str, Any]]:
    """The ``output`` of a check run's creation, then of each edit carrying the next 50 annotations:
    texts cut to GitHub's limit and repeated in each (the API requires title and summary in every output)."""
    texts = {key: value[:OUTPUT_LIMIT] for key, value in output.items()}
    batches = [
        annotations[i : i + ANNOTATIONS_PER_REQUEST]
        for i in range(0, len(annotations), ANNOTATIONS_PER_REQUEST)
    ] or [[]]
    return [{**texts, "annotations": [annotation_payload(a) for a in batch]} for batch in batches]


def annotation_payload(item: Annotation) -> dict[str, str | int]:
    """An annotation as the check-runs API takes it (title and message cut to GitHub's limits)."""
    return {
        "path": item.path,
        "start_line": item.line,
        "end_line": item.line,
        "annotation_level": item.level,
        "title": item.title[:255],
        "message": item.message[:64_000],
    }


def listed_at(contents_url: str | None) -> str | None:
    """The commit a pull-request file item was listed at: the ``ref`` of its ``contents_url``."""
    query = urllib.parse.urlsplit(contents_url or "").query
    refs = urllib.parse.parse_qs(query).get("ref")
    return refs[0] if refs else None


def pull_url(repository: str, number: int) -> str:
    """The pull request's address, the seed of the entry_ids it gets (the same on GitHub Enterprise)."""
    return f"https://github.com/{repository.strip().lower()}/pull/{number}"
