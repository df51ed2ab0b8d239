"""Markdown that user-controlled text cannot break out of.

Everything an entry or a file name contributes goes through ``escape``: no raw HTML, no table
breakage, no emphasis, math or links (autolinked URLs included), and no @mentions, #references,
GH-references or commit SHAs that would notify or cross-link. Control characters (but tabs and line
breaks, which Markdown places itself), bidirectional controls (U+202E and friends) and invisible
characters (U+200B and friends; not the joiners emoji and some scripts need) are shown as
``⟨U+202E⟩``: they cannot reorder or hide what a reviewer reads (``bot.render.plain`` does the same
for terminals).
"""

from __future__ import annotations

import re

from bot.render.plain import visible_but_breaks

_ZWSP = "\u200b"  # breaks @mention and #123 detection without changing what readers see
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")  # $ too: $...$ is math on GitHub
_MENTION = re.compile(r"([@#])")  # every one: "a_@.evil.com" still autolinks as an address, "@x" notifies
_GH_REFERENCE = re.compile(r"(?i)\bGH\\-(?=\d)")  # GH-26 links issue 26 (escaped to GH\-26 by then)
# GitHub links 7 or more hex digits to a commit of that prefix. Runs of decimal digits alone are left
# whole: they are the numbers of the data (2094.5648670196533), which a reader copies.
_HEX_RUN = re.compile(r"\b(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{7,}\b")


def escape(text: object, limit: int = 200) -> str:
    """Inline-safe text: HTML-escaped, Markdown punctuation backslash-escaped, one line."""
    value = visible_but_breaks(str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = " ".join(value.split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _SPECIAL.sub(r"\\\1", value)
    value = value.replace("://", ":" + _ZWSP + "//")  # no autolinks (http://host) either
    value = _GH_REFERENCE.sub(lambda m: m.group() + _ZWSP, value)
    value = _HEX_RUN.sub(_broken_hex, value)
    return _MENTION.sub(lambda m: m.group(1) + _ZWSP, value)


def _broken_hex(match: re.Match[str]) -> str:
    """A run of hex digits in pieces of six, too short for GitHub to take one for a commit SHA."""
    run = match.group()
    return _ZWSP.join(run[at : at + 6] for at in range(0, len(run), 6))


def code(text: object, limit: int = 120, in_table: bool = False) -> str:
    """An inline code span: literal text, so nothing inside renders, links or notifies.

    Backticks cannot be escaped inside a span and become ʼ; pipes are escaped for tables (GFM
    splits cells before it parses spans).
    """
    value = " ".join(visible_but_breaks(str(text)).split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = value.replace("`", "ʼ")
    if in_table:
        value = value.replace("|", "\\|")
    return f"`{value}`" if value else "` `"


def code_block(text: str, language: str = "") -> str:
    """A fenced block whose fence is longer than any run of backticks inside."""
    text = visible_but_breaks(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
