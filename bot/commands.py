"""Maintainer commands in pull request comments: ``/leaderboard recheck`` and ``/leaderboard merge``.

The commenter's permission is asked through the API; ``author_association`` is not a permission.
"""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.events import Event, router
from bot.merge_flow import WRITE_PERMISSIONS, Approval, land
from bot.pr_flow import check_pull

PREFIX = "/leaderboard"
COMMANDS = ("recheck", "merge")
MSG_UNKNOWN = "unknown command {command!r}: use /leaderboard recheck or /leaderboard merge"
MSG_DENIED = "{login} may not run /leaderboard {command}: it needs write access (or, for recheck, authorship)"


def parse_command(body: str) -> str | None:
    """The command word of a comment that starts with /leaderboard, else None."""
    first = body.strip().splitlines()[0].split() if body.strip() else []
    if not first or first[0].lower() != PREFIX:
        return None
    return first[1].lower() if len(first) > 1 else ""


@router.register("issue_comment", "created")
def _on_comment(event: Event, ctx: Context) -> None:
    issue: dict[str, Any] = event.payload.get("issue") or {}
    comment: dict[str, Any] = event.payload.get("comment") or {}
    command = parse_command(str(comment.get("body") or ""))
    user = comment.get("user") or {}
    if command is None or "pull_request" not in issue or user.get("type") == "Bot":
        return
    if command not in COMMANDS:
        ctx.summary.append(MSG_UNKNOWN.format(command=command))
        return
    run_command(ctx, int(issue["number"]), command, str(user.get("login", "")))


def run_command(ctx: Context, number: int, command: str, login: str) -> str:
    """Run a command for ``login`` on pull request ``number``."""
    pull = ctx.api.pull(number)
    allowed = ctx.api.permission(login) in WRITE_PERMISSIONS
    if command == "merge":
        # A maintainer's merge command counts as their approval of the current head.
        return (
            land(ctx, Approval(number, login, "User", pull.head_sha))
            if allowed
            else _deny(ctx, login, command)
        )
    if not (allowed or login.lower() == pull.author.lower()):
        return _deny(ctx, login, command)
    check_pull(
        ctx,
        number=number,
        head_sha=pull.head_sha,
        author=pull.author,
        base_ref=pull.base_ref,
        labels=list(pull.labels),
        suggest=False,
    )
    return "rechecked"


def _deny(ctx: Context, login: str, command: str) -> str:
    ctx.summary.append(MSG_DENIED.format(login=login, command=command))
    return "denied"
