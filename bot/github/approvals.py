"""GitHub's review semantics, pure: a reviewer's state is their latest APPROVED, CHANGES_REQUESTED or
DISMISSED review (COMMENTED and PENDING reviews change nothing); an outstanding CHANGES_REQUESTED from
someone with write access blocks the merge; an approval counts only on the current head, from a person
with write access who is neither the pull request's author nor the submitter (issue-form PRs)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WRITE_PERMISSIONS = ("admin", "write")  # GitHub reports maintain as write
DECIDING_STATES = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")
ISSUE_BRANCH = re.compile(r"leaderboard/issue-(\d+)")  # the issue-form flow's branch (bot.github.issue)

MSG_BLOCKED_BY = (
    "#{number} is not merged: {logins} requested changes. Merging waits until they approve, or their "
    "review is dismissed (Files changed → the review → Dismiss)."
)
MSG_SUBMITTER = (
    "{login} submitted #{number} (issue #{issue}): a submitter's own approval does not count; "
    "another maintainer must approve."
)


@dataclass(frozen=True)
class Review:
    """One review as the REST list gives it; ``login`` is None for a deleted account."""

    login: str | None
    kind: str  # User | Bot
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    commit_id: str


@dataclass(frozen=True)
class People:
    """Who may not approve: the pull request's author and, for issue-form PRs, the submitter."""

    author: str
    submitter: str | None = None
    issue: int | None = None


def latest_states(reviews: Sequence[Review]) -> dict[str, Review]:
    """Each reviewer's deciding review (the latest APPROVED / CHANGES_REQUESTED / DISMISSED), by login."""
    states: dict[str, Review] = {}
    for review in reviews:  # the REST list is oldest first
        if review.login and review.state in DECIDING_STATES:
            states[review.login.lower()] = review
    return states


def is_bot(login: str, kind: str) -> bool:
    """Whether a login is an app or bot account."""
    return kind == "Bot" or login.lower().endswith("[bot]")


def issue_number(head_ref: str) -> int | None:
    """The issue an issue-form pull request's branch carries, if it is one."""
    match = ISSUE_BRANCH.fullmatch(head_ref)
    return int(match.group(1)) if match else None


def blockers(states: dict[str, Review], permission: Callable[[str], str]) -> list[str]:
    """Logins with write access whose latest review requests changes."""
    return sorted(
        r.login
        for r in states.values()
        if r.login and r.state == "CHANGES_REQUESTED" and permission(r.login) in WRITE_PERMISSIONS
    )


def may_approve(login: str, kind: str, people: People) -> bool:
    """Whether this person's approval could count at all (before asking their permission)."""
    lowered = login.lower()
    if is_bot(login, kind) or lowered == people.author.lower():
        return False
    return people.submitter is None or lowered != people.submitter.lower()


def counted_approvers(
    states: dict[str, Review], head: str, people: People, permission: Callable[[str], str]
) -> list[str]:
    """Logins whose latest review approves ``head`` and whose approval counts."""
    return [
        r.login
        for r in states.values()
        if r.login
        and r.state == "APPROVED"
        and r.commit_id == head
        and may_approve(r.login, r.kind, people)
        and permission(r.login) in WRITE_PERMISSIONS
    ]
