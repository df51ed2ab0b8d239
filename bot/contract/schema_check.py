"""Schema checking: a compiled fast path for valid entries, a precise path for invalid ones.

jsonschema-rs (Rust) answers "valid?" for an entry in about 15 µs; only entries that fail are run
through jsonschema, which lists every error with its path and context for best-match reporting.
Both use the same format functions, and the same (ECMA-262) meaning of ``pattern``, so they agree
on what is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from bot.contract import bundled_text
from bot.contract.findings import Hit, Pointer
from bot.contract.format_sites import FormatCheck, format_sites, sites_hold
from bot.contract.hints import case_fix, did_you_mean, show
from bot.contract.rules import read_time
from bot.contract.ruletable import RULES, SCHEMA_RULE

SCHEMA_FILE = "leaderboard_v1.schema.json"
MSG_NON_FINITE = "{value} is not a finite number: JSON has no NaN or Infinity"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# An unescaped $ (the schema's patterns end with one), for the ECMA-262 translation below.
_DOLLAR = re.compile(r"(?<!\\)\$")
_RULE_ID = re.compile(r"\bLB\d{3}\b")

# Hints for schema errors, by property name, then by keyword.
FIELD_HINTS = {
    "entry_id": 'use a lowercase UUID: python -c "import uuid; print(uuid.uuid4())"',
    "sagellm_version": "use the release number X.Y.Z or X.Y.Z.W, e.g. 0.5.4.14",
    "submitted_at": "use an RFC 3339 time with a zone, e.g. 2026-01-28T10:30:00Z",
    "release_date": "use YYYY-MM-DD, e.g. 2026-01-27",
    "error_rate": "ratios are 0.0–1.0, not percentages (15 % is 0.15)",
    "prefix_hit_rate": "ratios are 0.0–1.0, not percentages (15 % is 0.15)",
    "spec_accept_rate": "ratios are 0.0–1.0, not percentages; null without speculative decoding",
    "peak_mem_mb": "peak memory is a whole number of MB",
    "cluster": 'single-node entries have "cluster": null; multi_node entries a cluster object',
}
VERSION_HINT = "use X.Y.Z or X.Y.Z.W, or N/A when the component is not installed"
KEYWORD_HINTS = {
    "required": "add the missing property (see docs/FIELD_SPECIFICATION.md)",
    "type": "write the value with the documented type (numbers without quotes, null without quotes)",
    "minimum": "the value is below the allowed minimum",
    "anyOf": "see docs/FIELD_SPECIFICATION.md for the accepted shapes",
}


def is_datetime(value: object) -> bool:
    """RFC 3339 date-time with a zone (what JSON Schema's date-time format means)."""
    if not isinstance(value, str):
        return True
    rfc3339, when = read_time(value)
    return rfc3339 and when is not None


def is_date(value: object) -> bool:
    """A full date YYYY-MM-DD."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.match(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


# The formats the schema uses, for both paths (any other format name is not checked by either).
FORMATS: dict[str, Callable[[object], bool]] = {"date-time": is_datetime, "date": is_date}


@cache
def load_schema() -> dict[str, Any]:
    """The bundled v1 schema."""
    schema: dict[str, Any] = json.loads(bundled_text(f"schemas/{SCHEMA_FILE}"))
    return schema


class EntryChecker:
    """Checks single entries against the entry definition of the schema."""

    def __init__(self, schema: dict[str, Any] | None = None) -> None:
        self.schema = schema or load_schema()
        self._entry = _entry_definition(self.schema)
        # Every check of a submission builds a checker: the bundled schema's is compiled once.
        self._fast, self._sites = _compiled(self._entry) if schema is not None else _bundled()
        self._precise: Any = None  # built (and jsonschema imported) for the first invalid entry only

    def check(self, entry: Any) -> list[Hit]:
        """All schema errors of one entry (empty when valid)."""
        if self.is_valid(entry):
            return []
        return sorted(self._explain(entry), key=lambda e: [str(k) for k in e.pointer])

    def is_valid(self, entry: Any) -> bool:
        """The fast path's answer: jsonschema-rs, then the format functions where formats apply."""
        return bool(self._fast.is_valid(entry)) and sites_hold(entry, self._sites)

    @property
    def _slow(self) -> Any:
        """jsonschema's validator, which lists every error with its path (about 60 ms to import)."""
        if self._precise is None:
            import jsonschema

            checker = jsonschema.FormatChecker(formats=())
            for name, holds in FORMATS.items():
                checker.checks(name)(holds)
            self._precise = _precise_validator()(self._entry, format_checker=checker)
        return self._precise

    def _explain(self, entry: Any) -> Iterator[Hit]:
        from jsonschema.exceptions import best_match

        for error in self._slow.iter_errors(entry):
            if error.validator in ("anyOf", "oneOf") and error.context and not _is_either_required(error):
                error = best_match(error.context)
            yield self._convert(error)

    def _convert(self, error: Any) -> Hit:
        pointer: Pointer = tuple(error.path)
        keyword, value = error.validator, error.instance
        if keyword == "type" and _non_finite(value):  # the loaders refuse these: an entry built in memory
            return Hit("LB003", pointer, MSG_NON_FINITE.format(value=value))
        message, hint = _message(error), _hint(error)
        fix: Any = None
        has_fix = False
        if keyword == "required":
            pointer = (*pointer, _missing_key(error))
        elif keyword == "enum":
            fix = case_fix(value, error.validator_value)
            has_fix = fix is not None
            guess = did_you_mean(value, error.validator_value)
            if guess is not None:
                hint = f'did you mean "{guess}"?'
        rule = self._rule_of(error.absolute_schema_path)
        if rule != SCHEMA_RULE:
            message = f"{message} ({RULES[rule].title})"
            hint = RULES[rule].hint
        return Hit(rule, pointer, message, hint, fix, has_fix)

    def _rule_of(self, schema_path: Any) -> str:
        """The LB rule an if/then branch of the schema stands for, from its $comment."""
        node: Any = self._entry
        found = SCHEMA_RULE
        for key in schema_path:
            if isinstance(node, dict):
                match = _RULE_ID.search(str(node.get("$comment", "")))
                found = match.group(0) if match else found
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        return found


def _non_finite(value: Any) -> bool:
    return type(value) is float and not math.isfinite(value)


def _finite_number(checker: Any, instance: Any) -> bool:
    """JSON Schema's "number" without NaN and Infinity, as jsonschema-rs reads it (JSON has neither);
    jsonschema alone lets them through every numeric keyword, so the two paths disagreed (fuzz-8)."""
    import jsonschema

    return bool(jsonschema.Draft7Validator.TYPE_CHECKER.is_type(instance, "number")) and not _non_finite(
        instance
    )


def _compiled(entry: dict[str, Any]) -> tuple[Any, list[FormatCheck]]:
    """jsonschema-rs's validator of the entry definition, and the format checks left to Python."""
    import jsonschema_rs

    sites = format_sites(entry, entry)
    if sites is None:  # a format that applies only sometimes: jsonschema-rs calls the functions
        return jsonschema_rs.Draft7Validator(entry, formats=FORMATS, validate_formats=True), []
    # called here, where they apply: a call back from Rust costs more than the check
    fast = jsonschema_rs.Draft7Validator(entry, validate_formats=False)
    return fast, [(path, FORMATS[name]) for path, name in sites if name in FORMATS]


def _entry_definition(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema's entry definition, with the definitions its $refs point into."""
    return {**schema["definitions"]["entry"], "definitions": schema["definitions"]}


@cache
def _bundled() -> tuple[Any, list[FormatCheck]]:
    return _compiled(_entry_definition(load_schema()))


@cache
def _precise_validator() -> Any:
    """jsonschema's Draft 7 validator with jsonschema-rs's ECMA-262 ``pattern`` and finite "number"."""
    import jsonschema

    base = jsonschema.Draft7Validator
    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        base, {"pattern": _ecma_pattern}, type_checker=base.TYPE_CHECKER.redefine("number", _finite_number)
    )


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern as a Python regex, as far as this schema's patterns need:
    ``\\d`` is ASCII only and ``$`` is the end of the text (in Python it also matches before a final
    newline, and ``\\d`` matches any Unicode digit), which is what jsonschema-rs implements."""
    return re.compile(_DOLLAR.sub(r"\\Z", pattern), re.ASCII)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The ``pattern`` keyword with ECMA-262 semantics (replaces jsonschema's ``re.search``)."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_either_required(error: Any) -> bool:
    return all(sub.validator == "required" for sub in error.context)


def _missing_key(error: Any) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    missing = [key for key in error.validator_value if key not in instance]
    for key in missing:
        if repr(key) in error.message:
            return str(key)
    return str(missing[0]) if missing else ""


def _message(error: Any) -> str:
    keyword, value, expected = error.validator, error.instance, error.validator_value
    if keyword == "required":
        return f"missing required property {show(_missing_key(error))}"
    if keyword == "type":
        kinds = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{_kind_of(value)} is not of type {kinds}"
    if keyword == "enum":
        return f"{show(value)} is not one of {', '.join(show(v) for v in expected)}"
    if keyword == "const":
        return f"{show(value)} should be {show(expected)}"
    if keyword in ("minimum", "maximum"):
        relation = "less than the minimum" if keyword == "minimum" else "greater than the maximum"
        return f"{show(value)} is {relation} of {expected}"
    if keyword == "pattern":
        return f"{show(value)} does not have the expected format"
    if keyword == "format":
        return f"{show(value)} is not a valid {expected}"
    if keyword == "minLength":
        return "must not be empty"
    if keyword == "anyOf" and _is_either_required(error):
        names = [str(sub.validator_value[0]) for sub in error.context]
        return f"needs one of {', '.join(names)}"
    return f"{show(value)}: {error.message}"


def _kind_of(value: Any) -> str:
    """Containers are named, not dumped, in type errors."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return show(value)


NUMBERS = ("number", "integer")
HINT_NUMBER = "write a plain number: digits only, no quotes and no units"
HINT_TEXT = 'write it as text in quotes, e.g. "3.10" (unquoted, 3.10 is the number 3.1)'


def _type_hint(value: Any, expected: Any) -> str | None:
    """Which way the quotes go: text where a number belongs, or a number where text belongs."""
    kinds = expected if isinstance(expected, list) else [expected]
    if isinstance(value, str) and any(kind in NUMBERS for kind in kinds):
        return HINT_NUMBER
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in kinds:
        return HINT_TEXT  # YAML read 3.10 as the number 3.1: only quotes keep it as written
    return None


def _hint(error: Any) -> str:
    names = [key for key in error.path if isinstance(key, str)]
    if error.validator == "required":
        names.append(_missing_key(error))
    if names and names[-1] in FIELD_HINTS:
        return FIELD_HINTS[names[-1]]
    if error.validator == "pattern" and "N/A" in str(error.validator_value):
        return VERSION_HINT
    if error.validator == "pattern" and len(names) >= 2 and names[-2] == "versions":
        return VERSION_HINT
    if error.validator == "type" and (hint := _type_hint(error.instance, error.validator_value)):
        return hint
    return KEYWORD_HINTS.get(error.validator, "see docs/FIELD_SPECIFICATION.md")
