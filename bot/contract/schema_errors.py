"""What a schema error says and how to fix it: jsonschema's errors in the report's own words, with a
hint chosen by the field, by a misspelt key beside a missing one, by the quotes, then by the keyword."""

from __future__ import annotations

import re
from typing import Any

from bot.contract.hints import did_you_mean, show

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


def is_either_required(error: Any) -> bool:
    """Whether an anyOf error means "one of these properties is required" (reported as one error)."""
    return all(sub.validator == "required" for sub in error.context)


def missing_key(error: Any) -> str:
    """The property a ``required`` error is about (the one its message names)."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    missing = [key for key in error.validator_value if key not in instance]
    for key in missing:
        if repr(key) in error.message:
            return str(key)
    return str(missing[0]) if missing else ""


def error_message(error: Any) -> str:
    """A jsonschema error in the report's words: what is wrong with the value, without the schema."""
    keyword, value, expected = error.validator, error.instance, error.validator_value
    if keyword == "required":
        return f"missing required property {show(missing_key(error))}"
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
    if keyword == "anyOf" and is_either_required(error):
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
HINT_TEXT = "write it as text in quotes, e.g. {example}"
EXAMPLE_TEXT = '"3.10"'
NOTE_FLOAT = " (unquoted, 3.10 is the number 3.1)"  # what YAML does to a version written bare
HINT_RENAME = 'rename "{typed}" to "{key}"'
# The first example a field's description gives ("Parameter count as text, e.g. 7B, 70B, 350M ...").
_EXAMPLE = re.compile(r"\be\.g\. (.+?)(?:, | or | \(|\.?$)")


def _type_hint(value: Any, expected: Any, description: str) -> str | None:
    """Which way the quotes go: text where a number belongs, or a number where text belongs; for text,
    the field's own example (7000000000 for model.parameters: "7B" says what is meant)."""
    kinds = expected if isinstance(expected, list) else [expected]
    if isinstance(value, str) and any(kind in NUMBERS for kind in kinds):
        return HINT_NUMBER
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in kinds:
        found = _EXAMPLE.search(description.strip())
        example = f'"{found.group(1)}"' if found else EXAMPLE_TEXT
        return HINT_TEXT.format(example=example) + (NOTE_FLOAT if isinstance(value, float) else "")
    return None


def _misspelt(error: Any, missing: str) -> str | None:
    """A key of the object that the schema does not know and that looks like the missing one."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    strays = [key for key in instance if isinstance(key, str) and key not in known]
    return did_you_mean(missing, strays) if strays else None


def error_hint(error: Any) -> str:
    """How to fix a jsonschema error: by the field's name, a misspelt key, the quotes, then the keyword."""
    names = [key for key in error.path if isinstance(key, str)]
    if error.validator == "required":
        names.append(missing_key(error))
        typed = _misspelt(error, names[-1])
        if typed is not None:  # "ttft" beside a missing "ttft_ms"
            return HINT_RENAME.format(typed=typed, key=names[-1])
    if names and names[-1] in FIELD_HINTS:
        return FIELD_HINTS[names[-1]]
    if error.validator == "pattern" and "N/A" in str(error.validator_value):
        return VERSION_HINT
    if error.validator == "pattern" and len(names) >= 2 and names[-2] == "versions":
        return VERSION_HINT
    description = str(error.schema.get("description", "")) if isinstance(error.schema, dict) else ""
    if error.validator == "type" and (hint := _type_hint(error.instance, error.validator_value, description)):
        return hint
    return KEYWORD_HINTS.get(error.validator, "see docs/FIELD_SPECIFICATION.md")
