"""YAML input: parsed with ruamel.yaml's round-trip loader (for line/column records), then
converted to plain JSON-compatible data, refusing what JSON cannot express.

Aliases are refused outright: expanding them is how "billion laughs" documents exhaust memory,
and a submission never needs them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from bot.contract.document import (
    MSG_DUPLICATE_KEY,
    MSG_EMPTY,
    MSG_HUGE_INT,
    MSG_TOO_DEEP,
    Document,
    LoadResult,
    check_structure,
    hygiene,
    lone_surrogate,
)
from bot.contract.findings import Finding, Pointer
from bot.contract.locate import LineIndex, YamlLocator

MSG_YAML_SYNTAX = "invalid YAML: {problem}"
MSG_ALIAS = "YAML anchors and aliases are not accepted"
MSG_MERGE = "YAML merge keys (<<) are not accepted"
MSG_TAG = "the YAML tag {tag} is not accepted"
MSG_KEY = "the key {key!r} is not text; JSON keys are strings"
MSG_MULTI_DOC = "the file holds more than one YAML document"
MSG_NON_FINITE = "{value} is not a finite number"
MSG_TYPE = "a YAML value of type {kind} has no JSON equivalent"
MSG_CONTROL = "the control character U+{code:04X} is not allowed in YAML"
HINT_CONTROL = 'delete it, or write it as an escape inside double quotes ("\\x07" for U+0007)'


class _TooDeep(Exception):
    """Raised by the scanner at a flow collection ("[" or "{") nested deeper than the limit."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


def _depth_limited_scanner(limit: int) -> Any:
    """ruamel.yaml's round-trip scanner, stopping at the first flow collection deeper than ``limit``.

    Deep flow nesting makes the pure scanner quadratic (10,000 "[" took 8 s before the composer
    gave up); this stops it at the limit instead.
    """
    from ruamel.yaml.scanner import RoundTripScanner

    class Scanner(RoundTripScanner):
        def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
            if self.flow_level >= limit:
                mark = self.reader.get_mark()
                raise _TooDeep(mark.line + 1, mark.column + 1)
            super().fetch_flow_collection_start(TokenClass, to_push)

    return Scanner


class _Unsupported(Exception):
    def __init__(self, rule: str, message: str, node: Any, pointer: Pointer) -> None:
        super().__init__(message)
        self.rule, self.message, self.node, self.pointer = rule, message, node, pointer


def _loader(max_depth: int, *, allow_duplicate_keys: bool = False) -> Any:
    """ruamel.yaml's round-trip loader with the depth-limited scanner (a new one each time: its
    constructor reads ``allow_duplicate_keys`` when it is made)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.Scanner = _depth_limited_scanner(max_depth)
    yaml.allow_duplicate_keys = allow_duplicate_keys
    return yaml


def load_yaml_text(name: str, text: str, *, max_depth: int) -> LoadResult:
    """Parse YAML text into plain data; every refusal names its line and column."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    duplicates: list[Finding] = []
    try:
        try:
            docs = list(_loader(max_depth).load_all(text))
        except DuplicateKeyError:
            # Every repeated key, each at its place, and the other checks still run (as for JSON).
            yaml = _loader(max_depth, allow_duplicate_keys=True)
            duplicates = [d for node in yaml.compose_all(text) for d in _duplicate_keys(name, node)]
            docs = list(yaml.load_all(text))
    except ReaderError as exc:  # a control character: ruamel's message names a position, not a line
        line, col = LineIndex(text).line_col(exc.position)
        finding = hygiene(name, "LB001", MSG_CONTROL.format(code=ord(text[exc.position])), line, col)
        finding.hint = HINT_CONTROL
        return LoadResult(None, [finding])
    except MarkedYAMLError as exc:
        return LoadResult(None, [_marked(name, "LB001", exc)])
    except (YAMLError, ValueError, OverflowError) as exc:
        if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
            return LoadResult(None, [hygiene(name, "LB003", MSG_HUGE_INT, 1, 1)])
        return LoadResult(
            None, [hygiene(name, "LB001", MSG_YAML_SYNTAX.format(problem=str(exc)[:200]), 1, 1)]
        )
    except _TooDeep as exc:
        message = MSG_TOO_DEEP.format(limit=max_depth)
        return LoadResult(None, [hygiene(name, "LB008", message, exc.line, exc.column)])
    except RecursionError:
        return LoadResult(None, [hygiene(name, "LB008", MSG_TOO_DEEP.format(limit=max_depth), 1, 1)])
    if len(docs) != 1:
        message = MSG_MULTI_DOC if docs else MSG_EMPTY
        return LoadResult(None, [hygiene(name, "LB009" if docs else "LB005", message, 1, 1)])
    tree = docs[0]
    locator = YamlLocator(tree)
    try:
        data = _plain(tree, (), set(), max_depth)
    except _Unsupported as exc:
        line, col = locator.position(exc.pointer)
        return LoadResult(None, [*duplicates, hygiene(name, exc.rule, exc.message, line, col, exc.pointer)])
    document = Document(name, "yaml", text, data, locator)
    surrogate = lone_surrogate(document)
    if surrogate is not None:
        return LoadResult(None, [surrogate])
    return LoadResult(document, duplicates + check_structure(document, [], max_depth))


def _duplicate_keys(name: str, root: Any) -> list[Finding]:
    """LB002 for every key that repeats in its mapping of a composed YAML node tree."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    findings: list[Finding] = []
    seen: set[int] = set()  # an alias is the same node again (and refused later): walk it once
    stack: list[tuple[Any, Pointer]] = [(root, ())]
    while stack:
        node, pointer = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Any, Pointer]] = []
        if isinstance(node, SequenceNode):
            children = [(child, (*pointer, i)) for i, child in enumerate(node.value)]
        elif isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if not isinstance(key, ScalarNode):
                    continue
                if key.value in keys:
                    mark = key.start_mark
                    message = MSG_DUPLICATE_KEY.format(key=json.dumps(key.value))
                    at = (*pointer, key.value)
                    findings.append(hygiene(name, "LB002", message, mark.line + 1, mark.column + 1, at))
                keys.add(key.value)
                children.append((value, (*pointer, key.value)))
        stack.extend(reversed(children))  # in document order: an anchor is named where it stands
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def _marked(name: str, rule: str, exc: Any) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    return hygiene(name, rule, MSG_YAML_SYNTAX.format(problem=problem or "cannot parse"), line, col)


def _plain(node: Any, pointer: Pointer, seen: set[int], max_depth: int) -> Any:
    """Convert a ruamel.yaml tree to dict/list/str/int/float/bool/None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    if isinstance(node, (CommentedMap, CommentedSeq)):
        if id(node) in seen:
            raise _Unsupported("LB009", MSG_ALIAS, node, pointer)
        seen.add(id(node))
        _check_tag(node, pointer)
        if len(pointer) >= max_depth:
            raise _Unsupported("LB008", MSG_TOO_DEEP.format(limit=max_depth), node, pointer)
        if isinstance(node, CommentedSeq):
            return [_plain(item, (*pointer, i), seen, max_depth) for i, item in enumerate(node)]
        if node.merge:  # "<<" reads as a plain key in YAML 1.2 and as a merge in YAML 1.1
            raise _Unsupported("LB009", MSG_MERGE, node, pointer)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if not isinstance(key, str):
                raise _Unsupported("LB009", MSG_KEY.format(key=key), node, pointer)
            result[str(key)] = _plain(value, (*pointer, str(key)), seen, max_depth)
        return result
    if isinstance(node, TaggedScalar):
        raise _Unsupported("LB009", MSG_TAG.format(tag=node.tag.value), node, pointer)
    if getattr(getattr(node, "anchor", None), "value", None):  # an anchored scalar: aliases share it
        if id(node) in seen:
            raise _Unsupported("LB009", MSG_ALIAS, node, pointer)
        seen.add(id(node))
    return _scalar(node, pointer)


def _check_tag(node: Any, pointer: Pointer) -> None:
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag and tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise _Unsupported("LB009", MSG_TAG.format(tag=tag), node, pointer)


def _scalar(node: Any, pointer: Pointer) -> Any:
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        if not math.isfinite(node):
            raise _Unsupported("LB003", MSG_NON_FINITE.format(value=node), node, pointer)
        return float(node)
    if isinstance(node, dt.datetime):
        # YAML reads unquoted timestamps as datetimes; entries carry them as RFC 3339 text.
        if node.tzinfo is None:
            return node.isoformat()
        return node.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(node, dt.date):
        return node.isoformat()
    raise _Unsupported("LB009", MSG_TYPE.format(kind=type(node).__name__), node, pointer)
