"""Plain text for terminals and CI logs that user-controlled text cannot break out of.

A value from a submission reaches a finding's line raw in a few places (an entry id that is not a
UUID, a file name, a model name). Written as itself, an escape character there recolours or retitles
the terminal, a carriage return overwrites what the line said, and a newline starts a line of its own,
which a CI log reads as a workflow command when it starts with ``::``. ``visible`` shows control
characters, line separators, bidirectional controls and invisible characters as ``⟨U+001B⟩``, as
the Markdown renderer does for the last two.
"""

from __future__ import annotations

import re

from bot.contract.lookalikes import ALWAYS_HIDDEN

_HIDDEN = ALWAYS_HIDDEN.pattern
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|" + _HIDDEN)
UNSAFE_PATTERN = _UNSAFE.pattern  # what ``visible`` shows, for the page's script too (bot/site/data.py)
# Markdown handles tabs and line breaks itself: collapsed in a table cell, kept in a code block.
_UNSAFE_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|" + _HIDDEN)


def visible(text: str) -> str:
    """``text`` as one line with nothing a terminal or a log would act on: such characters as ⟨U+XXXX⟩."""
    return _shown(_UNSAFE, text)


def visible_but_breaks(text: str) -> str:
    """``visible``, but tabs, newlines and carriage returns stay (for Markdown, which places them)."""
    return _shown(_UNSAFE_BUT_BREAKS, text)


def _shown(unsafe: re.Pattern[str], text: str) -> str:
    if unsafe.search(text) is None:  # nearly always: no second pass over the text
        return text
    return unsafe.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", text)
