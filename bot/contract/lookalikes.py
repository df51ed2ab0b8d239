"""LB113: text that only looks like what it says — invisible and bidirectional control characters,
and identifying text that mixes letters of different scripts (a Cyrillic а inside "Llama").

The same-configuration check (LB304) compares NFKC-folded text with invisible characters removed,
so fullwidth letters and zero-width spaces cannot make a duplicate look new; a homoglyph from
another script survives every normalization, so such text is refused where it is submitted, with
the code point and its position named. Letters are assigned a script by the first word of their
Unicode name after NFKC (``CYRILLIC SMALL LETTER A``), which needs no script table.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from bot.contract.findings import Hit, Pointer
from bot.contract.hints import show

RULE = "LB113"
MSG_HIDDEN = "{field} holds {char}, {kind}, at character {position} of {length}"
MSG_MIXED = "{field} mixes scripts: {char} at character {position} (in {word}) among {script} letters"
KIND_BIDI = "a bidirectional control character that reorders how the text is shown"
KIND_INVISIBLE = "an invisible character"
KIND_CONTROL = "a control character"

# Free text is the submitter's prose: other scripts are welcome there (notes in Chinese, a name in
# Cyrillic), and so are the joiners and variation selectors that Persian, Indic scripts and emoji
# need. Every other text field names something and is checked strictly.
FREE_TEXT: frozenset[Pointer] = frozenset(
    {("metadata", "notes"), ("metadata", "submitter"), ("metadata", "reproducible_cmd")}
)
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Zero-width and other invisible characters: joiners, fillers, variation selectors, tags, the BOM.
_JOINERS = "\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef"
_HIDDEN_CHARS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
# Control characters and line separators; tabs and line breaks are allowed in free text only.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
HIDDEN = re.compile(f"[{_HIDDEN_CHARS}{_JOINERS}{_CONTROL}\t\n\r]")
# Hidden wherever they stand: what bot.render.plain shows as ⟨U+XXXX⟩ beside the control characters.
ALWAYS_HIDDEN = re.compile(f"[{_HIDDEN_CHARS}]")
HIDDEN_IN_FREE_TEXT = re.compile(f"[{_HIDDEN_CHARS}{_CONTROL}]")
# What the same-configuration check (crosschecks.fold) drops from a name: every hidden character, the
# joiners too, and the control characters that are not whitespace (whitespace is collapsed instead, so
# "a\tb " and "a b" compare equal).
FOLDED_AWAY = re.compile(f"[{_HIDDEN_CHARS}\u200c\u200d\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# JSON escapes that write a character LB113 looks for (or any character: \u).
_ESCAPE = re.compile(r"\\[bfnrtu]")
_WORD = re.compile(r"\w+")
# Scripts that are written together in one name (Unicode TR39, "highly restrictive").
_TOGETHER = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)
# Name prefixes that are not script names: letters shared by scripts, or another name for one.
_SCRIPT_OF_PREFIX: dict[str, str | None] = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "KATAKANA-HIRAGANA": None,
    "MODIFIER": None,
}


def plain_text(text: str, kind: str) -> bool:
    """True when a file's text can hold no character LB113 looks for: ASCII, and no escape that
    writes another character (JSON's \\u; YAML has more, so any backslash there)."""
    if not text.isascii():  # O(1): CPython records it with the string
        return False
    if "\\" not in text:  # one memchr; the two-character search below is 30x slower
        return True
    return kind == "json" and _ESCAPE.search(text) is None


def lookalike_hits(entry: Mapping[str, Any]) -> Iterator[Hit]:
    """LB113 for every text field of the entry (top level and one section deep) that hides characters
    or, outside free text, mixes scripts; printable ASCII text is passed over at C speed."""
    for key, value in entry.items():
        if type(value) is str:
            if not (value.isascii() and value.isprintable()):
                yield from _inspect((key,), value)
        elif type(value) is dict:
            for name, text in value.items():
                if type(text) is str and not (text.isascii() and text.isprintable()):
                    yield from _inspect((key, name), text)


def _inspect(pointer: Pointer, text: str) -> Iterator[Hit]:
    free = pointer in FREE_TEXT
    field = ".".join(map(str, pointer))
    hidden = (HIDDEN_IN_FREE_TEXT if free else HIDDEN).search(text)
    if hidden is not None:
        char = hidden.group()
        kind = KIND_BIDI if BIDI.match(char) else KIND_CONTROL if _is_control(char) else KIND_INVISIBLE
        at = {"position": hidden.start() + 1, "length": len(text)}
        yield Hit(RULE, pointer, MSG_HIDDEN.format(field=field, char=describe(char), kind=kind, **at))
        return
    mixed = None if free else first_mixed_letter(text)
    if mixed is not None:
        index, word, script = mixed
        what = {"char": describe(text[index]), "position": index + 1, "word": show(word)}
        yield Hit(RULE, pointer, MSG_MIXED.format(field=field, script=script, **what))


def describe(char: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``."""
    unnamed = "CONTROL CHARACTER" if _is_control(char) else "UNNAMED CHARACTER"
    return f"U+{ord(char):04X} {unicodedata.name(char, unnamed)}"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def first_mixed_letter(text: str) -> tuple[int, str, str] | None:
    """The first letter whose script is the odd one out in the text (its index, its word, the text's
    main script), or None when the text keeps to scripts that are written together."""
    scripts = [script_of(char) for char in text]
    counts = Counter(s for s in scripts if s is not None)
    if len(counts) < 2 or any(counts.keys() <= together for together in _TOGETHER):
        return None
    main = counts.most_common(1)[0][0]
    odd = next(i for i, s in enumerate(scripts) if s is not None and s != main)
    word = next((m.group() for m in _WORD.finditer(text) if m.start() <= odd < m.end()), text[odd])
    return odd, word, main


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The script of a letter after NFKC (``Latin``, ``Cyrillic``, ``Han``); None for digits, marks,
    punctuation and letters shared by scripts."""
    for folded in unicodedata.normalize("NFKC", char):
        if folded.isalpha():
            if folded.isascii():
                return "Latin"
            prefix = unicodedata.name(folded, "").split(" ", 1)[0]
            return _SCRIPT_OF_PREFIX.get(prefix, prefix.title()) if prefix else None
    return None
