"""Data model of ``leaderboard-bot import``: entry values with their provenance, the user's
overrides (hardware file, flags, ``--set``) and the per-entry result with its report lines.

Pure: no I/O.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.contract.hints import suggestion
from bot.importer.spec import HARDWARE_FILE_KEYS, SECTION_KEYS, TOP_KEYS, paths_of_type

MSG_SET_SYNTAX = (
    "--set {text!r}: expected [WORKLOAD:]PATH=VALUE, for example --set model.precision=BF16 "
    "or, for one workload only, --set batch_small:workload.concurrent_requests=8"
)
MSG_SET_MEASURED = (
    "--set {text!r}: {path} is a measurement, and measurements come only from the run's outputs (the "
    "metrics files): leave it out, or benchmark the run again if the measured value is wrong"
)
MSG_SET_PATH = "{path!r} is not a dotted path of names, for example hardware.chip_model"
MSG_SET_SECTION = "the entry has no top-level field {section!r}{hint}; known fields: {known}"
MSG_SET_UNKNOWN_KEY = (
    "{label} {path}: {section} has no standard field {key!r}{hint}; it is written as an extra field"
)
MSG_HW_NOT_OBJECT = "hardware file {name}: the top level is {kind}, expected a mapping of keys such as vendor"
MSG_HW_KEY = "hardware file {name}: unknown key {key!r}{hint}; known keys: {known}"
MSG_HW_NUMBER = (
    "hardware file {name}: {key} is the number {value!r} but must be text; quote it, "
    'for example {key}: "3.10" (YAML and JSON read 3.10 as the number 3.1)'
)
MSG_HW_TYPE = "hardware file {name}: {key} is a YAML {kind}, which JSON cannot hold; quote it"
MSG_HW_ENV = "hardware file {name}: 'environment' must be a mapping of keys such as os, python_version"

DERIVED = "derived"  # the source of values the importer works out from others
_PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class OverrideError(ValueError):
    """A flag, ``--set`` option or hardware file that cannot be used (exit code 2)."""


@dataclass(frozen=True)
class Value:
    """One leaf value of an entry and where it came from."""

    value: Any
    source: str  # a file, flag or rule: "config.json", "--set", "derived", ...
    explicit: bool = False  # given by the user (hardware file, flag, --set), not read from run data
    detail: str = ""  # where inside the source: "avg_ttft_ms", "chip_count ÷ chips_per_node", ...


class Fields:
    """An entry under construction: dotted path → Value, later writes winning."""

    def __init__(self) -> None:
        self._items: dict[str, Value] = {}

    def put(self, path: str, value: Any, source: str, *, explicit: bool = False, detail: str = "") -> None:
        """Set ``path``; a non-empty mapping is spread over its children."""
        if isinstance(value, Mapping) and value:
            for key, child in value.items():
                self.put(f"{path}.{key}", child, source, explicit=explicit, detail=detail)
            return
        self.drop(path)
        for key in [k for k in self._items if path.startswith(k + ".")]:
            del self._items[key]
        self._items[path] = Value(value, source, explicit, detail)

    def drop(self, path: str) -> None:
        """Remove ``path`` and everything below it."""
        for key in [k for k in self._items if k == path or k.startswith(path + ".")]:
            del self._items[key]

    def get(self, path: str) -> Any:
        """The value at ``path``, or None."""
        item = self._items.get(path)
        return None if item is None else item.value

    def item(self, path: str) -> Value | None:
        """The Value at ``path`` (with its source), or None."""
        return self._items.get(path)

    def has(self, path: str) -> bool:
        """True when ``path`` holds a value that is not None."""
        return self.get(path) is not None

    def present(self, path: str) -> bool:
        """True when ``path`` or anything below it is set (even to None)."""
        return any(k == path or k.startswith(path + ".") for k in self._items)

    def items(self) -> list[tuple[str, Value]]:
        """All leaves in insertion order."""
        return list(self._items.items())


@dataclass(frozen=True)
class Layer:
    """Values given by the user through one channel, applied in order."""

    source: str
    values: tuple[tuple[str, Any], ...]
    workload: str | None = None  # applies to the entries of this workload only (``--set NAME:PATH=V``)

    def applies_to(self, workload: str | None) -> bool:
        """True when the layer is for every entry, or for this entry's workload."""
        return self.workload is None or (
            workload is not None and self.workload.casefold() == workload.casefold()
        )


@dataclass(frozen=True)
class Overrides:
    """Everything the user adds to what the outputs say, lowest priority first."""

    layers: tuple[Layer, ...] = ()
    stable_ids: bool = False


@dataclass
class ImportResult:
    """One produced (or refused) entry and the report about it."""

    origin: str
    stem: str
    workload: str | None = None  # the sagellm-benchmark workload the entry measures, when known
    entry: dict[str, Any] | None = None
    target: str | None = None  # where the entry is written (set by the command)
    filled: list[tuple[str, Value]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    normalized: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Paths the importer speaks for: an import error names them, or waits for another to be fixed.
    reported: set[str] = field(default_factory=set)

    def refuse(self, path: str, message: str) -> None:
        """Record an error about ``path``; the validator's findings there are not repeated."""
        self.errors.append(message)
        self.reported.add(path)


def assemble(fields: Fields) -> dict[str, Any]:
    """Build the nested entry from its leaves, keys in the contract's order."""
    root: dict[str, Any] = {}
    for path, item in fields.items():
        *parents, leaf = path.split(".")
        node = root
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = copy.deepcopy(item.value)
    ordered = _ordered(root, "")
    assert isinstance(ordered, dict)
    return ordered


def _ordered(value: Any, section: str) -> Any:
    if not isinstance(value, dict):
        return value
    order = TOP_KEYS if not section else SECTION_KEYS.get(section, ())
    keys = [k for k in order if k in value] + [k for k in value if k not in order]
    return {k: _ordered(value[k], f"{section}.{k}" if section else k) for k in keys}


def parse_scoped_set(text: str) -> tuple[str | None, str, Any]:
    """Parse ``--set [WORKLOAD:]PATH=VALUE`` into (workload or None, path, value)."""
    head, sep, _ = text.partition("=")
    scope, colon, _ = head.partition(":")
    if sep and colon and scope.strip():
        path, value = parse_set(text[len(scope) + 1 :])
        return scope.strip(), path, value
    return (None, *parse_set(text))


def parse_set(text: str) -> tuple[str, Any]:
    """Parse ``--set PATH=VALUE``; VALUE is JSON when it parses as JSON, else a string."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise OverrideError(MSG_SET_SYNTAX.format(text=text))
    problem = set_path_problem(path)
    if problem is not None:
        raise OverrideError(f"--set {text!r}: {problem}")
    if measured_path(path):
        raise OverrideError(MSG_SET_MEASURED.format(text=text, path=path))
    value = _json_or_text(raw)
    if path in paths_of_type("string") and isinstance(value, (bool, int, float)):
        value = raw.strip()  # "3.10" stays "3.10", not the number 3.1
    return path, value


def set_path_problem(path: str) -> str | None:
    """Why ``path`` is not a dotted path of the entry (bad syntax, unknown top-level field), or None."""
    if not _PATH_RE.match(path):
        return MSG_SET_PATH.format(path=path)
    section = path.split(".")[0]
    if section not in TOP_KEYS:
        hint = suggestion(section, TOP_KEYS)
        return MSG_SET_SECTION.format(section=section, hint=hint, known=", ".join(TOP_KEYS))
    return None


def measured_path(path: str) -> bool:
    """True when ``path`` is a measurement (``metrics`` or below): the run's outputs give it."""
    return path == "metrics" or path.startswith("metrics.")


def _json_or_text(raw: str) -> Any:
    def _refuse(token: str) -> Any:
        raise ValueError(token)

    try:
        return json.loads(raw, parse_constant=_refuse)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to be a value: the text itself
        return raw


def set_warning(path: str, label: str = "--set") -> str | None:
    """A warning when ``path`` names a non-standard key of a standard section (a likely typo)."""
    parts = path.split(".")
    for depth in range(1, len(parts)):
        section = ".".join(parts[:depth])
        known = SECTION_KEYS.get(section)
        if (
            known is not None
            and parts[depth] not in known
            and f"{section}.{parts[depth]}" not in SECTION_KEYS
        ):
            hint = suggestion(parts[depth], known)
            return MSG_SET_UNKNOWN_KEY.format(
                label=label, path=path, section=section, key=parts[depth], hint=hint
            )
    return None


def hardware_layer(name: str, doc: Any) -> tuple[tuple[str, Any], ...]:
    """Map a hardware description (vendor, chip_model, ..., environment keys) to entry paths."""
    if not isinstance(doc, Mapping):
        raise OverrideError(MSG_HW_NOT_OBJECT.format(name=name, kind=type(doc).__name__))
    pairs: list[tuple[str, Any]] = []
    for key, value in doc.items():
        if key == "environment":
            pairs.extend(_environment_pairs(name, value))
        elif key in HARDWARE_FILE_KEYS:
            pairs.append((HARDWARE_FILE_KEYS[key], value))
        else:
            known = [*HARDWARE_FILE_KEYS, "environment"]
            hint = suggestion(str(key), known)
            raise OverrideError(MSG_HW_KEY.format(name=name, key=key, hint=hint, known=", ".join(known)))
    for path, value in pairs:
        key = path.split(".")[-1]
        if path in paths_of_type("string") and isinstance(value, (bool, int, float)):
            raise OverrideError(MSG_HW_NUMBER.format(name=name, key=key, value=value))
        if not plain(value):
            raise OverrideError(MSG_HW_TYPE.format(name=name, key=key, kind=type(value).__name__))
    return tuple(pairs)


def plain(value: Any) -> bool:
    """True for values JSON can hold (YAML may also give dates, sets, ...)."""
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _environment_pairs(name: str, value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        raise OverrideError(MSG_HW_ENV.format(name=name))
    known = SECTION_KEYS["environment"]
    for key in value:
        if key not in known:
            hint = suggestion(str(key), known)
            raise OverrideError(
                MSG_HW_KEY.format(name=name, key=f"environment.{key}", hint=hint, known=", ".join(known))
            )
    return [(f"environment.{key}", child) for key, child in value.items()]
