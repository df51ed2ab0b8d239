"""Merge on approval: a counted approval lands the submission on the base branch with a bot merge
commit (parents: the base tip and the pull request head; tree: the base tree with the merged data
files), moved into place by compare-and-swap, re-checked against the latest base on every try."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from bot.context import Context
from bot.datadir import load_data_files
from bot.events import Event, router
from bot.github_api import Conflict, PullInfo
from bot.pr_flow import LABEL_VALID, record_outputs, reproduce_command
from bot.pr_gather import Gathered, gather
from bot.sticky import upsert
from bot.submission import Submitter
from bot.submit import Outcome, evaluate
from bot.summary import Context as SummaryContext
from bot.summary import render

# A lost compare-and-swap means another merge landed after this one read the base, so of N merges
# racing none loses more than N - 1 times: this many tries lands up to 30 approvals given at once.
MAX_ATTEMPTS = 30
BACKOFF_CAP_SECONDS = 10.0  # the longest pause after a lost race (tests lower it)
WRITE_PERMISSIONS = ("admin", "write")  # GitHub reports maintain as write
MSG_NOT_OPEN = "#{number} is not open: nothing to merge."
MSG_SELF = "{login} wrote #{number}: an author's own approval does not count."
MSG_BOT = "{login} is a bot: only people's approvals count."
MSG_STALE = (
    "the approval by {login} is for {reviewed}, but #{number} is now at {head}: approve the latest commit."
)
MSG_PERMISSION = "{login} has {permission} permission: only approvals by users with write access count."
MSG_BLOCKED = (
    "#{number} is not merged: it changes files outside the submission paths or contains links "
    "({problems}). Keep a results PR to data/submissions/ and the data files; open other changes separately."
)
MSG_GAVE_UP = "#{number} was not landed: the base kept moving ({attempts} tries). Approve again to retry."
MSG_FORK = "#{number} comes from a fork: the approval relay workflow will merge it."
MSG_MERGED = "Merged #{number} as {sha}."
COMMIT_MESSAGE = "Merge leaderboard results from #{number}\n\n{lines}\n"


@dataclass(frozen=True)
class Approval:
    """Who approved which commit of which pull request."""

    number: int
    reviewer: str
    reviewer_type: str
    commit_id: str


@router.register("pull_request_review", "submitted")
def _on_review(event: Event, ctx: Context) -> None:
    review = event.payload.get("review") or {}
    if str(review.get("state", "")).lower() != "approved":
        return
    pull = event.payload.get("pull_request") or {}
    head_repo = ((pull.get("head") or {}).get("repo") or {}).get("full_name")
    if head_repo and head_repo != (event.payload.get("repository") or {}).get("full_name"):
        # A fork's review runs with a read-only token: the approval relay (workflow_run) merges it.
        ctx.summary.append(MSG_FORK.format(number=pull.get("number")))
        return
    user = review.get("user") or {}
    approval = Approval(
        number=int(event.payload["pull_request"]["number"]),
        reviewer=str(user.get("login", "")),
        reviewer_type=str(user.get("type", "User")),
        commit_id=str(review.get("commit_id", "")),
    )
    land(ctx, approval)


def refusal(pull: PullInfo, approval: Approval) -> str | None:
    """Why an approval does not count, from what the event and the pull request say."""
    if pull.state != "open" or pull.merged:
        return MSG_NOT_OPEN.format(number=pull.number)
    if approval.reviewer.lower() == pull.author.lower():
        return MSG_SELF.format(login=approval.reviewer, number=pull.number)
    if approval.reviewer_type == "Bot" or approval.reviewer.endswith("[bot]"):
        return MSG_BOT.format(login=approval.reviewer)
    if approval.commit_id != pull.head_sha:
        return MSG_STALE.format(
            login=approval.reviewer,
            reviewed=approval.commit_id[:7],
            number=pull.number,
            head=pull.head_sha[:7],
        )
    return None


def land(ctx: Context, approval: Approval) -> str:
    """Merge the approved pull request if the approval counts and the submission is valid."""
    pull = ctx.api.pull(approval.number)
    reason = refusal(pull, approval) or _permission_refusal(ctx, approval.reviewer)
    if reason is not None:
        ctx.summary.append(reason)
        return "ignored"
    return land_pull(ctx, pull)


def _permission_refusal(ctx: Context, login: str) -> str | None:
    permission = ctx.api.permission(login)
    if permission in WRITE_PERMISSIONS:
        return None
    return MSG_PERMISSION.format(login=login, permission=permission)


def land_pull(ctx: Context, pull: PullInfo) -> str:
    """Merge a pull request whose approval has been checked."""
    gathered = gather(
        ctx.api, pull.number, pull.head_sha, pull.base_ref, ctx.config, ctx.data_dir, pull.author
    )
    if not gathered.is_results_pr:
        return "ignored"
    if gathered.blocked:
        problems = "; ".join(f"{f.message} [{f.rule}]" for f in gathered.blocked)
        ctx.summary.append(MSG_BLOCKED.format(number=pull.number, problems=problems))
        ctx.failed = True
        return "blocked"
    return _land_with_retries(ctx, pull, gathered)


@router.register("workflow_run", "completed")
def _on_relay(event: Event, ctx: Context) -> None:
    """The approval relay: merge approved pull requests (forks included) with a write token."""
    run = event.payload.get("workflow_run") or {}
    numbers = [int(p["number"]) for p in run.get("pull_requests") or [] if "number" in p]
    if not numbers:  # fork PRs are not listed: look at every open PR the bot found valid
        numbers = [p.number for p in ctx.api.open_pulls() if LABEL_VALID in p.labels]
    for number in numbers:
        land_if_approved(ctx, number)


def land_if_approved(ctx: Context, number: int) -> str:
    """Merge a pull request if any approval of its current head counts (newest approval first)."""
    pull = ctx.api.pull(number)
    checked: set[str] = set()
    for login, kind, commit in reversed(ctx.api.approvals(number)):
        approval = Approval(number, login, kind, commit)
        if login in checked or refusal(pull, approval) is not None:
            continue
        checked.add(login)
        if _permission_refusal(ctx, login) is None:
            return land_pull(ctx, pull)
    return "ignored"


def _land_with_retries(ctx: Context, pull: PullInfo, gathered: Gathered) -> str:
    for attempt in range(MAX_ATTEMPTS):
        started = time.monotonic()
        base_sha, base_tree = ctx.api.branch_head(pull.base_ref)
        outcome = _evaluate_at(ctx, pull, gathered, base_sha)
        if outcome.errors:
            body = render(outcome, SummaryContext(reproduce_command(gathered), ctx.run_url))
            upsert(ctx.api, pull.number, body, ctx.bot_login)
            record_outputs(ctx, outcome, pull.number)
            return "invalid"
        if not outcome.merge.texts:
            return "nothing"
        message = COMMIT_MESSAGE.format(number=pull.number, lines=_change_lines(outcome))
        commit = ctx.api.create_commit(message, base_tree, outcome.merge.texts, [base_sha, pull.head_sha])
        try:
            ctx.api.move_branch(pull.base_ref, commit)
        except Conflict:  # another merge landed first: re-read the base and merge again
            _backoff(attempt, time.monotonic() - started)
            continue
        record_outputs(ctx, outcome, pull.number)
        ctx.summary.append(MSG_MERGED.format(number=pull.number, sha=commit))
        return "merged"
    ctx.summary.append(MSG_GAVE_UP.format(number=pull.number, attempts=MAX_ATTEMPTS))
    ctx.failed = True
    return "conflict"


def _backoff(attempt: int, took: float) -> None:
    """Full jitter: pause a random part of a window that doubles with every lost race, measured in
    tries (one took ``took`` seconds), so racers spread out instead of colliding in lockstep; every
    try costs six requests of the token's 1,000 an hour."""
    time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, took * 2 ** min(attempt, 10))))


def _evaluate_at(ctx: Context, pull: PullInfo, gathered: Gathered, base_sha: str) -> Outcome:
    """The submission checked against the base at ``base_sha``; an approval allows changes."""
    base, findings = load_data_files(lambda path: ctx.api.read(path, base_sha).data, ctx.data_dir, ctx.config)
    return evaluate(
        base,
        gathered.documents,
        ctx.config,
        head=gathered.head or None,
        edit_base=gathered.edit_base,
        submitter=Submitter(pull.author),
        now=ctx.now,
        allow_changes=True,
        load_findings=[*gathered.findings, *findings],
    )


def _change_lines(outcome: Outcome) -> str:
    return "\n".join(f"- {c.kind} {c.entry_id} ({c.target})" for c in outcome.merge.changes)
