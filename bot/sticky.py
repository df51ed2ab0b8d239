"""The one comment the bot keeps per issue or pull request, updated in place."""

from __future__ import annotations

from bot.github_api import GitHubAPI
from bot.summary import MARKER


def upsert(api: GitHubAPI, number: int, body: str, bot_login: str) -> int:
    """Create or update the bot's marked comment; duplicates (left by a crash or retry) are removed.

    Only comments written by the bot's own login count: a user comment that contains the marker
    is not ours. The oldest of ours wins, so re-runs converge on the same comment.
    """
    ours = [c for c in api.comments(number) if c.author == bot_login and MARKER in c.body]
    if not ours:
        return api.create_comment(number, body)
    keep, extra = ours[0], ours[1:]
    if keep.body != body:
        api.update_comment(keep.id, body)
    for comment in extra:
        api.delete_comment(comment.id)
    return keep.id
