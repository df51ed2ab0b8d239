"""Which lines of a pull request's file a review comment may name: GitHub accepts an inline comment only
on a line of the diff (inside a ``@@`` hunk of the file's ``patch``: added or context lines on the RIGHT
side, removed or context lines on the LEFT), and refuses the whole review with 422 otherwise
("Pull request review thread line must be part of the diff")."""

from __future__ import annotations

import re

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def diff_lines(patch: str | None, side: str = "RIGHT") -> set[int]:
    """Line numbers of ``side`` that the hunks of a unified ``patch`` show."""
    lines: set[int] = set()
    left = right = 0
    for text in (patch or "").split("\n"):  # git ends lines at "\n" only
        match = HUNK.match(text)
        if match:
            left, right = int(match.group(1)), int(match.group(3))
            continue
        if text.startswith("+"):
            lines.add(right) if side == "RIGHT" else None
            right += 1
        elif text.startswith("-"):
            lines.add(left) if side == "LEFT" else None
            left += 1
        elif not text.startswith("\\"):  # a context line ("\ No newline at end of file" is neither)
            lines.add(right if side == "RIGHT" else left)
            left, right = left + 1, right + 1
    return lines
