"""The merge queue: an approval (review, relay or merge command) that counts labels its pull request;
the land job (bot.github.batch), serialized in one concurrency group, lists the labelled pull requests
and merges them together (the label comes off once the bot has answered on a merged one). The label
is only a hint — anyone with triage access can set or remove it — so every listed pull request is
re-checked here with the latest review states, merge commands, write permission and head SHA before
it may land."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.github.api import Comment, PullInfo
from bot.github.approvals import (
    WRITE_PERMISSIONS,
    People,
    counted_approvers,
    is_bot,
    latest_states,
    may_approve,
)
from bot.github.context import Context
from bot.github.grammar import Command, parse_command
from bot.github.landing import Landing
from bot.github.steps import LABEL_INVALID, Permissions, blocked, people

LABEL_QUEUED = "leaderboard: approved"
MSG_LAPSED = (
    "#{number} is not merged: no approval counts at its head {head} any more (an approval was withdrawn "
    "or dismissed, or the head moved). Approve the latest commit, or comment `/leaderboard merge {head}`."
)


@dataclass(frozen=True)
class Checked:
    """A queued pull request after its re-check: what to land, or why not (``reason``)."""

    pull: PullInfo
    landing: Landing | None = None
    reason: str | None = None
    comments: Sequence[Comment] | None = None  # listed only when a merge command may be needed
    lapsed: bool = False  # nobody's approval counts: a refusal, but no counted approval failed


def queue(ctx: Context, pull: PullInfo) -> None:
    """Put a pull request whose approval counts in the queue; the land job merges it.

    The label is added even when the event says it is there: a running land job may be taking it off
    (it found no approval that counted when it looked), and this approval must not be lost with it.
    """
    ctx.api.add_labels(pull.number, [LABEL_QUEUED])
    ctx.output("queued", "true")
    ctx.output("pull-request", str(pull.number))


def recheck(ctx: Context, number: int, permission: Permissions) -> Checked:
    """Whether a queued pull request may land now, from GitHub's current state (the label proves nothing)."""
    pull = ctx.api.pull(number)
    if pull.state != "open" or pull.merged:
        return Checked(pull)
    who = people(ctx, pull)
    states = latest_states(ctx.api.reviews(number))
    approvers = counted_approvers(states, pull.head_sha, who, permission)
    # A merge command matters when no review approval counts, or when the submission changes published
    # entries (labelled invalid until `--allow-changes`): only then are the comments read.
    comments = ctx.api.comments(number) if not approvers or LABEL_INVALID in pull.labels else None
    command = latest_merge(comments or (), pull, who, permission)
    if not approvers and command is None:
        reason = MSG_LAPSED.format(number=number, head=pull.head_sha[:7])
        return Checked(pull, reason=reason, comments=comments, lapsed=True)
    refusal = blocked(ctx, number, states, permission)
    if refusal is not None:
        return Checked(pull, reason=refusal, comments=comments)
    allowed_by = command[0] if command and command[1].allow_changes else None
    return Checked(pull, Landing(pull, allowed_by=allowed_by, submitter=who.submitter), comments=comments)


def latest_merge(
    comments: Sequence[Comment], pull: PullInfo, who: People, permission: Permissions
) -> tuple[str, Command] | None:
    """The newest ``/leaderboard merge SHA`` naming the head, by someone whose approval would count."""
    for comment in reversed(comments):
        command = parse_command(comment.body)
        if not isinstance(command, Command) or command.name != "merge" or command.sha is None:
            continue
        if not pull.head_sha.lower().startswith(command.sha) or is_bot(comment.author, ""):
            continue
        if may_approve(comment.author, "User", who) and permission(comment.author) in WRITE_PERMISSIONS:
            return comment.author, command
    return None
