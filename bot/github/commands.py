"""Maintainer commands in pull request comments, with a strict grammar (the comment is the command,
alone on one line):

- ``/leaderboard recheck`` — check the pull request again (its author or someone with write access);
- ``/leaderboard merge SHA [--allow-changes]`` — merge the head commit SHA names (all 40 hex digits: the
  commit the maintainer reviewed, as bors' ``r+ SHA``, but never a forgeable prefix); ``--allow-changes``
  also applies the changes to and removals of published entries, recorded in the commit message and on
  the pull request;
- ``/leaderboard verify ENTRY_ID`` — mark a published entry verified on the base branch (bot.github.verify).

A bare ``/leaderboard merge`` answers with the exact command for the current head; anything else is
refused with the usage text. The commenter's permission is asked through the API (``author_association``
is not a permission), and every refusal is said on the pull request.
"""

from __future__ import annotations

from typing import Any

from bot.github.approvals import MSG_SUBMITTER, WRITE_PERMISSIONS
from bot.github.checking import PullCheck, check_pull
from bot.github.context import Context
from bot.github.grammar import Command, parse_command
from bot.github.landing import closed_or_draft, say
from bot.github.queue import queue
from bot.github.records import PullInfo
from bot.github.routing import Event, Router
from bot.github.steps import MSG_SELF, Permissions, people
from bot.github.verify import verify_entry

USAGE = (
    "Usage — the comment is the command, alone on one line:\n"
    "- `/leaderboard recheck`: check this pull request again (its author or a maintainer)\n"
    "- `/leaderboard merge SHA`: merge the head commit you reviewed (SHA: all 40 hex digits)\n"
    "- `/leaderboard merge SHA --allow-changes`: the same, also applying the changes to and removals of "
    "published entries this pull request makes (recorded in the commit message)\n"
    "- `/leaderboard verify ENTRY_ID`: mark a published entry verified (maintainers)"
)
MSG_MALFORMED = "The command was not run: {problem}.\n\n" + USAGE
MSG_DENIED = "{login} may not run /leaderboard {command}: it needs write access (or, for recheck, authorship)"
MSG_BARE = (
    "Nothing merged: a merge command names the commit you reviewed. The head of #{number} is {head}; "
    "to merge it, comment\n\n`/leaderboard merge {head}`\n\n(add `--allow-changes` to also apply changes "
    "to published entries)."
)
MSG_NOT_HEAD = (
    "Nothing merged: `{sha}` is not the head of #{number}, which is now {head} (pushed after you looked, "
    "or a typo). Review the latest commit, then comment `/leaderboard merge {head}`."
)


router = Router()


@router.register("issue_comment", "created")
def _on_comment(event: Event, ctx: Context) -> None:
    issue: dict[str, Any] = event.payload.get("issue") or {}
    comment: dict[str, Any] = event.payload.get("comment") or {}
    user = comment.get("user") or {}
    if "pull_request" not in issue or user.get("type") == "Bot" or not user.get("login"):
        return
    command = parse_command(str(comment.get("body") or ""))
    if command is None:
        return
    if isinstance(command, str):
        say(ctx, int(issue["number"]), MSG_MALFORMED.format(problem=command))
        return
    run_command(ctx, int(issue["number"]), command, str(user["login"]))


def run_command(ctx: Context, number: int, command: Command, login: str) -> str:
    """Run a command for ``login`` on pull request ``number``."""
    pull = ctx.api.pull(number)
    permission = Permissions(ctx)
    allowed = permission(login) in WRITE_PERMISSIONS
    if command.name == "recheck" and (allowed or login.lower() == pull.author.lower()):
        check_pull(
            ctx,
            PullCheck(
                number,
                pull.head_sha,
                pull.author,
                pull.base_ref,
                list(pull.labels),
                False,
                opened_at=pull.opened_at,
            ),
        )
        return "rechecked"
    if not allowed:
        say(ctx, number, MSG_DENIED.format(login=login, command=command.name))
        return "denied"
    if command.name == "verify":
        return verify_entry(ctx, pull, str(command.entry_id), login)
    reason = _merge_refusal(ctx, pull, command, login)
    if reason is not None:
        say(ctx, number, reason)
        return "refused"
    queue(ctx, number)  # the land job finds this command among the comments and checks it again
    return "queued"


def _merge_refusal(ctx: Context, pull: PullInfo, command: Command, login: str) -> str | None:
    """Why a maintainer's merge command does not merge (the command counts as their approval)."""
    head = pull.head_sha
    state = closed_or_draft(pull)
    if state is not None:
        return state
    if command.sha is None:
        return MSG_BARE.format(number=pull.number, head=head)
    if head.lower() != command.sha:
        return MSG_NOT_HEAD.format(sha=command.sha, number=pull.number, head=head)
    if login.lower() == pull.author.lower():
        return MSG_SELF.format(login=login, number=pull.number)
    who = people(ctx, pull)
    if who.submitter and login.lower() == who.submitter.lower():
        return MSG_SUBMITTER.format(login=login, number=pull.number, issue=who.issue)
    # Outstanding change requests are the land job's to find: it reads the reviews when it merges.
    return None
