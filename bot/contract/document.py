"""The parsed document and the hygiene checks every loader shares (JSON and YAML alike)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.contract.findings import Finding, Pointer
from bot.contract.locate import Locator
from bot.contract.ruletable import RULES

Kind = Literal["json", "yaml"]
# A wrong top level or too deep a nesting leaves no entries to check (duplicate keys do not).
BLOCKING_RULES = ("LB006", "LB008")
MSG_SURROGATE = "the text holds a lone UTF-16 surrogate (\\u{code:04x}), which is not valid Unicode"
HINT_EMPTY_DATA_FILE = "a data file without entries holds an empty array: write [] into it"
HINT_SURROGATE = (
    "write the character itself, or both halves of its pair (\\ud83d\\ude00 is one emoji); "
    "a \\ud800-\\udfff escape alone stands for no character"
)
MSG_TOP_LEVEL = "the top level is {what}, not an entry object or an array of entries"
MSG_DATA_FILE_TOP = "a data file holds an array of entries [...], but its top level is an entry object"
HINT_DATA_FILE_TOP = "wrap the entry in [ ] to make it an array of one entry"
MSG_DUPLICATE_KEY = "key {key} appears more than once in this object"
MSG_EMPTY = "the file is empty"
MSG_TOO_DEEP = "values are nested more than {limit} levels deep"
MSG_HUGE_INT = "an integer with more than 4300 digits"
# A surrogate escape (\ud800-\udfff, or YAML's \U0000d800) in the text: only then can a parsed
# string hold a lone surrogate, which no UTF-8 file (nor the merged data file) can carry.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Document:
    """A parsed file: its text, its data and a way back from pointers to positions."""

    file: str
    kind: Kind
    text: str
    data: Any
    locator: Locator
    # Start offsets of the items of a top-level JSON array (what the merge engine splices between).
    item_offsets: list[int] | None = None
    # Proven by the fast loader: every item is an object and the text has no backslash, so every
    # string is written as it reads (the merge engine searches the text then). False: not known.
    plain_objects: bool = False
    # Values the loader read as null because they cannot be (NaN, 1e999, a 5,000-digit integer): each is
    # an LB003 already, so the checks of these places are left out.
    voided: tuple[Pointer, ...] = ()
    # Indexes built once from the data by later stages (the merge's base index); never compared.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def entries(self) -> list[tuple[Pointer, Any]]:
        """The entries of the file with their pointers: one object, or each item of an array."""
        if isinstance(self.data, list):
            return [((index,), item) for index, item in enumerate(self.data)]
        return [((), self.data)]


@dataclass
class LoadResult:
    """A document (when it parsed) and the hygiene findings raised while loading it."""

    document: Document | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def checkable(self) -> Document | None:
        """The document when its entries can be checked: it parsed, with a usable top level and depth."""
        if any(f.rule in BLOCKING_RULES for f in self.findings):
            return None
        return self.document


def as_data_file(result: LoadResult) -> LoadResult:
    """A data file's load result: an entry object at the top level (fine for a submission file) is LB006."""
    for finding in result.findings:
        if finding.rule == "LB005":  # a data file is never deleted: an empty leaderboard is []
            finding.hint = HINT_EMPTY_DATA_FILE
    document = result.document
    if document is not None and isinstance(document.data, dict) and result.checkable is not None:
        finding = hygiene(document.file, "LB006", MSG_DATA_FILE_TOP, 1, 1)
        finding.hint = HINT_DATA_FILE_TOP
        result.findings.append(finding)
    return result


def hygiene(
    name: str, rule_id: str, message: str, line: int | None, col: int | None, pointer: Pointer = ()
) -> Finding:
    """A finding of one of the input-hygiene rules."""
    rule = RULES[rule_id]
    return Finding(name, pointer, rule_id, rule.severity, message, rule.hint, line, col)


def lone_surrogate(document: Document) -> Finding | None:
    """LB004 at the first string (or key) holding a lone surrogate, which cannot be written as UTF-8.

    Only runs when the text has a surrogate escape (valid pairs decode to one character).
    """
    if "\\" not in document.text or not _SURROGATE_ESCAPE.search(document.text):
        return None
    stack: list[tuple[Any, Pointer]] = [(document.data, ())]
    while stack:
        value, pointer = stack.pop()
        items = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        )
        for key, child in items:
            for is_key, text in ((True, key), (False, child)):
                found = _SURROGATE.search(text) if isinstance(text, str) else None
                if found is not None:
                    at = (*pointer, key)
                    line, col = document.locator.position(at, last_key=is_key)
                    message = MSG_SURROGATE.format(code=ord(found.group()))
                    finding = hygiene(document.file, "LB004", message, line, col, pointer if is_key else at)
                    finding.hint = HINT_SURROGATE
                    return finding
            stack.append((child, (*pointer, key)))
    return None


def check_structure(
    document: Document, duplicates: list[tuple[dict[str, Any], str]], max_depth: int
) -> list[Finding]:
    """Findings about the parsed structure: top-level type, nesting depth, duplicate keys."""
    findings: list[Finding] = []
    data, name = document.data, document.file
    if not isinstance(data, (dict, list)):
        findings.append(hygiene(name, "LB006", MSG_TOP_LEVEL.format(what=json_kind(data)), 1, 1))
        return findings
    deep = _too_deep(data, max_depth)
    if deep is not None:
        line, col = document.locator.position(deep)
        findings.append(hygiene(name, "LB008", MSG_TOO_DEEP.format(limit=max_depth), line, col, deep))
    if duplicates:
        paths = _paths_of({id(obj) for obj, _ in duplicates}, data)
        for obj, key in duplicates:
            pointer = (*paths.get(id(obj), ()), key)
            line, col = document.locator.position(pointer, last_key=True)
            findings.append(
                hygiene(name, "LB002", MSG_DUPLICATE_KEY.format(key=json.dumps(key)), line, col, pointer)
            )
    return findings


def json_kind(value: Any) -> str:
    """The JSON name of a parsed value's type, with its article, for messages ("a number", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else "a string"


def _too_deep(data: Any, max_depth: int) -> Pointer | None:
    """Pointer to the first container nested deeper than ``max_depth``, if any."""
    if depth_within(data, max_depth):
        return None
    pointer: Pointer = ()
    value = data
    while True:  # descend along a too-deep branch to name it
        children = value.items() if type(value) is dict else enumerate(value)
        for key, child in children:
            if type(child) in (dict, list) and not depth_within(child, max_depth - len(pointer) - 1):
                pointer, value = (*pointer, key), child
                break
        else:
            return pointer
        if len(pointer) >= max_depth:
            return pointer


def depth_within(value: Any, budget: int) -> bool:
    """Whether ``value`` nests at most ``budget`` containers deep (ints only: this runs on every file)."""
    if budget <= 0:
        return False
    children = value.values() if type(value) is dict else value
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and not depth_within(child, budget - 1):
            return False
    return True


def _paths_of(targets: set[int], data: Any) -> dict[int, Pointer]:
    """Pointers of the containers whose ids are in ``targets`` (only used for rare findings)."""
    found: dict[int, Pointer] = {}
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack and len(found) < len(targets):
        value, pointer = stack.pop()
        if id(value) in targets:
            found[id(value)] = pointer
        if isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, (*pointer, key)) for key, child in items if isinstance(child, (dict, list)))
    return found
