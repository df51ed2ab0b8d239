"""GitHub suggested changes for mechanical fixes ("Nvidia" → "NVIDIA", "" → null).

Pure: from a finding with a fix and the file's source text, the replacement line.
"""

from __future__ import annotations

import json
import json.decoder
import re
from typing import Any

from bot.contract.findings import Finding
from bot.render.markdown import code_block, escape

_SCAN: Any = json.decoder.JSONDecoder().scan_once  # type: ignore[attr-defined]
_YAML_PLAIN = re.compile(r"^[A-Za-z0-9_.+-][A-Za-z0-9 _.+/-]*$")


def replacement_line(source: str, finding: Finding) -> str | None:
    """The finding's line with the offending value replaced by its fix, or None if not one line."""
    lines = source.splitlines()
    if not finding.has_fix or not finding.line or not finding.column or finding.line > len(lines):
        return None
    text, start = lines[finding.line - 1], finding.column - 1
    yaml = finding.file.lower().endswith((".yaml", ".yml"))
    end = _yaml_end(text, start) if yaml else _json_end(text, start)
    if end is None:
        return None
    value = _yaml_value(finding.fix) if yaml else json.dumps(finding.fix, ensure_ascii=False)
    return text[:start] + value + text[end:]


def _json_end(text: str, start: int) -> int | None:
    try:
        _, end = _SCAN(text, start)
    except (StopIteration, ValueError):
        return None
    return int(end)


def _yaml_end(text: str, start: int) -> int | None:
    if start >= len(text):
        return None
    if text[start] in "\"'":
        close = text.find(text[start], start + 1)
        return None if close < 0 else close + 1
    comment = text.find(" #", start)
    return len((text if comment < 0 else text[:comment]).rstrip())


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
