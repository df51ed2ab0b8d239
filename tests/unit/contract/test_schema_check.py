"""The schema itself, the fast/precise checker pair and the quality of schema messages."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.contract.rules import RFC3339, _normalized_time, read_time
from bot.contract.schema_check import EntryChecker, is_date, is_datetime, load_schema
from bot.contract.schema_errors import HINT_NUMBER, KEYWORD_HINTS
from tests.support.paths import ROOT

EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())


@pytest.fixture(scope="module")
def checker() -> EntryChecker:
    return EntryChecker()


def _props(node: Any, path: str = "$") -> list[tuple[str, Any]]:
    found = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}.{name}", sub))
            found += _props(sub, f"{path}.{name}")
    return found


def test_schema_is_draft7_and_every_property_is_described() -> None:
    schema = load_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    entry = schema["definitions"]["entry"]
    properties = _props(entry)
    assert len(properties) > 80
    undocumented = [path for path, node in properties if not node.get("description")]
    assert undocumented == []


def test_bundled_schema_is_the_published_one() -> None:
    published = json.loads((ROOT / "schemas" / "leaderboard_v1.schema.json").read_text())
    assert load_schema() == published


def test_check_jsonschema_accepts_examples_and_real_data() -> None:
    files = [
        *map(str, sorted((ROOT / "examples").glob("*.json"))),
        *map(str, sorted((ROOT / "data").glob("*.json"))),
    ]
    schema = ROOT / "schemas" / "leaderboard_v1.schema.json"
    cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *files]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_rejects_the_config_type_inconsistencies(tmp_path: Path) -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["hardware"]["chip_count"] = 2
    path = tmp_path / "e.json"
    path.write_text(json.dumps(entry))
    schema = ROOT / "schemas" / "leaderboard_v1.schema.json"
    cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(path)]
    assert subprocess.run(cmd, capture_output=True, check=False).returncode == 1


def _mutations() -> list[tuple[str, Any]]:
    def setter(section: str | None, key: str, value: Any) -> Any:
        def apply(entry: dict[str, Any]) -> None:
            (entry[section] if section else entry)[key] = value

        return apply

    return [
        ("vendor", setter("hardware", "vendor", "nvidia")),
        ("count-float", setter("hardware", "chip_count", 1.0)),
        ("count-bool", setter("hardware", "chip_count", True)),
        ("rate", setter("metrics", "error_rate", 1.0000001)),
        ("date", setter("metadata", "submitted_at", "2026-02-30T00:00:00Z")),
        ("date-naive", setter("metadata", "submitted_at", "2026-02-03T00:00:00")),
        ("date-ok", setter("metadata", "submitted_at", "2026-02-03T00:00:00.123456789+08:00")),
        ("release", setter("metadata", "release_date", "2026-02-29")),
        ("version", setter("versions", "core", "1.2")),
        ("cluster", setter(None, "cluster", {"node_count": 2})),
        ("extra", setter(None, "x-extra", {"any": [1, 2]})),
        ("id", setter(None, "entry_id", "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0")),
    ]


@pytest.mark.parametrize(("name", "mutate"), _mutations(), ids=[m[0] for m in _mutations()])
def test_fast_and_precise_paths_agree(checker: EntryChecker, name: str, mutate: Any) -> None:
    entry = copy.deepcopy(EXAMPLE)
    mutate(entry)
    fast_valid = checker.is_valid(entry)
    precise = list(checker._slow.iter_errors(entry))
    assert fast_valid == (precise == []), (name, [e.message for e in precise])


def test_enum_errors_suggest_the_right_value_and_offer_a_fix(checker: EntryChecker) -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["hardware"]["vendor"] = "Nvidia"
    entry["model"]["precision"] = "fp16"
    entry["config_type"] = "multinode"
    errors = {e.pointer: e for e in checker.check(entry)}
    assert errors[("hardware", "vendor")].hint == 'did you mean "NVIDIA"?'
    assert errors[("hardware", "vendor")].fix == "NVIDIA"
    assert errors[("model", "precision")].hint == 'did you mean "FP16"?'
    assert errors[("config_type",)].hint == 'did you mean "multi_node"?'
    assert errors[("config_type",)].has_fix is False  # a typo is a guess, not a mechanical fix


def test_if_then_errors_carry_their_rule_id(checker: EntryChecker) -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["config_type"] = "multi_node"
    rules = sorted(e.rule for e in checker.check(entry))
    assert rules == ["LB101", "LB103"]


def test_format_functions() -> None:
    assert is_datetime("2026-01-28T08:53:09.986456+00:00")
    assert is_datetime("2026-01-28T10:30:00Z")
    assert not is_datetime("2026-01-28")
    assert not is_datetime("2026-01-28T25:00:00Z")
    assert is_date("2024-02-29")
    assert not is_date("2023-02-29")
    assert not is_date("2023-2-1")


def _mutated(rng: random.Random, base: str, alphabet: str, edits: tuple[int, int]) -> str:
    """``base`` with a few characters replaced, deleted or inserted (from ``alphabet``)."""
    text = list(base)
    for _ in range(rng.randint(*edits)):
        at, roll = rng.randrange(len(text)), rng.random()
        if roll < 0.6:
            text[at] = rng.choice(alphabet)
        elif roll < 0.8:
            del text[at]
        else:
            text.insert(at, rng.choice(alphabet))
    return "".join(text)


@pytest.mark.parametrize("seed", range(3))
def test_date_time_agrees_with_jsonschema_rs_but_for_the_space_and_the_leap_second(seed: int) -> None:
    """jsonschema-rs's own date-time check (Rust, written by others) on mutated times: the two agree
    except where this one chose otherwise. It accepts a space for the T (RFC 3339 section 5.6 allows
    it); it refuses a leap second (second 60), which the datetime the rules compare cannot hold.
    An offset minute of 60 or more passed before (Python's datetime reads +05:90 as 6.5 hours)."""
    import jsonschema_rs

    theirs = jsonschema_rs.validator_for({"format": "date-time"}, validate_formats=True)
    rng = random.Random(seed)
    base = ["2026-01-28T13:54:34.123+05:30", "2024-02-29T23:59:59Z", "2026-12-31T00:00:00-23:59"][seed]
    assert is_datetime(base)
    assert not is_datetime("2026-01-28T13:54:34+05:60")
    assert theirs.is_valid("0000-01-01T00:00:00Z")  # the third difference: no datetime holds year 0
    assert not is_datetime("0000-01-01T00:00:00Z")
    for _ in range(20_000):
        value = _mutated(rng, base, "0123456789-:TZtz+. ", edits=(1, 3))
        ours, rust = is_datetime(value), theirs.is_valid(value)
        if ours != rust:
            spaced = ours and is_datetime(value[:10] + "T" + value[11:]) and value[10] == " "
            leap = rust and value[17:19] == "60"
            assert spaced or leap, value


@pytest.mark.parametrize("seed", range(3))
def test_a_time_read_as_written_means_what_the_normalized_reading_means(seed: int) -> None:
    """RFC 3339 texts are read by ``datetime.fromisoformat`` as written, others normalized first (upper
    case, Z as +00:00, the fraction cut to six digits): on mutated times, fractions of any length and
    both cases, the two readings always agree, and so does the format check."""
    rng = random.Random(seed)
    bases = ["2026-01-28T13:54:34.123456789+05:30", "2024-02-29t23:59:59.5z", "2026-12-31 00:00:00-23:59"]
    for _ in range(20_000):
        value = _mutated(rng, bases[seed], "0123456789-:TZtz+. ,W", edits=(0, 3))
        rfc3339 = RFC3339.match(value) is not None
        assert read_time(value) == (rfc3339, _normalized_time(value)), value
        assert is_datetime(value) == (rfc3339 and _normalized_time(value) is not None), value


@pytest.mark.parametrize("value", [float("nan"), float("inf")])  # -inf: jsonschema says "below the minimum"
def test_non_finite_numbers_are_named_though_jsonschema_lets_them_through(
    checker: EntryChecker, value: float
) -> None:
    """fuzz-8: jsonschema-rs refuses NaN and Infinity where a number is checked; check() says where."""
    entry = copy.deepcopy(EXAMPLE)
    entry["hardware"]["memory_per_chip_gb"] = value
    assert not checker.is_valid(entry)
    assert [e.validator for e in checker._slow.iter_errors(entry)] == ["type"]  # as jsonschema-rs reads it
    hits = [hit for hit in checker.check(entry) if hit.rule == "LB003"]
    assert [hit.pointer for hit in hits] == [("hardware", "memory_per_chip_gb")]
    assert "not a finite number" in hits[0].message


def test_type_errors_say_which_way_the_quotes_go(checker: EntryChecker) -> None:
    """A number where text belongs (YAML reads 3.10 as 3.1) needs quotes; text where a number belongs
    needs them gone, or is not a number at all ("1:01" was told to drop quotes it never had)."""
    entry = copy.deepcopy(EXAMPLE)
    entry["environment"]["python_version"] = 3.1
    entry["metrics"]["ttft_ms"] = "1:01"
    errors = {e.pointer: e for e in checker.check(entry)}
    assert errors[("environment", "python_version")].hint == (
        'write it as text in quotes, e.g. "3.11.14" (unquoted, 3.10 is the number 3.1)'
    )
    assert errors[("metrics", "ttft_ms")].hint == HINT_NUMBER


def test_a_number_where_text_belongs_is_answered_with_the_fields_own_example(checker: EntryChecker) -> None:
    """model.parameters 7000000000 was told to write "3.10"; the schema's description says "e.g. 7B"."""
    entry = copy.deepcopy(EXAMPLE)
    entry["model"]["parameters"] = 7_000_000_000
    entry["hardware"]["chip_model"] = 100  # "e.g. A100-80GB, Ascend 910B, ...": the first example
    errors = {e.pointer: e.hint for e in checker.check(entry)}
    assert errors[("model", "parameters")] == 'write it as text in quotes, e.g. "7B"'
    assert errors[("hardware", "chip_model")] == 'write it as text in quotes, e.g. "A100-80GB"'


def test_a_missing_property_beside_a_key_that_looks_like_it_says_rename(checker: EntryChecker) -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["metrics"]["ttft"] = entry["metrics"].pop("ttft_ms")
    entry["model"]["Name"] = entry["model"].pop("name")
    del entry["workload"]["input_length"]  # nothing like it: the generic hint
    errors = {e.pointer: e.hint for e in checker.check(entry)}
    assert errors[("metrics", "ttft_ms")] == 'rename "ttft" to "ttft_ms"'
    assert errors[("model", "name")] == 'rename "Name" to "name"'
    assert errors[("workload", "input_length")] == KEYWORD_HINTS["required"]
