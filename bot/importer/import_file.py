"""The ``import.yaml`` beside a run directory committed in a results PR: what the run does not record.

It may give ``hardware:`` (the importer's hardware file keys), ``set:`` (dotted entry path → value),
``engine:`` and ``engine_version:``. Measurements and the submitter are not among them: the metrics
come only from the run's outputs and the submitter of a pull request is its author. Every problem
is collected with the JSON pointer of the key it concerns, so the check can place it on its line.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.contract.findings import Pointer
from bot.contract.hints import suggestion
from bot.importer.model import (
    Layer,
    OverrideError,
    hardware_layer,
    measured_path,
    plain,
    set_path_problem,
    set_warning,
)
from bot.importer.spec import paths_of_type

IMPORT_KEYS = ("hardware", "set", "engine", "engine_version")
AUTHOR_SOURCE = "pull request author"
MSG_TOP = "import.yaml must be a mapping of {known}, but its top level is {kind}"
HINT_TOP = "write one key per line, for example `set:` followed by `  model.parameters: 7B`"
MSG_KEY = "import.yaml has no key {key!r}{hint}"
HINT_KEY = "use only hardware:, set:, engine: and engine_version:"
MSG_NOT_MAPPING = "{key}: must be a mapping, but it is {kind}"
HINT_SET = "write each value as `  PATH: VALUE` under set:, for example `  model.parameters: 7B`"
HINT_HARDWARE = "write the hardware keys under hardware:, for example `  vendor: NVIDIA`"
MSG_TEXT = "{key}: must be text, but it is {kind}"
HINT_TEXT = 'quote it, for example {key}: "0.5.4"'
MSG_SCOPED = "set: {path!r} names a workload; import.yaml applies to every workload of the run"
HINT_SCOPED = "commit each workload that needs its own value as a run directory of its own"
MSG_MEASURED = "set: {path} is a measurement; measurements come only from the run's outputs"
HINT_MEASURED = "remove it from import.yaml; re-run the benchmark if the measured value is wrong"
MSG_SUBMITTER = "set: metadata.submitter cannot be set; the submitter of a pull request is its author"
HINT_SUBMITTER = "remove it from import.yaml"
MSG_NUMBER = "set: {path} is the number {value!r} but must be text"
HINT_NUMBER = 'quote it, for example {path}: "3.10" (YAML reads 3.10 as the number 3.1)'
MSG_VALUE = "set: {path} is a YAML {kind}, which JSON cannot hold"
HINT_VALUE = "quote it, or write a number, text, true/false, null, a list or a mapping"
HINT_UNKNOWN_FIELD = "check the spelling against docs/FIELD_SPECIFICATION.md"
HINT_BAD_PATH = "write a dotted path of the entry, for example hardware.chip_model"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in import.yaml: where, what, how to fix it."""

    pointer: Pointer
    message: str
    hint: str
    severity: str = "error"


@dataclass
class ImportFile:
    """The override layers import.yaml gives (lowest priority first) and its problems."""

    layers: list[Layer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing in the file is an error (warnings may remain)."""
        return not any(p.severity == "error" for p in self.problems)


def read_import_file(name: str, data: Any, author: str) -> ImportFile:
    """Check a parsed import.yaml (None: there is none) and build the layers, the author's last."""
    result = ImportFile()
    if data is not None and not isinstance(data, Mapping):
        result.problems.append(
            Problem((), MSG_TOP.format(known=", ".join(IMPORT_KEYS), kind=_kind(data)), HINT_TOP)
        )
        data = None
    data = data or {}
    for key in data:
        if key not in IMPORT_KEYS:
            hint = suggestion(str(key), IMPORT_KEYS)
            result.problems.append(Problem((str(key),), MSG_KEY.format(key=key, hint=hint), HINT_KEY))
    _hardware(name, data, result)
    pairs = _engine(data, result) + _set(data.get("set"), result)
    result.layers.append(Layer(name, tuple(pairs)))
    # Last, so it wins over anything above: the PR's author is who submits its entries.
    result.layers.append(Layer(AUTHOR_SOURCE, (("metadata.submitter", author),)))
    return result


def _hardware(name: str, data: Mapping[str, Any], result: ImportFile) -> None:
    if "hardware" not in data:
        return
    doc = data["hardware"]
    if not isinstance(doc, Mapping):
        message = MSG_NOT_MAPPING.format(key="hardware", kind=_kind(doc))
        result.problems.append(Problem(("hardware",), message, HINT_HARDWARE))
        return
    try:
        result.layers.append(Layer(f"{name} hardware", hardware_layer(name, doc)))
    except OverrideError as exc:
        result.problems.append(Problem(("hardware",), str(exc), HINT_HARDWARE))


def _engine(data: Mapping[str, Any], result: ImportFile) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for key in ("engine", "engine_version"):
        if key not in data:
            continue
        if isinstance(data[key], str):
            pairs.append((key, data[key]))
        else:
            message = MSG_TEXT.format(key=key, kind=_kind(data[key]))
            result.problems.append(Problem((key,), message, HINT_TEXT.format(key=key)))
    return pairs


def _set(doc: Any, result: ImportFile) -> list[tuple[str, Any]]:
    if doc is None:
        return []
    if not isinstance(doc, Mapping):
        message = MSG_NOT_MAPPING.format(key="set", kind=_kind(doc))
        result.problems.append(Problem(("set",), message, HINT_SET))
        return []
    pairs: list[tuple[str, Any]] = []
    for key, value in doc.items():
        path = str(key)
        problem = _set_problem(path, value)
        if problem is None:
            pairs.append((path, value))
            warning = set_warning(path, label="set:")
            problem = Problem(("set", path), warning, HINT_UNKNOWN_FIELD, "warning") if warning else None
        if problem is not None:
            result.problems.append(problem)
    return pairs


def _set_problem(path: str, value: Any) -> Problem | None:
    """Why ``set: {path: value}`` cannot be used, or None."""
    pointer: Pointer = ("set", path)
    if ":" in path:
        return Problem(pointer, MSG_SCOPED.format(path=path), HINT_SCOPED)
    bad_path = set_path_problem(path)
    if bad_path:
        return Problem(pointer, f"set: {bad_path}", HINT_BAD_PATH)
    if measured_path(path):
        return Problem(pointer, MSG_MEASURED.format(path=path), HINT_MEASURED)
    names_submitter = path == "metadata" and isinstance(value, Mapping) and "submitter" in value
    if path == "metadata.submitter" or names_submitter:
        return Problem(pointer, MSG_SUBMITTER, HINT_SUBMITTER)
    if path in paths_of_type("string") and isinstance(value, (bool, int, float)):
        return Problem(pointer, MSG_NUMBER.format(path=path, value=value), HINT_NUMBER.format(path=path))
    if not plain(value):
        return Problem(pointer, MSG_VALUE.format(path=path, kind=_kind(value)), HINT_VALUE)
    return None


def _kind(value: Any) -> str:
    """How YAML calls a value's type, for messages."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__
