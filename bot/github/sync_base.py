"""Whether the default branch has overtaken the open sync pull request: changed, since the sync commit
was built on it, an entry that the pull request changes. Its merge would then refuse that change
(LB310), and the sync rebuilds the pull request on the default branch as it is."""

from __future__ import annotations

from typing import Any

from bot.github.context import Context
from bot.github.records import PullInfo
from bot.ledger.data_files import load_data_files
from bot.ledger.stale import overtaken
from bot.ledger.submission import entries_by_id


def changed_under(ctx: Context, pull: PullInfo, built_on: str, branch: str) -> list[str]:
    """The ids of the entries the sync pull request changes that ``branch`` changed since ``built_on``
    (one request when the branch has not moved, seven when it has)."""
    now = ctx.api.branch_head(branch)[0]
    if now == built_on:
        return []
    before, proposed, current = (_entries(ctx, commit) for commit in (built_on, pull.head_sha, now))
    return overtaken(before, proposed, current)


def _entries(ctx: Context, commit: str) -> dict[str, dict[str, Any]]:
    """The entries of the data files at ``commit`` by id."""
    docs, _ = load_data_files(lambda path: ctx.api.read(path, commit).data, ctx.data_dir, ctx.config)
    return entries_by_id(docs)
