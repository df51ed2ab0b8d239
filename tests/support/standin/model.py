"""Plain records of the stand-in's state: users, tokens, repositories, issues, pulls and their parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("admin", "maintain", "write", "triage", "read", "none")
ROLE_RANK = {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}
ACTIONS_BOT = "github-actions[bot]"
DEFAULT_LABELS = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)


@dataclass
class User:
    """An account: ``User``, ``Bot`` (logins ending in ``[bot]``) or ``Organization``."""

    login: str
    id: int
    type: str = "User"


@dataclass
class Token:
    """An API token: ``user`` (PAT), ``actions`` (the workflow GITHUB_TOKEN) or ``app`` (installation)."""

    value: str
    login: str
    kind: str = "user"
    workflows: bool = True
    read_only: bool = False
    limit: int = 1000
    used: int = 0
    window_start: float = 0.0

    @property
    def installation(self) -> bool:
        """True for installation tokens (GITHUB_TOKEN or a GitHub App's)."""
        return self.kind in ("actions", "app")


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Comment:
    """An issue or pull request conversation comment."""

    id: int
    number: int
    user: str
    body: str
    created_at: float
    updated_at: float


@dataclass
class Review:
    """A pull request review; ``state`` is REST upper-case (APPROVED, CHANGES_REQUESTED, COMMENTED...)."""

    id: int
    number: int
    user: str
    state: str
    body: str
    commit_id: str
    submitted_at: float


@dataclass
class Issue:
    """An issue; pull requests are issues too (``pull`` set)."""

    number: int
    id: int
    title: str
    body: str | None
    user: str
    created_at: float
    updated_at: float
    state: str = "open"
    state_reason: str | None = None
    closed_at: float | None = None
    closed_by: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    locked: bool = False
    pull: Pull | None = None


@dataclass
class Pull:
    """Pull-request specifics; head may live in a fork (``head_repo``)."""

    id: int
    head_repo: str
    head_ref: str
    head_sha: str
    base_ref: str
    draft: bool = False
    maintainer_can_modify: bool = False
    merged: bool = False
    merged_at: float | None = None
    merged_by: str | None = None
    merge_commit_sha: str | None = None


@dataclass
class CheckRun:
    """A check run created by an app."""

    id: int
    name: str
    head_sha: str
    app: str
    status: str = "queued"
    conclusion: str | None = None
    started_at: float | None = None
    completed_at: float | None = None
    external_id: str | None = None
    details_url: str | None = None
    output: dict[str, Any] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Status:
    """A commit status."""

    id: int
    sha: str
    state: str
    context: str
    creator: str
    created_at: float
    description: str | None = None
    target_url: str | None = None


@dataclass
class Repo:
    """A repository: refs into the shared object store plus issue-tracker state."""

    id: int
    owner: str
    name: str
    default_branch: str = "main"
    private: bool = False
    parent: str | None = None
    created_at: float = 0.0
    allow_actions_prs: bool = False
    refs: dict[str, str] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    reviews: dict[int, Review] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    statuses: list[Status] = field(default_factory=list)
    check_runs: dict[int, CheckRun] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    def label(self, name: str) -> Label | None:
        """Labels are matched case-insensitively."""
        return self.labels.get(name.lower())


@dataclass
class Event:
    """A webhook-worthy event the stand-in observed (for asserting what would trigger workflows)."""

    name: str
    action: str | None
    actor: str
    repo: str
    triggers_workflows: bool
    data: dict[str, Any] = field(default_factory=dict)
