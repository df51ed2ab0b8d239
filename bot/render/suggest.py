"""GitHub suggested changes for mechanical fixes ("Nvidia" → "NVIDIA", "" → null).

Pure: from a finding with a fix and the file's source text, the replacement line. A suggestion is
offered only once it is proven: the file with the line replaced must parse, and read exactly as the
original with the fix at the finding's place, so accepting it can change nothing else.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from bot.contract.findings import Finding, Pointer
from bot.contract.loader import guess_kind, load_bytes
from bot.render.markdown import code_block, escape
from bot.render.plain import visible_but_breaks

_SCAN: Any = json.decoder.JSONDecoder().scan_once  # type: ignore[attr-defined]
_YAML_PLAIN = re.compile(r"^[A-Za-z0-9_.+-][A-Za-z0-9 _.+/-]*$")
_FLOW_END = re.compile(r"[,\]}]")  # what ends a plain scalar inside [ ] or { }
_MAX_DEPTH = 64  # the proof parses the suggested file; deeper files get no suggestion


def replacement_line(source: str, finding: Finding) -> str | None:
    """The finding's line with the offending value replaced by its fix, or None when no replacement
    of that one line is proven to change that value alone (or the line holds characters a reviewer
    cannot see, which the suggestion would otherwise rewrite unseen)."""
    lines = source.splitlines(keepends=True)
    if not finding.has_fix or not finding.line or not finding.column or finding.line > len(lines):
        return None
    raw = lines[finding.line - 1]
    text = raw.rstrip("\r\n")
    if visible_but_breaks(text) != text:
        return None
    start, yaml = finding.column - 1, guess_kind(finding.file) == "yaml"
    value = _yaml_value(finding.fix) if yaml else json.dumps(finding.fix, ensure_ascii=False)
    for end in _yaml_ends(text, start) if yaml else _json_ends(text, start):
        line = text[:start] + value + text[end:]
        replaced = "".join([*lines[: finding.line - 1], line + raw[len(text) :], *lines[finding.line :]])
        if _proven(finding, source, replaced):
            return line
    return None


def _json_ends(text: str, start: int) -> Iterator[int]:
    try:
        _, end = _SCAN(text, start)
    except (StopIteration, ValueError):
        return
    yield int(end)


def _yaml_ends(text: str, start: int) -> Iterator[int]:
    """Where the scalar starting at ``start`` may end: exactly for a quoted one; for a plain one, at a
    flow collection's separator first, then before a comment or the line's end."""
    if start >= len(text):
        return
    quote = text[start]
    if quote in "\"'":
        at = start + 1
        while at < len(text):
            if quote == '"' and text[at] == "\\":
                at += 2
            elif text[at] == quote and quote == "'" and text.startswith("''", at):
                at += 2  # a doubled quote is a quote inside a single-quoted scalar
            elif text[at] == quote:
                yield at + 1
                return
            else:
                at += 1
        return
    comment = text.find(" #", start)
    block = len((text if comment < 0 else text[:comment]).rstrip())
    flow = _FLOW_END.search(text, start, block)
    if flow is not None:
        yield len(text[: flow.start()].rstrip())
    yield block


def _proven(finding: Finding, source: str, replaced: str) -> bool:
    """Whether ``replaced`` parses as ``source`` does with the fix at the finding's pointer."""
    original = _original(finding.file, source)
    after = _parsed(finding.file, replaced)
    if original is None or after is None or not finding.pointer:
        return False
    data, text = original
    try:  # the fix is there, and with the original value put back the rest reads as before
        was, now = _at(data, finding.pointer), _at(after[0], finding.pointer)
    except (KeyError, IndexError, TypeError):
        return False
    if _exact([now]) != _exact([finding.fix]):
        return False
    _at(after[0], finding.pointer[:-1])[finding.pointer[-1]] = was
    return _exact(after) == text


@lru_cache(maxsize=4)
def _original(name: str, source: str) -> tuple[Any, str] | None:
    """The source's data (read only) and its exact text: parsed once for all of a file's findings."""
    parsed = _parsed(name, source)
    return None if parsed is None else (parsed[0], _exact(parsed))


def _parsed(name: str, text: str) -> list[Any] | None:
    raw = text.encode("utf-8")
    result = load_bytes(name, raw, max_bytes=len(raw) + 1, max_depth=_MAX_DEPTH)
    if result.document is None or result.findings:
        return None
    return [result.document.data]


def _at(node: Any, pointer: Pointer) -> Any:
    for key in pointer:
        if type(key) is int and not isinstance(node, list):
            raise TypeError(key)  # a dict's key is never an int here: JSON keys are text
        node = node[key]
    return node


def _exact(value: Any) -> str:
    """The data as one text: types kept (1, 1.0 and true differ) and key order too."""
    return json.dumps(value, ensure_ascii=False)


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if (
        isinstance(value, str)
        and _YAML_PLAIN.match(value)
        and value.lower() not in ("null", "true", "false", "~")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def review_comment(source: str, finding: Finding) -> dict[str, Any] | None:
    """A review comment carrying a suggested change for the finding's line."""
    line = replacement_line(source, finding)
    if line is None:
        return None
    body = f"{escape(finding.message, 300)} ({escape(finding.rule)})\n\n{code_block(line, 'suggestion')}"
    return {"path": finding.file, "line": finding.line, "side": "RIGHT", "body": body}
