"""Reporters: render a validation report as text, JSON or GitHub workflow commands."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TextIO

from bot.contract.findings import Finding, Pointer, json_path, unwaived
from bot.contract.ruletable import RULES, rule_title
from bot.contract.validate import Report
from bot.render.plain import visible

MSG_GROUPED = "by rule, the first of each shown; --verbose lists every one"


def _location(f: Finding) -> str:
    return f"{f.file}:{f.line or 1}:{f.column or 1}"


def text_line(f: Finding) -> str:
    """``file:line:col: severity: $.path: message [rule] (hint: ...)``."""
    level = "waived" if f.waived is not None else f.severity
    line = f"{_location(f)}: {level}: {f.path}: {f.message} [{f.rule}]"
    if f.hint:
        line += f" (hint: {f.hint})"
    if f.waived is not None:
        line += f" (waiver: {f.waived})"
    return visible(line)


def summary_line(report: Report) -> str:
    """One line of counts."""
    files = f"{report.files} file{'s' * (report.files != 1)}"
    entries = f"{report.entries} entr{'ies' if report.entries != 1 else 'y'}"
    errors, warnings = len(report.errors), len(report.warnings)
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
    counts += f"{len(report.waived)} waived"
    verdict = "FAILED" if report.errors else "OK"
    return f"{verdict}: {files}, {entries}: {counts}"


def rule_groups(findings: Sequence[Finding]) -> list[str]:
    """One entry per rule: id, title, count, how many entries, then the first finding in full."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule_id, group in sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0])):
        known = RULES.get(rule_id)
        title = f": {known.title}" if known else ""
        entries = len({f.entry_id for f in group if f.entry_id})
        spread = f" in {entries} entr{'y' if entries == 1 else 'ies'}" if entries > 1 else ""
        lines.append(f"  {rule_title(rule_id)} ×{len(group)}{spread}{title}")
        lines.append(f"    first: {text_line(group[0])}")
    return lines


def finding_blocks(findings: Sequence[Finding], *, verbose: bool = False) -> list[str]:
    """Errors always in full; warnings and waived findings grouped by rule unless ``verbose``."""
    groups = (
        ("errors", unwaived(findings, "error")),
        ("warnings", unwaived(findings, "warning")),
        ("waived", [f for f in findings if f.waived is not None]),
    )
    blocks = []
    for title, group in groups:
        if not group:
            continue
        if verbose or title == "errors":
            blocks.append(f"{title} ({len(group)}):\n" + "\n".join(text_line(f) for f in group))
        else:
            blocks.append(f"{title} ({len(group)}) {MSG_GROUPED}:\n" + "\n".join(rule_groups(group)))
    return blocks


def render_text(report: Report, verbose: bool = False) -> str:
    """Errors, then warnings, then waived findings, then the summary line."""
    blocks = [*finding_blocks(report.findings, verbose=verbose), summary_line(report)]
    return "\n\n".join(blocks) + "\n"


def render_json(report: Report, verbose: bool = False) -> str:
    """A JSON list of finding objects (file, line, column, path, rule, severity, message, hint)."""
    # One object per line: readable, diff-friendly; written directly (see json_line) for 50k findings.
    items = [json_line(f) for f in report.findings]
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"


def write_json(report: Report, stream: TextIO) -> None:
    """``render_json`` written in blocks of lines: 55,000 findings never sit in memory as one text."""
    if not report.findings:
        stream.write("[]\n")
        return
    text = _Memo(_STRING).__getitem__  # files, rules, messages, hints, ids repeat: encode each once
    findings = report.findings
    for start in range(0, len(findings), _BLOCK):
        block = ",\n".join([json_line(f, text) for f in findings[start : start + _BLOCK]])
        stream.write(("[\n" if start == 0 else ",\n") + block)
    stream.write("\n]\n")


_BLOCK = 2048


class _Memo(dict[str, str]):
    """A string encoder that remembers its answers."""

    def __init__(self, encode: Callable[[str], str]) -> None:
        super().__init__()
        self._encode = encode

    def __missing__(self, key: str) -> str:
        value = self[key] = self._encode(key)
        return value


def json_line(f: Finding, text: Callable[[str], str] | None = None) -> str:
    """``json.dumps(f.as_dict(), ensure_ascii=False)``, byte for byte, without the generic encoder.

    ``text`` encodes the repeated strings (file, rule, message, hint, id): one encoding each.
    """
    text = text or _STRING
    row, column = f.line, f.column  # ints once located (None only before)
    line = (
        f'{{"file": {text(f.file)}, "line": {"null" if row is None else row}, '
        f'"column": {"null" if column is None else column}, '
        f'"path": {_path(f.pointer)}, "rule": {text(f.rule)}, "severity": {text(f.severity)}, '
        f'"message": {text(f.message)}, "hint": {text(f.hint)}'
    )
    if f.entry_id is not None:
        line += f', "entry_id": {text(f.entry_id)}'
    if f.waived is not None:
        line += f', "waived": {text(f.waived)}'
    return line + "}"


# The string encoder json.dumps uses with ensure_ascii=False (the C one when available).
_STRING: Callable[[str], str] = json.encoder.encode_basestring


def _path(pointer: Pointer) -> str:
    """The encoded JSONPath: an item's steps are encoded once (JSON escapes character by character,
    so the encoding of "$[i]" + steps is the two encodings joined)."""
    if pointer and type(pointer[0]) is int:
        return f'"$[{pointer[0]}]{_encoded_steps(pointer[1:])}'
    return _STRING(json_path(pointer))


@lru_cache(maxsize=4096)
def _encoded_steps(steps: Pointer) -> str:
    return _STRING(json_path(steps))[2:]  # without the opening quote and the "$"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    """A workflow command that GitHub shows as an annotation on the file and line."""
    command = "notice" if f.waived is not None else f.severity
    title = rule_title(f.rule)
    props = {"file": f.file, "line": str(f.line or 1), "col": str(f.column or 1), "title": title}
    message = f"{f.path}: {f.message}" + (f" (hint: {f.hint})" if f.hint else "")
    if f.waived is not None:
        message += f" (waived: {f.waived})"
    escaped = ",".join(f"{key}={_escape_property(visible(value))}" for key, value in props.items())
    return f"::{command} {escaped}::{_escape_data(visible(message))}"


def render_github(report: Report, verbose: bool = False) -> str:
    """Workflow commands for every finding, then the summary line."""
    lines = [github_line(f) for f in report.errors + report.warnings + report.waived]
    return "\n".join([*lines, summary_line(report)]) + "\n"


# Every renderer takes ``verbose``; only the text format groups findings, the others list them all.
RENDERERS: dict[str, Callable[[Report, bool], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
