"""What landing says and writes, shared by the queueing handlers (bot.github.approval, commands) and
the land job (bot.github.batch): the marked notice on a pull request, the refusals, the report of an
invalid submission, and the commit message lines with their audit trail. Who may approve is decided
by bot.github.approvals, bot.github.queue re-checks it; this module says why whatever is refused did
not land."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.github.checking import submit_command
from bot.github.context import Context
from bot.github.pr_gather import Gathered
from bot.github.records import Comment, PullInfo
from bot.github.steps import record_outputs
from bot.github.sticky import upsert
from bot.ledger.evaluate import Outcome
from bot.render.comment import CommentContext, render

NOTICE_MARKER = "<!-- leaderboard-bot:notice -->"
CHANGE_RULES = ("LB305", "LB306")  # a published entry changed / removed
MSG_NOT_OPEN = "#{number} is not open: nothing to merge."
MSG_DRAFT = (
    "#{number} is not merged: it is a draft, and GitHub merges no draft. Mark it ready for review, then "
    "comment `/leaderboard merge {head}` (or approve it again)."
)


def closed_or_draft(pull: PullInfo) -> str | None:
    """Why a pull request cannot take an approval or merge command as it stands: closed, or a draft."""
    if pull.state != "open" or pull.merged:
        return MSG_NOT_OPEN.format(number=pull.number)
    if pull.draft:
        return MSG_DRAFT.format(number=pull.number, head=pull.head_sha)
    return None


MSG_BLOCKED = (
    "#{number} is not merged: it changes files outside the submission paths or contains links "
    "({problems}). Keep a results PR to data/submissions/ and the data files; open other changes separately."
)
MSG_INVALID = "#{number} is not merged: the submission has errors (see the bot's report comment)."
MSG_NEEDS_ALLOW = (
    "#{number} is not merged: it changes or removes published entries ({entries}). An approval lands "
    "additions only; a maintainer who has checked the changes merges them with "
    "`/leaderboard merge {head} --allow-changes`."
)
MSG_GAVE_UP = (
    "#{number} was not landed: the base kept moving ({attempts} tries). It stays queued: the next merge "
    "run tries again (approve again, or comment the merge command again, to start one)."
)
MSG_PROTECTED = (
    "#{number} was not landed: GitHub refused to update `{branch}` ({reason}). The branch is protected "
    "(branch protection, a ruleset or required signatures) and the workflow's token may not push to it: "
    "give the Action a GitHub App token whose app is on the ruleset's bypass list (see the README, "
    '"Running on a protected default branch"). Retrying cannot help, so the bot did not retry.'
)
MSG_NOTHING = "#{number} is not merged: it adds, changes and removes no entry of the base branch."
MSG_MERGED = "Merged #{number} as {sha}."
MSG_ALLOWED = " @{login} allowed these changes to published entries: {changes}."
AUDIT_LINES = "\nChanges to published entries allowed by @{login} (/leaderboard merge {head} --allow-changes)"


@dataclass(frozen=True)
class Landing:
    """What to land: the pull request and who, if anyone, allowed changes to published entries."""

    pull: PullInfo
    allowed_by: str | None = None
    submitter: str | None = None


def say(
    ctx: Context,
    number: int,
    text: str,
    comments: Sequence[Comment] | None = None,
    *,
    once: bool = False,
) -> None:
    """Tell the pull request and the job summary what the bot did with an approval or command, and why.

    The answer is one marked comment per pull request, updated in place like the report: a re-delivered
    event or a retried POST converges on it instead of piling up replies. ``comments``: the pull
    request's comments if they were just listed (saves listing them again); ``once``: only create, in
    one request that is never re-sent and with no listing, for an answer that most likely is the first
    of its kind: a failed create fails the run, whose re-run converges here.
    """
    ctx.job_summary.append(text)
    body = f"{NOTICE_MARKER}\n{text}"
    if once:
        ctx.api.create_comment_once(number, body)
        return
    upsert(ctx.api, number, body, ctx.bot_login, marker=NOTICE_MARKER, known=comments)


def report_closed(ctx: Context, pull: PullInfo) -> None:
    """A closed pull request (a re-delivered event, or a run whose ref update's answer was lost):
    a merged one is reported as merged, with the commit that merged it."""
    if pull.merged and pull.merge_commit:
        say(ctx, pull.number, MSG_MERGED.format(number=pull.number, sha=pull.merge_commit))
    else:
        ctx.job_summary.append(MSG_NOT_OPEN.format(number=pull.number))


def refuse_invalid(ctx: Context, landing: Landing, gathered: Gathered, outcome: Outcome) -> None:
    """Report the errors in the sticky comment, and say on the pull request why it did not merge."""
    pull = landing.pull
    body = render(outcome, CommentContext(submit_command(gathered), ctx.run_url))
    upsert(ctx.api, pull.number, body, ctx.bot_login)
    record_outputs(ctx, outcome, pull.number)
    errors = [f for f in outcome.findings if f.severity == "error" and f.waived is None]
    if errors and all(f.rule in CHANGE_RULES for f in errors) and landing.allowed_by is None:
        entries = ", ".join(sorted({str(f.entry_id) for f in errors}))
        say(
            ctx,
            pull.number,
            MSG_NEEDS_ALLOW.format(number=pull.number, entries=entries, head=pull.head_sha),
        )
    else:
        say(ctx, pull.number, MSG_INVALID.format(number=pull.number))


def _published_changes(outcome: Outcome) -> list[str]:
    return [f"{c.kind} {c.entry_id}" for c in outcome.merge.changes if c.kind in ("changed", "removed")]


def _allowed_changes(outcome: Outcome, landing: Landing) -> list[str]:
    """The published entries this landing changes or removes, when a maintainer allowed that."""
    return _published_changes(outcome) if landing.allowed_by else []


def change_lines(outcome: Outcome, landing: Landing) -> str:
    """The commit message's lines for one pull request: every change, then who allowed which."""
    lines = "\n".join(f"- {c.summary} ({c.target})" for c in outcome.merge.changes)
    allowed = _allowed_changes(outcome, landing)
    if allowed:
        lines += AUDIT_LINES.format(login=landing.allowed_by, head=landing.pull.head_sha)
        lines += "".join(f"\n- {item}" for item in allowed)
    return lines


def audit(outcome: Outcome, landing: Landing) -> str:
    """The note on the pull request naming who allowed its changes to published entries ("" if none)."""
    allowed = _allowed_changes(outcome, landing)
    return MSG_ALLOWED.format(login=landing.allowed_by, changes=", ".join(allowed)) if allowed else ""
