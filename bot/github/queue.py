"""The merge queue: an approval (review, relay or merge command) that counts labels its pull request;
the land job (bot.github.batch), serialized in one concurrency group, lists the open pull requests
and merges the labelled ones together (a merged one keeps its label: no listing sees it). The label
is only a hint — anyone with triage access can set or remove it — so every listed pull request is
re-checked here with the latest review states, merge commands, write permission and head SHA before
it may land."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from bot.github.landing import MSG_DRAFT, Landing
from bot.github.records import Comment, PullInfo
from bot.github.steps import LABEL_INVALID, Permissions, blocked, people

LABEL_QUEUED = "leaderboard: approved"
MSG_OTHER_BASE = (
    "#{number} is not merged: it targets `{base}`, but submissions land on the default branch `{default}` "
    "(the base was changed after the check?). Change the pull request's base back to `{default}`."
)
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


# leaderboard.yml's run-name for review runs: the relay's hint of which review a run followed.
RUN_TITLE = re.compile(r"Review (approved|commented|changes_requested|dismissed) of #([1-9][0-9]{0,9})")
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")


def queue(ctx: Context, number: int) -> None:
    """Put a pull request whose approval counts in the queue; the land job merges it.

    The label is added even when the event says it is there: a running land job may be taking it off
    (it found no approval that counted when it looked), and this approval must not be lost with it.
    The ``verified`` output hands the write permissions this job checked to the land job of the same
    workflow run, which then does not ask GitHub again.
    """
    ctx.api.add_labels(number, [LABEL_QUEUED])
    ctx.output("queued", "true")
    ctx.output("pull-request", str(number))
    writers = {login: level for login, level in ctx.permissions.items() if level in WRITE_PERMISSIONS}
    ctx.output("verified", json.dumps(writers, sort_keys=True))


def verified_permissions(text: str) -> dict[str, str]:
    """The ``verified`` output of the job that queued this land job: write permissions it checked.

    Only write levels of well-formed logins are taken; anything else is ignored (and asked again).
    """
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        login.lower(): level
        for login, level in data.items()
        if isinstance(login, str) and LOGIN.fullmatch(login) and level in WRITE_PERMISSIONS
    }


def recheck(ctx: Context, pull: PullInfo, permission: Permissions) -> Checked:
    """Whether a queued pull request may land now, from GitHub's current state (the label proves nothing).

    ``pull``: as GitHub listed it just now (the land job's listing of open pull requests, or a GET).
    """
    number = pull.number
    if pull.state != "open" or pull.merged:
        return Checked(pull)
    if pull.draft:  # converted to a draft after its approval: GitHub would not merge it either
        return Checked(pull, reason=MSG_DRAFT.format(number=number, head=pull.head_sha))
    default = ctx.landing_branch()
    if pull.base_ref != default:  # a retargeted pull request keeps its head and its approvals
        return Checked(pull, reason=MSG_OTHER_BASE.format(number=number, base=pull.base_ref, default=default))
    who = people(ctx, pull)
    states = latest_states(ctx.api.reviews(number))
    approvers = counted_approvers(states, pull.head_sha, who, permission)
    # A merge command matters when no review approval counts, or when the submission changes published
    # entries (labelled invalid until `--allow-changes`): only then are the comments read.
    comments = ctx.api.comments(number) if not approvers or LABEL_INVALID in pull.labels else None
    command = latest_merge(comments or (), pull, who, permission)
    if not approvers and command is None:
        reason = MSG_LAPSED.format(number=number, head=pull.head_sha)
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
        if pull.head_sha.lower() != command.sha or is_bot(comment.author, ""):
            continue
        if may_approve(comment.author, "User", who) and permission(comment.author) in WRITE_PERMISSIONS:
            return comment.author, command
    return None


def review_hint(run: Mapping[str, object]) -> tuple[str, int] | None:
    """(review state, pull request number) from a review run's title, if it has the run-name's form.

    Only a hint: a fork can change the workflow its own runs use, title included.
    """
    match = RUN_TITLE.fullmatch(str(run.get("display_title") or ""))
    return (match[1], int(match[2])) if match else None
