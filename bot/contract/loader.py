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
from typing import Any

from bot.contract.canonical import CanonicalLocator, item_starts, parse_canonical
from bot.contract.document import (
    MSG_EMPTY,
    MSG_HUGE_INT,
    MSG_TOO_DEEP,
    MSG_TOP_LEVEL,
    Document,
    Kind,
    LoadResult,
    check_structure,
    hygiene,
    lone_surrogate,
)
from bot.contract.fastload import parse_data_array
from bot.contract.findings import Finding, Pointer
from bot.contract.locate import IndexedJsonLocator, JsonLocator, LineIndex
from bot.contract.yaml_loader import load_yaml_text

MSG_BOM = "the file starts with a byte order mark ({bom})"
MSG_NOT_UTF8 = "byte 0x{byte:02x} is not valid UTF-8"
MSG_NUL = "the file contains NUL bytes: it is not UTF-8 text (UTF-16 without a byte order mark?)"
MSG_TOO_LARGE = "the file has {size:,} bytes, more than the limit of {limit:,}"
MSG_NON_FINITE = "{token} is not a finite JSON number"

_BOMS = {b"\xef\xbb\xbf": "UTF-8", b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}
# Strings are skipped so that a NaN inside a string value is not mistaken for the token.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?\d+(?:\.\d+)?[eE][+-]?\d{3,}|\d{4301,})')


def guess_kind(name: str) -> Kind:
    """YAML for .yaml/.yml names, JSON otherwise."""
    return "yaml" if name.lower().endswith((".yaml", ".yml")) else "json"


def load_bytes(
    name: str, raw: bytes, *, max_bytes: int, max_depth: int, kind: Kind | None = None
) -> LoadResult:
    """Decode and parse one file; every way it can be unusable becomes a finding."""
    kind = kind or guess_kind(name)
    # A data file as orjson writes it is parsed before it is decoded: the parser's buffers are
    # gone before the text is made, so the two never sit in memory together.
    canonical = _try_canonical(name, raw, max_depth) if kind == "json" and len(raw) <= max_bytes else None
    if canonical is not None:
        return canonical
    text_or_finding = _decode(name, raw, max_bytes)
    if isinstance(text_or_finding, Finding):
        return LoadResult(None, [text_or_finding])
    text = text_or_finding
    if kind == "yaml":
        return load_yaml_text(name, text, max_depth=max_depth)
    return _load_json(name, text, max_depth=max_depth)


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


class _Rejected(Exception):
    """Raised from a parser hook to stop at a value JSON readers would accept silently."""


def load_json_text(name: str, text: str, *, max_depth: int) -> LoadResult:
    """Parse JSON text with strict hooks; report syntax errors with their line and column.

    A data file the fast paths prove clean needs no hooks; every other text takes the precise path.
    """
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: only the precise path reports it
        return _load_json(name, text, max_depth=max_depth)
    data = parse_canonical(raw, max_depth)
    canonical = _canonical(name, text, data) if data is not None else None
    return canonical or _load_json(name, text, max_depth=max_depth)


def _try_canonical(name: str, raw: bytes, max_depth: int) -> LoadResult | None:
    """The document of a data file in orjson's layout, parsed first and decoded after; else None."""
    data = parse_canonical(raw, max_depth)
    if data is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # what orjson read and Python refuses: the precise path says where
        return None
    return _canonical(name, text, data)


def _canonical(name: str, text: str, data: list[Any]) -> LoadResult | None:
    """The document of a file ``parse_canonical`` accepted (None if its items are not where expected)."""
    offsets = item_starts(text)
    if len(offsets) != len(data):
        return None
    locator = CanonicalLocator(text, offsets, data)
    document = Document(name, "json", text, data, locator, offsets, "\\" not in text)
    surrogate = lone_surrogate(document)
    return LoadResult(None, [surrogate]) if surrogate is not None else LoadResult(document)


def _load_json(name: str, text: str, *, max_depth: int) -> LoadResult:
    """The item-by-item fast path, else the precise one."""
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
        object_pairs_hook=pairs_hook(duplicates), parse_constant=_reject, parse_float=_finite_float
    )
    try:
        data, top_items = _parse_items(text, decoder, duplicates)
    except json.JSONDecodeError as exc:
        return LoadResult(None, [hygiene(name, "LB001", f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)])
    except (_Rejected, ValueError):
        return _with_bad_numbers(name, text, max_depth)
    except RecursionError:
        return LoadResult(None, [hygiene(name, "LB008", MSG_TOO_DEEP.format(limit=max_depth), 1, 1)])
    document = Document(name, "json", text, data, JsonLocator(text, top_items), top_items)
    return _checked(document, duplicates, max_depth)


def _parse_items(
    text: str, decoder: json.JSONDecoder, duplicates: list[tuple[dict[str, Any], str]]
) -> tuple[Any, list[int] | None]:
    """A top-level array item by item, with where each item starts; anything else as the decoder parses
    it (which says why a malformed array is malformed). A value a hook rejects stops both."""
    try:
        return _parse_array(text, decoder)
    except _Rejected:
        raise
    except (StopIteration, IndexError, ValueError):
        duplicates.clear()  # the decoder parses again from the start
        return decoder.decode(text), None


def _checked(document: Document, duplicates: list[tuple[dict[str, Any], str]], max_depth: int) -> LoadResult:
    """The document with its structure findings, or the lone surrogate that makes it unusable."""
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


def pairs_hook(
    duplicates: list[tuple[dict[str, Any], str]],
) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A JSON object hook that notes every repeated key, with the object holding it, in ``duplicates``."""

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


def _with_bad_numbers(name: str, text: str, max_depth: int) -> LoadResult:
    """A text whose only faults are non-finite or oversized numbers: parsed with each of them read as
    null, so every other check still runs; each is an LB003 at its own place (and the checks of the
    voided values are left out). A text with other faults: its first bad number only."""
    duplicates: list[tuple[dict[str, Any], str]] = []
    decoder = json.JSONDecoder(
        object_pairs_hook=pairs_hook(duplicates),
        parse_constant=lambda _token: None,
        parse_float=lambda literal: None if math.isinf(float(literal)) else float(literal),
        parse_int=lambda literal: None if len(literal.lstrip("-")) > 4300 else int(literal),
    )
    try:
        data, top_items = _parse_items(text, decoder, duplicates)
    except (ValueError, RecursionError):
        return LoadResult(None, [_bad_token(name, text, ())])
    if data is None and text.strip() != "null":  # the top level itself is the bad number, not null
        top = hygiene(name, "LB006", MSG_TOP_LEVEL.format(what="a number"), 1, 1)
        return LoadResult(None, [_bad_token(name, text, ()), top])
    document = Document(name, "json", text, data, JsonLocator(text, top_items), top_items)
    result = _checked(document, duplicates, max_depth)
    if result.document is None:
        return result
    bad = [_bad_token(name, text, found) for found in _bad_numbers(document)]
    result.document.voided = tuple(finding.pointer for finding in bad)
    result.findings[:0] = bad
    return result


def _bad_numbers(document: Document) -> list[tuple[int, str, Pointer]]:
    """(offset, token, pointer) of every non-finite or oversized number of a leniently parsed text."""
    offsets = {m.start(1): m.group(1) for m in _TOKEN.finditer(document.text) if m.group(1)}
    found: list[tuple[int, str, Pointer]] = []
    stack: list[tuple[Any, Pointer]] = [(document.data, ())]
    locator = JsonLocator(document.text, document.item_offsets)
    while stack:  # only the nulls can be voided numbers
        value, pointer = stack.pop()
        if isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, (*pointer, key)) for key, child in items)
        elif value is None and pointer:
            at = locator.offset(pointer)
            at += 1 if at not in offsets and document.text.startswith("-", at) else 0  # -123…: digits
            if at in offsets:
                found.append((at, offsets[at], pointer))
    return sorted(found)


def _bad_token(name: str, text: str, found: tuple[int, str, Pointer] | tuple[()]) -> Finding:
    """The LB003 finding for one bad number, or for the first one in a text that does not parse."""
    if not found:
        match = next((m for m in _TOKEN.finditer(text) if m.group(1)), None)
        if match is None:
            return hygiene(name, "LB003", MSG_NON_FINITE.format(token="a number"), 1, 1)
        found = (match.start(1), match.group(1), ())
    offset, token, pointer = found
    line, col = LineIndex(text).line_col(offset)
    message = MSG_HUGE_INT if len(token) > 4300 else MSG_NON_FINITE.format(token=token[:40])
    return hygiene(name, "LB003", message, line, col, pointer)
