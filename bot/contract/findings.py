"""The finding record shared by every checker and reporter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]
Pointer = tuple[str | int, ...]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(pointer: Sequence[str | int]) -> str:
    """Render a pointer such as ('metrics', 'ttft_ms') as the JSONPath ``$.metrics.ttft_ms``."""
    if pointer and type(pointer[0]) is int:  # an item of a data file: the steps after it repeat
        return f"$[{pointer[0]}]{_steps(tuple(pointer[1:]))}"
    return "$" + _steps(tuple(pointer))


@lru_cache(maxsize=4096)
def _steps(pointer: tuple[str | int, ...]) -> str:
    return "".join([f"[{key}]" if isinstance(key, int) else _member(key) for key in pointer])


@lru_cache(maxsize=4096)
def _member(key: str) -> str:
    """One member step of a JSONPath (cached: reports repeat the same few keys thousands of times)."""
    if _IDENT.match(key):
        return f".{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'["{escaped}"]'


@dataclass(slots=True)
class Finding:
    """One problem found in one place of one file."""

    file: str
    pointer: Pointer
    rule: str
    severity: Severity
    message: str
    hint: str = ""
    line: int | None = None
    column: int | None = None
    entry_id: str | None = None
    waived: str | None = None
    # A machine-applicable fix: the JSON value the offending value should become (used for suggestions).
    fix: object = field(default=None, compare=False)
    has_fix: bool = field(default=False, compare=False)

    @property
    def path(self) -> str:
        """The JSONPath of the offending value."""
        return json_path(self.pointer)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Stable report order: by file, position, then rule."""
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        """The public JSON shape of a finding."""
        data: dict[str, object] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }
        if self.entry_id is not None:
            data["entry_id"] = self.entry_id
        if self.waived is not None:
            data["waived"] = self.waived
        return data


def in_report_order(findings: Sequence[Finding]) -> list[Finding]:
    """``sorted(findings, key=Finding.sort_key)``; once every finding is located, with one integer key
    each, since building and comparing 56,000 five-tuples was most of the sort."""
    if not all(f.line is not None and f.column is not None for f in findings):
        return sorted(findings, key=Finding.sort_key)
    return [findings[index] for index in sorted(range(len(findings)), key=_rank_keys(findings).__getitem__)]


def _rank_keys(findings: Sequence[Finding]) -> list[int]:
    """Each located finding's (file, line, column, rule, message) as one mixed-radix number: the text
    fields by their rank among the values present, so integers order exactly as the five-tuples."""
    files = _ranks({f.file for f in findings})
    rules = _ranks({f.rule for f in findings})
    messages = _ranks({f.message for f in findings})
    lines = max((f.line or 0 for f in findings), default=0) + 1
    columns = max((f.column or 0 for f in findings), default=0) + 1
    return [
        (((files[f.file] * lines + (f.line or 0)) * columns + (f.column or 0)) * len(rules) + rules[f.rule])
        * len(messages)
        + messages[f.message]
        for f in findings
    ]


def _ranks(values: set[str]) -> dict[str, int]:
    return {value: rank for rank, value in enumerate(sorted(values))}


def unwaived(findings: Sequence[Finding], severity: Severity) -> list[Finding]:
    """The findings of one severity that no waiver excuses."""
    return [f for f in findings if f.severity == severity and f.waived is None]


class Verdict:
    """Errors and warnings of anything that holds ``findings`` (a validation report, a submission)."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        """Unwaived errors: any of them fails the run and blocks a merge."""
        return unwaived(self.findings, "error")

    @property
    def warnings(self) -> list[Finding]:
        """Unwaived warnings: worth reading, blocking nothing."""
        return unwaived(self.findings, "warning")


class Hit(NamedTuple):
    """One violation of one rule inside one entry, before it has a file and a position: what the schema
    check, the rules and the cross-checks find (each becomes a Finding). A named tuple: a large run
    builds 50,000 of them, and a frozen dataclass is several times slower to construct."""

    rule: str
    pointer: Pointer
    message: str
    hint: str | None = None  # None: the rule table's hint
    fix: Any = None
    has_fix: bool = False
