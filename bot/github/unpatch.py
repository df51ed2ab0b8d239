"""A file as it was before a pull request changed it, from the file after the change and the ``patch``
GitHub lists with it (the unified diff against the merge base). Pure.

Saves reading the old file through the API. The answer is exact or None: every context and added line
must match the new file where its hunk says, the hunks must account for exactly the ``additions`` and
``deletions`` GitHub counted (a patch cut short fails here), and anything unexpected gives None, after
which the caller reads the old file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file"


@dataclass(frozen=True)
class Patched:
    """One changed file as GitHub lists it: the new bytes, its patch and its line counts."""

    new: bytes
    patch: str | None
    additions: int
    deletions: int


@dataclass
class _Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: list[str]


def old_file(item: Patched) -> bytes | None:
    """The file before the change, or None when the patch cannot rebuild it exactly."""
    try:
        new = _split(item.new.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    hunks = _hunks(item.patch or "")
    if not hunks or not _counts_match(hunks, item.additions, item.deletions):
        return None
    old: list[str] = []
    cursor = 0  # lines of the new file consumed so far
    for hunk in hunks:
        start = hunk.new_start - 1 if hunk.new_count else hunk.new_start
        if start < cursor or start > len(new) or len(old) + start - cursor != _old_index(hunk):
            return None
        old += new[cursor:start]
        cursor = _apply(hunk, new, start, old)
        if cursor < 0:
            return None
    return "".join(old + new[cursor:]).encode("utf-8")


def _split(text: str) -> list[str]:
    """Lines as git splits them: at "\\n" only, each keeping its ending."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _hunks(patch: str) -> list[_Hunk]:
    """The hunks of a patch, or [] when it is not made of well-formed hunks."""
    hunks: list[_Hunk] = []
    for line in patch.split("\n"):
        match = HUNK.match(line)
        if match:
            a, b, c, d = match.groups()
            hunks.append(_Hunk(int(a), int(b or 1), int(c), int(d or 1), []))
        elif hunks and line[:1] in (" ", "-", "+", "\\"):
            hunks[-1].lines.append(line)
        elif line or not hunks:
            return []
    return hunks


def _counts_match(hunks: list[_Hunk], additions: int, deletions: int) -> bool:
    """Each hunk holds the lines its header counts, and all of them GitHub's totals."""
    added = removed = 0
    for hunk in hunks:
        plus = sum(1 for line in hunk.lines if line[:1] == "+")
        minus = sum(1 for line in hunk.lines if line[:1] == "-")
        context = sum(1 for line in hunk.lines if line[:1] == " ")
        if (context + minus, context + plus) != (hunk.old_count, hunk.new_count):
            return False
        added, removed = added + plus, removed + minus
    return (added, removed) == (additions, deletions)


def _old_index(hunk: _Hunk) -> int:
    """Where the hunk starts in the old file (0-based)."""
    return hunk.old_start - 1 if hunk.old_count else hunk.old_start


def _apply(hunk: _Hunk, new: list[str], start: int, old: list[str]) -> int:
    """Append the hunk's old lines to ``old``; the new file's position after it, or -1 on a mismatch."""
    position = start
    for index, line in enumerate(hunk.lines):
        if line.startswith("\\"):
            continue
        last = index + 1 < len(hunk.lines) and hunk.lines[index + 1] == NO_NEWLINE
        text = line[1:] + ("" if last else "\n")
        if line[0] in " +":
            if position >= len(new) or new[position] != text:
                return -1
            position += 1
        if line[0] in " -":
            old.append(text)
    return position
