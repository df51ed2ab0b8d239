"""The importer's readers: JSON and hardware files read from disk with precise ``file:line:col``
messages, and entries serialized as they are written (bot.fs writes them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.contract.document import MSG_HUGE_INT
from bot.contract.loader import load_json_text, pairs_hook
from bot.contract.yaml_loader import MSG_ALIAS, MSG_MERGE, load_yaml_text
from bot.importer.model import OverrideError

MSG_UNREADABLE = "{path}: cannot read it ({reason})"
MSG_BAD_JSON = "{path}:{line}:{column}: invalid JSON: {problem}; fix the file (or re-export the run)"
MSG_BAD_YAML = "{path}:{line}:{column}: invalid YAML: {problem}; fix the hardware file"
MSG_NOT_UTF8 = "{path}: not UTF-8 text ({problem}); save it as UTF-8"
MSG_WRITE = "cannot write {target} ({reason}); nothing was written"
MSG_BAD_NUMBER = "{path}: {problem}; fix the file (or re-export the run)"
MSG_UNSAFE = (
    "{path}:{line}:{column}: {problem}; write the hardware file as plain YAML or JSON: no anchors, "
    "aliases or merge keys, at most {depth} levels deep"
)
HARDWARE_DEPTH = 32  # as a submission file's default limit: a hardware description is a few levels deep
MSG_REPEATED = (
    "{path}:{line}:{column}: {problem}; keep one of them (JSON readers silently keep the last, so which "
    "value the run meant is unclear): fix the file (or re-export the run)"
)
MSG_SURROGATE = "{path}: a text value holds a lone UTF-16 surrogate ({code}), which is not valid Unicode"


def load_hardware(path: str) -> Any:
    """Parse a --hardware file (JSON by extension, else YAML, safe loader); raises OverrideError."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        raise OverrideError(MSG_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from exc
    except UnicodeDecodeError as exc:
        raise OverrideError(MSG_NOT_UTF8.format(path=path, problem=exc.reason)) from exc
    _refuse_unsafe(path, text)
    if path.endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise OverrideError(_json_message(path, exc)) from exc
    return _load_yaml(path, text)


def _refuse_unsafe(path: str, text: str) -> None:
    """What submission files may not hold either: aliases (a few hundred bytes of them expand to
    megabytes), merge keys, and nesting deep enough to exhaust the parser's recursion. The strict loaders
    find these without expanding anything; their data is not used, as they read some YAML differently
    (a date is text to them, a date to the importer, which says "quote it"), so every other problem keeps
    the importer's own message."""
    load = load_json_text if path.endswith(".json") else load_yaml_text
    for finding in load(path, text, max_depth=HARDWARE_DEPTH).findings:
        if finding.rule == "LB002":
            line, column = finding.line or 1, finding.column or 1
            raise OverrideError(
                MSG_REPEATED.format(path=path, line=line, column=column, problem=finding.message)
            )
        if finding.rule == "LB008" or (finding.rule == "LB009" and finding.message in (MSG_ALIAS, MSG_MERGE)):
            line, column, problem = finding.line or 1, finding.column or 1, finding.message
            raise OverrideError(
                MSG_UNSAFE.format(path=path, line=line, column=column, problem=problem, depth=HARDWARE_DEPTH)
            )


def _load_yaml(path: str, text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "syntax error"
        raise OverrideError(
            MSG_BAD_YAML.format(path=path, line=line, column=column, problem=problem)
        ) from exc
    except YAMLError as exc:
        raise OverrideError(MSG_BAD_YAML.format(path=path, line=0, column=0, problem=exc)) from exc


def _json_message(path: str, exc: json.JSONDecodeError) -> str:
    return MSG_BAD_JSON.format(path=path, line=exc.lineno, column=exc.colno, problem=exc.msg)


def read_json(path: str) -> Any:
    """Parse a JSON file; raises ValueError with a ``file:line:col`` message on bad input."""
    return read_json_text(path, lambda: _read_text(path))


def read_json_text(path: str, read: Callable[[], str]) -> Any:
    """Parse the JSON text ``read()`` gives for ``path``; ValueError with a ``file:line:col`` message."""
    repeated: list[tuple[dict[str, Any], str]] = []
    try:
        text = read()
        value = json.loads(text, object_pairs_hook=pairs_hook(repeated))
    except OSError as exc:
        raise ValueError(MSG_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from exc
    except UnicodeDecodeError as exc:
        raise ValueError(MSG_NOT_UTF8.format(path=path, problem=exc.reason)) from exc
    except json.JSONDecodeError as exc:
        raise ValueError(_json_message(path, exc)) from exc
    except RecursionError as exc:
        raise ValueError(_strict_problem(path, text, "LB008", "nested too deeply")) from exc
    except ValueError as exc:  # Python refuses integers of more than 4300 digits
        raise ValueError(MSG_BAD_NUMBER.format(path=path, problem=MSG_HUGE_INT)) from exc
    if repeated:
        raise ValueError(_strict_problem(path, text, "LB002", f"the key {repeated[0][1]!r} appears twice"))
    if "\\ud" in text.lower():  # a \u escape of a surrogate code point: it may stand alone
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(MSG_SURROGATE.format(path=path, code=ascii(exc.object[exc.start]))) from exc
    return value


def _strict_problem(path: str, text: str, rule: str, fallback: str) -> str:
    """The strict loader's words and place for a problem of ``rule`` (a repeated key, too deep a nesting)."""
    found = [f for f in load_json_text(path, text, max_depth=HARDWARE_DEPTH).findings if f.rule == rule]
    if not found:
        return MSG_BAD_JSON.format(path=path, line=1, column=1, problem=fallback)
    first = found[0]
    place = {"path": path, "line": first.line or 1, "column": first.column or 1, "problem": first.message}
    return MSG_REPEATED.format(**place) if rule == "LB002" else MSG_BAD_JSON.format(**place)


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def dump_json(value: Any) -> str:
    """JSON text as written: 2-space indent, UTF-8, no NaN, trailing newline (ValueError if not)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    text.encode("utf-8")  # a lone surrogate (from a file or argv) raises UnicodeEncodeError here
    return text
