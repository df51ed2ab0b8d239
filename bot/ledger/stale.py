"""Changes made to an older copy of a published entry (LB310).

A pull request that edits a data file is read against the data files where it branched off; the merge
writes its copy of each changed entry over the copy published NOW. If that entry changed in between (an
earlier merge with ``--allow-changes``, ``/leaderboard verify``, an earlier pull request of the same
batch), landing the copy would undo that change, and nobody approved that diff. So such a change or
removal is refused until the branch is brought up to date, and the check then shows the whole diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.ledger.diff import field_changes
from bot.ledger.submission import Removed, Submitted

MSG_STALE = (
    "entry {entry} changed on the base since this pull request branched off ({fields}): merging this "
    "change would undo that"
)
MSG_STALE_REMOVED = (
    "entry {entry} changed on the base since this pull request branched off ({fields}): this removal "
    "was made to an older copy of it"
)
MOST_NAMED = 5  # fields named in the message; the rest are counted


def stale_change(item: Submitted, now: dict[str, Any]) -> str | None:
    """The LB310 message when a changed entry's copy published ``now`` is neither the one edited nor the
    result."""
    if item.before is None or now in (item.before, item.entry):
        return None  # a change to the current copy, or one that someone already made the same way
    return MSG_STALE.format(entry=item.entry_id, fields=changed_fields(item.before, now))


def stale_removal(gone: Removed, published: list[dict[str, Any]]) -> str | None:
    """The LB310 message when no copy of the removed entry ``published`` now is the one removed."""
    if gone.entry in published:
        return None  # of an id published more than once, any copy may be the one this removal saw
    entry_id = gone.entry.get("entry_id")
    return MSG_STALE_REMOVED.format(entry=entry_id, fields=changed_fields(gone.entry, published[0]))


def changed_fields(before: dict[str, Any], now: dict[str, Any]) -> str:
    """The JSONPaths of the fields that differ between two copies of an entry, the first few named."""
    return first_named([change.path for change in field_changes(before, now)])


def first_named(names: Sequence[str]) -> str:
    """The first MOST_NAMED of ``names``, comma-separated, the rest counted ("a, b and 3 more")."""
    more = f" and {len(names) - MOST_NAMED} more" if len(names) > MOST_NAMED else ""
    return ", ".join(names[:MOST_NAMED]) + more


def overtaken(
    before: Mapping[str, Any], proposed: Mapping[str, Any], current: Mapping[str, Any]
) -> list[str]:
    """The ids of the entries that ``proposed`` changes or removes and that changed on the base since
    ``before`` (each map: entry id -> entry): the changes LB310 (or LB305, if gone) would refuse."""
    return sorted(
        entry_id
        for entry_id, old in before.items()
        if proposed.get(entry_id) != old and current.get(entry_id) not in (old, proposed.get(entry_id))
    )
