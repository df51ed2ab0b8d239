"""Approvals: the review job (same-repository pull requests) and the approval relay (``workflow_run``,
for forks, whose review runs get a read-only token). Both decide with GitHub's review semantics
(bot.github.approvals) from the reviews list, never from the event alone, and put a pull request whose
approval counts in the merge queue (bot.github.queue); the land job (bot.github.batch) merges it,
additions only, after checking it all again."""

from __future__ import annotations

import json
from typing import Any

from bot.github.approvals import (
    MSG_SUBMITTER,
    WRITE_PERMISSIONS,
    People,
    counted_approvers,
    is_bot,
    latest_states,
)
from bot.github.context import Context
from bot.github.landing import closed_or_draft, report_closed, say
from bot.github.queue import queue, review_hint
from bot.github.records import PullInfo, pull_info
from bot.github.routing import Event, Router
from bot.github.steps import MSG_SELF, Permissions, blocked, people

MSG_BOT = "{login} is a bot: only people's approvals count."
MSG_STALE = (
    "the approval by {login} is for {reviewed}, but #{number} is now at {head}: approve the latest commit."
)
MSG_PERMISSION = "{login} has {permission} permission: only approvals by users with write access count."
MSG_FORK = "#{number} comes from a fork: the approval relay workflow will merge it."
MSG_RELAY_NONE = (
    "The relay found no fork pull request with a counted approval at this run's head: nothing queued."
)
router = Router()


def approval_refusal(ctx: Context, pull: PullInfo, reviewer: str, kind: str, commit: str) -> str | None:
    """Why this reviewer's approval of ``commit`` does not count, from the event and the pull request."""
    state = closed_or_draft(pull)
    if state is not None:
        return state
    if reviewer.lower() == pull.author.lower():
        return MSG_SELF.format(login=reviewer, number=pull.number)
    if is_bot(reviewer, kind):
        return MSG_BOT.format(login=reviewer)
    if commit != pull.head_sha:
        return MSG_STALE.format(
            login=reviewer, reviewed=commit[:7], number=pull.number, head=pull.head_sha[:7]
        )
    return None


@router.register("pull_request_review", "submitted")
def _on_review(event: Event, ctx: Context) -> None:
    review = event.payload.get("review") or {}
    if str(review.get("state", "")).lower() != "approved":
        return
    pull_event = event.payload.get("pull_request") or {}
    number = int(pull_event["number"])
    head_repo = ((pull_event.get("head") or {}).get("repo") or {}).get("full_name")
    if head_repo and head_repo != (event.payload.get("repository") or {}).get("full_name"):
        # A fork's review runs with a read-only token: the approval relay (workflow_run) merges it.
        ctx.job_summary.append(MSG_FORK.format(number=number))
        return
    user = review.get("user") or {}
    login, kind = str(user.get("login") or ""), str(user.get("type") or "User")
    # The event's view of the pull request is enough to queue it: the land job re-reads it from GitHub
    # (and reports a pull request that an earlier run merged).
    pull = pull_info(pull_event)
    if pull.state != "open" or pull.merged:
        report_closed(ctx, pull)
        return
    permission = Permissions(ctx)
    reason = approval_refusal(ctx, pull, login, kind, str(review.get("commit_id", "")))
    if reason is None and permission(login) not in WRITE_PERMISSIONS:
        reason = MSG_PERMISSION.format(login=login, permission=permission(login))
    who = people(ctx, pull) if reason is None else People(pull.author)
    if reason is None and who.submitter and login.lower() == who.submitter.lower():
        reason = MSG_SUBMITTER.format(login=login, number=number, issue=who.issue)
    if reason is not None:
        say(ctx, number, reason)
        return
    # The reviews are not read here: the land job reads them when it merges (each reviewer's latest
    # state, outstanding change requests), and a withdrawn approval is refused there.
    queue(ctx, number)


@router.register("workflow_run", "completed")
def _on_relay(event: Event, ctx: Context) -> None:
    """The approval relay: queue the fork pull request whose review run completed, if an approval counts.

    The review run's title (leaderboard.yml's ``run-name``) says which review it was: a run that
    followed a comment or a change request costs nothing, an approval costs the approver's permission
    and the label. The title is only a hint (a fork can change the workflow of its own runs): the land
    job checks everything, and quietly unqueues a pull request a false title named. Without such a
    title (an older workflow), the run's head (owner and branch) finds the pull request in one request.
    A listed (same-repository) pull request is the review job's, which had a write token.
    """
    run = event.payload.get("workflow_run") or {}
    actor = str((run.get("triggering_actor") or run.get("actor") or {}).get("login") or "") or None
    # A listed (same-repository) pull request: the review job has queued it already.
    queued, refused = ([], []) if run.get("pull_requests") else _relay_run(ctx, run, actor)
    if not queued:  # the land job will not run: these outputs are the relay's answer
        ctx.output("merged", json.dumps([]))
        ctx.output("refused", json.dumps(refused))
        ctx.output("pull-request", "")
        ctx.job_summary.append(MSG_RELAY_NONE)


def _relay_run(ctx: Context, run: dict[str, Any], actor: str | None) -> tuple[list[int], list[int]]:
    """(queued, refused) pull requests of a fork's review run: by its title's hint, else by its head."""
    hint = review_hint(run)
    if hint is not None:
        state, number = hint
        if state == "approved" and actor and Permissions(ctx)(actor) in WRITE_PERMISSIONS:
            queue(ctx, number)
            return [number], []
        return [], []
    owner = str(((run.get("head_repository") or {}).get("owner") or {}).get("login") or "")
    queued: list[int] = []
    refused: list[int] = []
    if owner and run.get("head_branch"):
        for pull in ctx.api.pulls_for_head(owner, str(run["head_branch"])):
            result = queue_if_approved(ctx, pull, actor)
            (queued if result == "queued" else refused if result == "refused" else []).append(pull.number)
    return queued, refused


def queue_if_approved(ctx: Context, pull: PullInfo, actor: str | None = None) -> str:
    """Queue a fork's pull request if its reviews allow it; 'unapproved' when nobody's approval counts.

    ``actor``: who started the review run. A run started by someone else's review (anyone may review)
    leaves the pull request to its approvers' own runs, so that strangers' reviews cannot make the bot
    queue, refuse and answer again and again.
    """
    if pull.state != "open" or pull.head_repo == ctx.api.repository:
        return "unapproved"
    permission = Permissions(ctx)
    who = people(ctx, pull)
    states = latest_states(ctx.api.reviews(pull.number))
    approvers = {login.lower() for login in counted_approvers(states, pull.head_sha, who, permission)}
    if not approvers or (actor is not None and actor.lower() not in approvers):
        return "unapproved"  # nothing to say: nobody whose approval counts approved this head in this run
    reason = blocked(ctx, pull.number, states, permission)
    if reason is not None:
        say(ctx, pull.number, reason)
        return "refused"
    queue(ctx, pull.number)
    return "queued"
