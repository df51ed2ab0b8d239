"""Where a JSON Schema checks a ``format``: the paths of the values it applies to, found by walking
the schema once, so the format functions can be called from Python instead of from jsonschema-rs.

A call from Rust back into Python costs about as much as the whole rest of an entry's check; the
two format checks of the leaderboard schema took a fifth of the schema check. A format reached
only through ``properties`` (and ``allOf``, ``$ref``) applies exactly when the value exists at its
path, so checking it there is equivalent. A format anywhere else (under ``items``, ``anyOf``,
``if``…) applies only sometimes: then ``format_sites`` answers None and the caller lets the
validator call the format functions itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Site = tuple[tuple[str, ...], str]  # (path of property names, format name)
FormatCheck = tuple[tuple[str, ...], Callable[[object], bool]]  # (path, the format's function)
_SCOPED = ("properties", "allOf", "$ref", "format")  # keywords whose subschemas always apply
_DATA = ("definitions", "enum", "const", "examples", "default")  # values here are data, not subschemas
_MAX_DEPTH = 64  # a $ref cycle ends the walk (and falls back) instead of recursing forever


def format_sites(schema: Mapping[str, Any], root: Mapping[str, Any]) -> list[Site] | None:
    """Every (path, format) of ``schema``, or None when some format applies only conditionally.

    ``root`` is the document ``$ref``s point into (``#/definitions/...``).
    """
    try:
        return _sites(schema, root, (), 0)
    except _Conditional:
        return None


class _Conditional(Exception):
    """A format sits where it does not always apply, or the walk could not follow a $ref."""


def _sites(node: Any, root: Mapping[str, Any], path: tuple[str, ...], depth: int) -> list[Site]:
    if not isinstance(node, dict):
        return []
    if depth > _MAX_DEPTH:
        raise _Conditional
    if "$ref" in node:  # Draft 7: a $ref's sibling keywords are ignored
        return _sites(_resolve(root, node["$ref"]), root, path, depth + 1)
    found: list[Site] = []
    if isinstance(node.get("format"), str):
        found.append((path, node["format"]))
    for name, sub in (node.get("properties") or {}).items():
        found += _sites(sub, root, (*path, name), depth + 1)
    for sub in node.get("allOf") or ():
        found += _sites(sub, root, path, depth + 1)
    for keyword, sub in node.items():
        if keyword not in _SCOPED and keyword not in _DATA and _mentions_format(sub, root, depth + 1):
            raise _Conditional
    return found


def _mentions_format(node: Any, root: Mapping[str, Any], depth: int) -> bool:
    """Whether a ``format`` keyword may apply anywhere inside ``node`` (following $refs)."""
    if depth > _MAX_DEPTH:
        raise _Conditional
    if isinstance(node, list):
        return any(_mentions_format(item, root, depth + 1) for item in node)
    if not isinstance(node, dict):
        return False
    if isinstance(node.get("$ref"), str):
        return _mentions_format(_resolve(root, node["$ref"]), root, depth + 1)
    if isinstance(node.get("format"), str):
        return True
    return any(
        _mentions_format(sub, root, depth + 1) for keyword, sub in node.items() if keyword not in _DATA
    )


def _resolve(root: Mapping[str, Any], ref: Any) -> Any:
    """The subschema a local ``#/...`` reference names."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise _Conditional  # a remote reference: not followed here
    node: Any = root
    for part in filter(None, ref[1:].split("/")):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise _Conditional
        node = node[key]
    return node


def sites_hold(entry: Any, sites: list[FormatCheck]) -> bool:
    """Whether every format check passes on the values present at their paths."""
    for path, holds in sites:
        value = entry
        for key in path:
            if type(value) is not dict or key not in value:
                break
            value = value[key]
        else:
            if not holds(value):
                return False
    return True
