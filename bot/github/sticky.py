"""The one comment the bot keeps per issue or pull request, updated in place."""

from __future__ import annotations

from collections.abc import Sequence

from bot.github.api import GitHubAPI
from bot.github.records import Comment
from bot.render.comment import MARKER


def upsert(
    api: GitHubAPI,
    number: int,
    body: str,
    bot_login: str,
    *,
    fresh: bool = False,
    marker: str = MARKER,
    known: Sequence[Comment] | None = None,
) -> int:
    """Create or update the bot's marked comment; duplicates (left by a crash or retry) are removed.

    Only comments written by the bot's own login and starting with the marker count: a user comment
    that contains the marker is not ours, nor is a bot comment that quotes it from a submission (the
    report shows entries as they were submitted). The oldest of ours wins, so re-runs converge on the
    same comment.

    A create is always followed by a listing: a POST that GitHub stored but answered with a 5xx or a
    dropped connection is re-sent by the client's retry policy (PyGithub retries POST), which leaves
    two comments. ``fresh`` (the issue or pull request was just opened, so the bot most likely has
    no comment there yet) skips the listing before the create; a re-delivered event is then cleaned
    up by the listing after it. Either way a new comment costs two requests, an update two.
    ``known``: the comments as just listed by the caller, used instead of the first listing.
    """
    if not fresh:
        ours = _ours(api, number, bot_login, marker, known)
        if ours:
            return _converge(api, ours, body)
    created = api.create_comment(number, body)
    ours = _ours(api, number, bot_login, marker)
    return _converge(api, ours, body) if ours else created  # an empty list: not visible yet


def _ours(
    api: GitHubAPI, number: int, bot_login: str, marker: str, known: Sequence[Comment] | None = None
) -> list[Comment]:
    listed = api.comments(number) if known is None else known
    return [c for c in listed if c.author == bot_login and c.body.startswith(marker)]


def _converge(api: GitHubAPI, ours: list[Comment], body: str) -> int:
    keep, extra = ours[0], ours[1:]
    if keep.body != body:
        api.update_comment(keep.id, body)
    for comment in extra:
        api.delete_comment(comment.id)
    return keep.id
