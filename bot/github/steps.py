"""Steps every handler shares: who may merge, labels, the Action's outputs, the reproduce command."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.github.approvals import MSG_BLOCKED_BY, People, Review, blockers, is_bot, issue_number
from bot.github.context import Context
from bot.github.records import PullInfo
from bot.ledger.evaluate import Outcome

LABEL_VALID = "leaderboard: valid"
LABEL_INVALID = "leaderboard: invalid"
LABEL_WITHDRAWN = "leaderboard: withdrawn"  # an issue-form pull request the bot closed (its issue changed)
MSG_SELF = "{login} wrote #{number}: an author's own approval does not count."


class Permissions:
    """Permission lookups of one run, each login asked once (the run's cache is ``ctx.permissions``)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._known = ctx.permissions

    def __call__(self, login: str) -> str:
        key = login.lower()
        if key not in self._known:
            self._known[key] = self._ctx.api.permission(login)
        return self._known[key]


def people(ctx: Context, pull: PullInfo) -> People:
    """The author, and for a pull request the bot opened from an issue, the issue's author (the submitter)."""
    issue = issue_number(pull.head_ref)
    if issue is None or pull.head_repo != ctx.api.repository or not is_bot(pull.author, ""):
        return People(pull.author)
    return People(pull.author, ctx.api.issue_author(issue), issue)


def blocked(ctx: Context, number: int, states: dict[str, Review], permission: Permissions) -> str | None:
    """Why outstanding reviews block the merge: someone with write access requested changes."""
    blocking = blockers(states, permission)
    if not blocking:
        return None
    return MSG_BLOCKED_BY.format(number=number, logins=", ".join(f"@{b}" for b in blocking))


def set_labels(ctx: Context, number: int, labels: list[str] | tuple[str, ...], *, valid: bool) -> None:
    """Label the pull request valid or invalid (and remove the other label), with no needless call."""
    wanted, unwanted = (LABEL_VALID, LABEL_INVALID) if valid else (LABEL_INVALID, LABEL_VALID)
    if wanted not in labels:
        ctx.api.add_labels(number, [wanted])
    if unwanted in labels:
        ctx.api.remove_label(number, unwanted)


def record_outputs(ctx: Context, outcome: Outcome, number: int | None) -> None:
    """The Action's outputs: valid, and JSON arrays of the entry ids per kind of change."""
    ctx.output("valid", "false" if outcome.errors else "true")
    record_changes(ctx, [outcome])
    if number is not None:
        ctx.output("pull-request", str(number))
    ctx.failed = ctx.failed or bool(outcome.errors)


def record_changes(ctx: Context, outcomes: Sequence[Outcome]) -> None:
    """The outputs added, changed and removed: JSON arrays of the entry ids the outcomes change."""
    kinds: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for outcome in outcomes:
        for change in outcome.merge.changes:
            kinds["added" if change.arrives else change.kind].append(change.entry_id)
    for kind, ids in kinds.items():
        ctx.output(kind, json.dumps(sorted(ids)))
