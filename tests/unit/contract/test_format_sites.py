"""format_sites: where a schema's formats always apply, so they can be checked from Python."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from bot.contract.format_sites import format_sites, sites_hold
from bot.contract.schema_check import FORMATS, load_schema


def test_the_leaderboard_schema_checks_two_formats_at_fixed_paths() -> None:
    schema = load_schema()
    entry = {**schema["definitions"]["entry"], "definitions": schema["definitions"]}
    assert format_sites(entry, entry) == [
        (("metadata", "submitted_at"), "date-time"),
        (("metadata", "release_date"), "date"),
    ]


def test_the_sites_are_every_format_the_schema_has() -> None:
    """An independent count: every "format" keyword of the schema file is one of the sites."""
    schema = load_schema()

    def formats(node: Any) -> int:
        if isinstance(node, dict):
            return ("format" in node) + sum(formats(v) for v in node.values())
        return sum(formats(v) for v in node) if isinstance(node, list) else 0

    entry = {**schema["definitions"]["entry"], "definitions": schema["definitions"]}
    assert len(format_sites(entry, entry) or []) == formats(schema) == 2


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {"a": {"anyOf": [{"format": "date"}, {"type": "null"}]}}},
        {"properties": {"a": {"items": {"format": "date"}}}},
        {"if": {"required": ["a"]}, "then": {"properties": {"a": {"format": "date"}}}},
        {"properties": {"a": {"$ref": "#/definitions/d"}}, "oneOf": [{"$ref": "#/definitions/d"}]},
        {"properties": {"a": {"$ref": "https://example.com/remote.json"}}},
        {"properties": {"a": {"$ref": "#/definitions/loop"}}},
    ],
    ids=["anyOf", "items", "if-then", "oneOf-ref", "remote-ref", "ref-cycle"],
)
def test_a_format_that_applies_only_sometimes_falls_back(schema: dict[str, Any]) -> None:
    schema = {**schema, "definitions": {"d": {"format": "date"}, "loop": {"$ref": "#/definitions/loop"}}}
    assert format_sites(schema, schema) is None


def test_refs_and_allof_are_followed_and_data_is_not_a_subschema() -> None:
    schema = {
        "properties": {"a": {"$ref": "#/definitions/d"}, "b": {"allOf": [{"format": "date-time"}]}},
        "enum": [{"format": "not a keyword here"}],
        "definitions": {"d": {"properties": {"c": {"format": "date"}}}},
    }
    assert format_sites(schema, schema) == [(("a", "c"), "date"), (("b",), "date-time")]


@pytest.mark.parametrize(
    ("entry", "holds"),
    [
        ({"metadata": {"submitted_at": "2026-01-28T10:30:00Z", "release_date": "2026-01-27"}}, True),
        ({"metadata": {"submitted_at": "2026-02-30T00:00:00Z"}}, False),
        ({"metadata": {"release_date": "2026-02-29"}}, False),
        ({"metadata": {"release_date": None}}, True),  # not a string: the type check's business
        ({"metadata": "not an object"}, True),
        ({}, True),
    ],
)
def test_sites_hold_checks_only_values_that_exist(entry: dict[str, Any], holds: bool) -> None:
    schema = load_schema()
    definition = {**schema["definitions"]["entry"], "definitions": schema["definitions"]}
    sites = [(path, FORMATS[name]) for path, name in format_sites(definition, definition) or []]
    assert sites_hold(entry, sites) is holds
    # the same answer as jsonschema's own format checking of the schema's format keywords
    checker_formats = jsonschema.FormatChecker(formats=())
    for name, func in FORMATS.items():
        checker_formats.checks(name)(func)
    schema = {
        "properties": {
            "metadata": {
                "properties": {"submitted_at": {"format": "date-time"}, "release_date": {"format": "date"}}
            }
        }
    }
    assert jsonschema.Draft7Validator(schema, format_checker=checker_formats).is_valid(entry) is holds
