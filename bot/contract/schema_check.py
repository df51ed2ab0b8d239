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
from bot.contract.hints import case_fix, did_you_mean
from bot.contract.rules import read_time
from bot.contract.ruletable import RULES, SCHEMA_RULE
from bot.contract.schema_errors import error_hint, error_message, is_either_required, missing_key

SCHEMA_FILE = "leaderboard_v1.schema.json"
MSG_NON_FINITE = "{value} is not a finite number: JSON has no NaN or Infinity"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# An unescaped $ (the schema's patterns end with one), for the ECMA-262 translation below.
_DOLLAR = re.compile(r"(?<!\\)\$")
_RULE_ID = re.compile(r"\bLB\d{3}\b")


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
            if error.validator in ("anyOf", "oneOf") and error.context and not is_either_required(error):
                error = best_match(error.context)
            yield self._convert(error)

    def _convert(self, error: Any) -> Hit:
        pointer: Pointer = tuple(error.path)
        keyword, value = error.validator, error.instance
        if keyword == "type" and _non_finite(value):  # the loaders refuse these: an entry built in memory
            return Hit("LB003", pointer, MSG_NON_FINITE.format(value=value))
        message, hint = error_message(error), error_hint(error)
        fix: Any = None
        has_fix = False
        if keyword == "required":
            pointer = (*pointer, missing_key(error))
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
