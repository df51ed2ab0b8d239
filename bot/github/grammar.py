"""The grammar of ``/leaderboard`` commands, pure: the comment is the command, alone on one line
(see bot.github.commands for what each command does). The merge batch (bot.github.queue) reads merge
commands back from a pull request's comments with the same parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.github.verify import ENTRY_ID

PREFIX = "/leaderboard"
ALLOW_CHANGES = "--allow-changes"
# A merge command names the whole commit: a prefix short enough to type is short enough for a submitter
# to forge (two commits sharing 7 hex digits take seconds to find; push one, swap in the other).
SHA = re.compile(r"[0-9a-fA-F]{40}")
HEX = re.compile(r"[0-9a-fA-F]{7,39}")


@dataclass(frozen=True)
class Command:
    """A parsed command: its name and arguments."""

    name: str
    sha: str | None = None
    allow_changes: bool = False
    entry_id: str | None = None


def parse_command(body: str) -> Command | str | None:
    """The command of a comment; a problem (str) when it is malformed; None when it is no command."""
    text = body.strip()
    words = text.split()
    if not words or words[0].lower() != PREFIX:
        return None
    if "\n" in text:
        return "the comment has more than the command line"
    name, args = (words[1].lower() if len(words) > 1 else ""), words[2:]
    if name == "recheck":
        return Command(name) if not args else f"`recheck` takes no arguments, got {len(args)}"
    if name == "merge":
        return _merge(args)
    if name == "verify":
        if len(args) == 1 and ENTRY_ID.fullmatch(args[0]):
            return Command(name, entry_id=args[0])
        return "`verify` takes one entry_id"
    return "no command given" if not name else "unknown command"


def _merge(args: list[str]) -> Command | str:
    if not args:
        return Command("merge")
    if HEX.fullmatch(args[0]):
        return (
            "`merge` takes the head commit's full SHA (40 hex digits), not a prefix: a short SHA could "
            "also name a commit pushed later (comment a bare `/leaderboard merge` to get the command to copy)"
        )
    if not SHA.fullmatch(args[0]):
        return "`merge` takes the head commit's full SHA (40 hex digits) first"
    if args[1:] in ([], [ALLOW_CHANGES]):
        return Command("merge", args[0].lower(), allow_changes=bool(args[1:]))
    return f"after the SHA only `{ALLOW_CHANGES}` may follow"
