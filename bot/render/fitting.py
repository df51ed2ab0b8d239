"""Fitting the comment under GitHub's limit without hiding the problems.

The verdict and every error with its ``file:line:col`` stay. What else the comment holds is cut in a
fixed order — the normalized JSON, the tables, what the bot filled in, the warnings, the lists of
changed and removed entries — until it fits; only when the errors alone are too long are the last of
them left out, each one whole, with a line saying how many more there are. A note at the top says
what was cut and where the full report is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.contract.findings import Finding

# What the note calls each part when it is cut, in the order parts are cut.
CUT_ORDER = {
    "details": "the normalized JSON",
    "added": "the table of new entries",
    "plausibility": "the plausibility lines",
    "notes": "what the bot filled in",
    "warnings": "the warnings",
    "changed": "the list of changed entries",
    "removed": "the list of removed entries",
}
PROBLEMS = "problems"  # the place of the problems among the parts
NOTE_SHORTENED = "The summary was shortened to fit GitHub's comment limit: {clauses}."
NOTE_LEFT_OUT = "{what} {verb} left out"
NOTE_ALL_ERRORS = "every error is listed with its place"
NOTE_SOME_ERRORS = "the first {shown} of {total} errors are listed with their places"
NOTE_WHERE = "The full report is {where}, and the check run annotates each problem on its line."
MORE_ERRORS = "- … and {count} more error{s}, listed in the full report {where}."
ELLIPSIS = "…\n"


@dataclass(frozen=True)
class Draft:
    """The comment before fitting: its parts in display order (``PROBLEMS`` marks where the problems
    go), the unwaived findings in report order, and how to render a list of them."""

    head: str
    parts: dict[str, str]
    findings: Sequence[Finding]
    footer: str
    problems: Callable[[Sequence[Finding]], str]


def fit(draft: Draft, limit: int | None, where: str) -> str:
    """The comment, at most ``limit`` characters (None: whole), cut as the module describes."""
    text = compose(draft, [], None, where)
    if limit is None or len(text) <= limit:
        return text
    cut: list[str] = []
    for name in cut_candidates(draft):
        cut.append(name)
        text = compose(draft, cut, None, where)
        if len(text) <= limit:
            return text
    errors = sum(1 for f in draft.findings if f.severity == "error")
    low, high = 0, errors  # the most whole errors that fit: compose's length grows with their number
    while low < high:
        middle = (low + high + 1) // 2
        if len(compose(draft, cut, middle, where)) <= limit:
            low = middle
        else:
            high = middle - 1
    text = compose(draft, cut, low, where)
    # Only a footer too long for any comment (a command naming thousands of files) gets here.
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def cut_candidates(draft: Draft) -> list[str]:
    """The parts this draft has, in the order they are cut."""
    has_warnings = any(f.severity == "warning" for f in draft.findings)
    return [
        name for name in CUT_ORDER if (has_warnings if name == "warnings" else bool(draft.parts.get(name)))
    ]


def compose(draft: Draft, cut: Sequence[str], max_errors: int | None, where: str) -> str:
    """The comment without the ``cut`` parts, with at most ``max_errors`` errors (None: all)."""
    shown = [f for f in draft.findings if not (f.severity == "warning" and "warnings" in cut)]
    errors = [f for f in shown if f.severity == "error"]
    hidden = 0 if max_errors is None else len(errors) - max_errors
    if hidden > 0:
        shown = errors[: max_errors or 0]
    problems = draft.problems(shown)
    if hidden > 0:
        more = MORE_ERRORS.format(count=hidden, s="s" * (hidden != 1), where=where)
        problems = f"{problems}\n{more}" if problems else f"#### Problems\n\n{more}"
    body = [problems if name == PROBLEMS else text for name, text in draft.parts.items() if name not in cut]
    shortened = bool(cut) or hidden > 0
    head = [draft.head, note(cut, len(errors), max(hidden, 0), where)] if shortened else [draft.head]
    return "\n\n".join(part for part in [*head, *body, draft.footer] if part) + "\n"


def note(cut: Sequence[str], errors: int, hidden: int, where: str) -> str:
    """The note that says what was cut and where the full report is."""
    names = [CUT_ORDER[name] for name in cut]
    clauses = []
    if names:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        clauses.append(NOTE_LEFT_OUT.format(what=listed, verb="is" if len(names) == 1 else "are"))
    if errors:
        kept = NOTE_SOME_ERRORS.format(shown=errors - hidden, total=errors) if hidden else NOTE_ALL_ERRORS
        clauses.append(kept)
    text = NOTE_SHORTENED.format(clauses="; ".join(clauses))
    return f"> [!NOTE]\n> {text} {NOTE_WHERE.format(where=where)}"
