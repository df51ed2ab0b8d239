"""Turn raw bytes into a parsed document, or into precise findings about why that failed.

Pure: takes bytes and a display name, never touches the filesystem. JSON is parsed by the C
scanner of the standard library (fast on 10,000-entry files) with hooks that catch what JSON
readers usually accept silently: duplicate keys, NaN/Infinity and out-of-range numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.fastload import parse_data_array
from bot.findings import Finding, Pointer
from bot.locate import IndexedJsonLocator, JsonLocator, LineIndex, Locator
from bot.ruletable import RULES

Kind = Literal["json", "yaml"]
# A wrong top level or too deep a nesting leaves no entries to check (duplicate keys do not).
BLOCKING_RULES = ("LB006", "LB008")

MSG_BOM = "the file starts with a byte order mark ({bom})"
MSG_NOT_UTF8 = "byte 0x{byte:02x} is not valid UTF-8"
MSG_NUL = "the file contains NUL bytes: it is not UTF-8 text (UTF-16 without a byte order mark?)"
MSG_SURROGATE = "the text holds a lone UTF-16 surrogate (\\u{code:04x}), which is not valid Unicode"
MSG_EMPTY = "the file is empty"
MSG_TOO_LARGE = "the file has {size:,} bytes, more than the limit of {limit:,}"
MSG_TOP_LEVEL = "the top level is {what}, not an entry object or an array of entries"
MSG_DUPLICATE_KEY = "key {key} appears more than once in this object"
MSG_NON_FINITE = "{token} is not a finite JSON number"
MSG_TOO_DEEP = "values are nested more than {limit} levels deep"
MSG_HUGE_INT = "an integer with more than 4300 digits"

_BOMS = {b"\xef\xbb\xbf": "UTF-8", b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}
# A surrogate escape (\ud800-\udfff, or YAML's \U0000d800) in the text: only then can a parsed
# string hold a lone surrogate, which no UTF-8 file (nor the merged data file) can carry.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Strings are skipped so that a NaN inside a string value is not mistaken for the token.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?\d+(?:\.\d+)?[eE][+-]?\d{3,}|\d{4301,})')


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


def guess_kind(name: str) -> Kind:
    """YAML for .yaml/.yml names, JSON otherwise."""
    return "yaml" if name.lower().endswith((".yaml", ".yml")) else "json"


def load_bytes(
    name: str, raw: bytes, *, max_bytes: int, max_depth: int, kind: Kind | None = None
) -> LoadResult:
    """Decode and parse one file; every way it can be unusable becomes a finding."""
    kind = kind or guess_kind(name)
    text_or_finding = _decode(name, raw, max_bytes)
    if isinstance(text_or_finding, Finding):
        return LoadResult(None, [text_or_finding])
    text = text_or_finding
    if kind == "yaml":
        from bot.yaml_loader import load_yaml_text

        return load_yaml_text(name, text, max_depth=max_depth)
    return load_json_text(name, text, max_depth=max_depth)


def _decode(name: str, raw: bytes, max_bytes: int) -> str | Finding:
    if len(raw) > max_bytes:
        return hygiene(name, "LB007", MSG_TOO_LARGE.format(size=len(raw), limit=max_bytes), 1, 1)
    for bom, label in _BOMS.items():
        if raw.startswith(bom):
            return hygiene(name, "LB004", MSG_BOM.format(bom=label), 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = LineIndex(prefix).line_col(len(prefix))
        return hygiene(name, "LB004", MSG_NOT_UTF8.format(byte=raw[exc.start]), line, col)
    if "\0" in text:
        line, col = LineIndex(text).line_col(text.index("\0"))
        return hygiene(name, "LB004", MSG_NUL, line, col)
    if not text.strip():
        return hygiene(name, "LB005", MSG_EMPTY, 1, 1)
    return text


def hygiene(
    name: str, rule_id: str, message: str, line: int | None, col: int | None, pointer: Pointer = ()
) -> Finding:
    """A finding of one of the input-hygiene rules."""
    rule = RULES[rule_id]
    return Finding(name, pointer, rule_id, rule.severity, message, rule.hint, line, col)


class _Rejected(Exception):
    """Raised from a parser hook to stop at a value JSON readers would accept silently."""


def load_json_text(name: str, text: str, *, max_depth: int) -> LoadResult:
    """Parse JSON text with strict hooks; report syntax errors with their line and column.

    A data file the fast path proves clean needs no hooks; every other text takes the precise path.
    """
    fast = parse_data_array(text, max_depth)
    if fast is not None:
        data, offsets = fast
        locator = IndexedJsonLocator(text, offsets, data)
        document = Document(name, "json", text, data, locator, offsets, locator.plain)
        surrogate = lone_surrogate(document)
        return LoadResult(None, [surrogate]) if surrogate is not None else LoadResult(document)
    return load_json_text_precise(name, text, max_depth=max_depth)


def load_json_text_precise(name: str, text: str, *, max_depth: int) -> LoadResult:
    """The precise path: the standard library's scanner with hooks for every hygiene check."""
    duplicates: list[tuple[dict[str, Any], str]] = []
    decoder = json.JSONDecoder(
        object_pairs_hook=_pairs_hook(duplicates), parse_constant=_reject, parse_float=_finite_float
    )
    top_items: list[int] | None = None
    try:
        try:
            data, top_items = _parse_array(text, decoder)
        except (StopIteration, IndexError, ValueError) as exc:
            if isinstance(exc, _Rejected):
                raise
            duplicates.clear()
            data = decoder.decode(text)  # not a well-formed array: let the decoder say why
    except json.JSONDecodeError as exc:
        return LoadResult(None, [hygiene(name, "LB001", f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)])
    except (_Rejected, ValueError):
        return LoadResult(None, [_bad_token(name, text)])
    except RecursionError:
        return LoadResult(None, [hygiene(name, "LB008", MSG_TOO_DEEP.format(limit=max_depth), 1, 1)])
    document = Document(name, "json", text, data, JsonLocator(text, top_items), top_items)
    surrogate = lone_surrogate(document)
    if surrogate is not None:
        return LoadResult(None, [surrogate])
    return LoadResult(document, check_structure(document, duplicates, max_depth))


_SCAN_WS = re.compile(r"[ \t\n\r]*")


def _parse_array(text: str, decoder: json.JSONDecoder) -> tuple[list[Any], list[int]]:
    """Parse a top-level array item by item, recording where each item starts.

    Costs the same C-level parse as ``json.loads`` and saves the locator a second pass over
    every entry. Raises ValueError for anything else (the caller falls back to a plain decode).
    """
    scan = decoder.scan_once  # type: ignore[attr-defined]
    p = _SCAN_WS.match(text).end()  # type: ignore[union-attr]
    if text[p] != "[":
        raise ValueError("not an array")
    items: list[Any] = []
    offsets: list[int] = []
    p = _SCAN_WS.match(text, p + 1).end()  # type: ignore[union-attr]
    while text[p] != "]":
        item, end = scan(text, p)
        items.append(item)
        offsets.append(p)
        p = _SCAN_WS.match(text, end).end()  # type: ignore[union-attr]
        if text[p] == ",":
            p = _SCAN_WS.match(text, p + 1).end()  # type: ignore[union-attr]
            if text[p] == "]":
                raise ValueError("trailing comma")
        elif text[p] != "]":
            raise ValueError("missing comma")
    if _SCAN_WS.match(text, p + 1).end() != len(text):  # type: ignore[union-attr]
        raise ValueError("extra data")
    return items, offsets


def _pairs_hook(
    duplicates: list[tuple[dict[str, Any], str]],
) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((obj, key))
                seen.add(key)
        return obj

    return hook


def _reject(token: str) -> Any:
    raise _Rejected(token)


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise _Rejected(literal)
    return value


def _bad_token(name: str, text: str) -> Finding:
    """Locate the first non-finite or oversized number (only runs for files that failed)."""
    for match in _TOKEN.finditer(text):
        token = match.group(1)
        if token:
            line, col = LineIndex(text).line_col(match.start(1))
            message = MSG_HUGE_INT if len(token) > 4300 else MSG_NON_FINITE.format(token=token[:40])
            return hygiene(name, "LB003", message, line, col, _pointer_at(text, match.start(1)))
    return hygiene(name, "LB003", MSG_NON_FINITE.format(token="a number"), 1, 1)


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
                    return hygiene(document.file, "LB004", message, line, col, pointer if is_key else at)
            stack.append((child, (*pointer, key)))
    return None


def _pointer_at(text: str, offset: int) -> Pointer:
    """The pointer of the value starting at ``offset``, found by a permissive re-parse."""
    try:
        data = json.loads(text, parse_constant=float, parse_float=float)
    except (ValueError, RecursionError):
        return ()
    locator = JsonLocator(text)
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        value, pointer = stack.pop()
        if locator.offset(pointer) == offset:
            return pointer
        if isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, (*pointer, key)) for key, child in items)
    return ()


def check_structure(
    document: Document, duplicates: list[tuple[dict[str, Any], str]], max_depth: int
) -> list[Finding]:
    """Findings about the parsed structure: top-level type, nesting depth, duplicate keys."""
    findings: list[Finding] = []
    data, name = document.data, document.file
    if not isinstance(data, (dict, list)):
        findings.append(hygiene(name, "LB006", MSG_TOP_LEVEL.format(what=_describe(data)), 1, 1))
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


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string"


def _too_deep(data: Any, max_depth: int) -> Pointer | None:
    """Pointer to the first container nested deeper than ``max_depth``, if any."""
    if _depth_within(data, max_depth):
        return None
    pointer: Pointer = ()
    value = data
    while True:  # descend along a too-deep branch to name it
        children = value.items() if type(value) is dict else enumerate(value)
        for key, child in children:
            if type(child) in (dict, list) and not _depth_within(child, max_depth - len(pointer) - 1):
                pointer, value = (*pointer, key), child
                break
        else:
            return pointer
        if len(pointer) >= max_depth:
            return pointer


def _depth_within(value: Any, budget: int) -> bool:
    """Whether ``value`` nests at most ``budget`` containers deep (ints only: this runs on every file)."""
    if budget <= 0:
        return False
    children = value.values() if type(value) is dict else value
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and not _depth_within(child, budget - 1):
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
