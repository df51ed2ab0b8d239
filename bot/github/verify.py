"""``/leaderboard verify ENTRY_ID``: a maintainer marks a published entry verified. A submission can
never set or change ``metadata.verified``; this command is the only way, and it leaves an audit trail:
a commit on the base branch whose message names who verified which entry, and a reply on the pull
request the command was given on."""

from __future__ import annotations

import json
import re

from bot.github.context import Context
from bot.github.landing import MSG_PROTECTED, say
from bot.github.records import Conflict, PullInfo, Refused
from bot.ledger.data_files import load_data_files
from bot.ledger.splice import splice

ENTRY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
TRIES = 5  # the base may move under the command (merges racing it)
COMMIT_MESSAGE = (
    "Verify leaderboard entry {entry}\n\nVerified by @{login} (/leaderboard verify on #{number}).\n"
)
MSG_VERIFIED = "@{login} verified entry `{entry}` in `{file}` (commit {sha})."
MSG_ALREADY = "Entry `{entry}` is already verified: nothing changed."
MSG_UNKNOWN = (
    "No published entry has entry_id `{entry}` on `{branch}`: check the id (copy it from the data file)."
)
MSG_NO_METADATA = "Entry `{entry}` has no metadata object: fix the entry first."
MSG_BUSY = (
    "Entry `{entry}` was not verified: the base kept moving ({tries} tries). Comment the command again."
)


def verify_entry(ctx: Context, pull: PullInfo, entry_id: str, login: str) -> str:
    """Set ``metadata.verified`` of one published entry on the default branch (answering on ``pull``)."""
    number, branch = pull.number, ctx.landing_branch()  # published entries live there, whatever the PR's base
    for _ in range(TRIES):
        base_sha, base_tree = ctx.api.branch_head(branch)
        planned = _plan(ctx, base_sha, entry_id)
        if isinstance(planned, str):
            say(ctx, number, planned.format(entry=entry_id, branch=branch))
            return "refused"
        name, text = planned
        message = COMMIT_MESSAGE.format(entry=entry_id, login=login, number=number)
        commit = ctx.api.create_commit(message, base_tree, {name: text}, [base_sha])
        try:
            ctx.api.move_branch(branch, commit)
        except Conflict:
            continue
        except Refused as exc:
            say(ctx, number, MSG_PROTECTED.format(number=number, branch=branch, reason=str(exc)))
            ctx.failed = True
            return "refused"
        say(ctx, number, MSG_VERIFIED.format(login=login, entry=entry_id, file=name, sha=commit))
        return "verified"
    say(ctx, number, MSG_BUSY.format(entry=entry_id, tries=TRIES))
    ctx.failed = True
    return "conflict"


def _plan(ctx: Context, base_sha: str, entry_id: str) -> tuple[str, str] | str:
    """(data file, its new text) with the entry verified, or the message saying why not."""
    base, _ = load_data_files(lambda path: ctx.api.read(path, base_sha).data, ctx.data_dir, ctx.config)
    for name, doc in base.items():
        for index, entry in enumerate(doc.data):
            if not (isinstance(entry, dict) and entry.get("entry_id") == entry_id):
                continue
            if not isinstance(entry.get("metadata"), dict):
                return MSG_NO_METADATA
            if entry["metadata"].get("verified") is True:
                return MSG_ALREADY
            changed = json.loads(json.dumps(entry))
            changed["metadata"]["verified"] = True
            return name, splice(doc.text, doc.item_offsets or [], replace={index: changed}).text
    return MSG_UNKNOWN
