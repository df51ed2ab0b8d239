"""The page's data file beyond the entries: integers JavaScript would round, the comparable groups (the
validator's configuration key) and the characters the page shows as code points (``visible``'s)."""

from __future__ import annotations

import copy
import itertools
import json
import re
from typing import Any

from bot.contract.crosschecks import configuration_key
from bot.render.plain import visible
from bot.site.build import DATA_SCRIPT, build_site
from tests.unit.site.test_site import DATA_BLOCK, real, unpack


def payload(files: dict[str, str]) -> Any:
    """data.js's payload, still packed."""
    match = DATA_BLOCK.search(files[DATA_SCRIPT])
    assert match, "data.js is not one assignment of the payload"
    return json.loads(match.group(1))


def numbers(value: Any) -> list[int]:
    """Every integer written as a number (not inside a string) in a JSON value."""
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value] if type(value) is int else []


def test_integers_javascript_would_round_are_shipped_as_their_text() -> None:
    big = {"a": 2**53 - 1, "b": 2**53 + 1, "c": -(2**60), "d": [1, {"e": 2**64}], "f": {"g": 10**400}}
    packed = payload(build_site([big], []))
    assert unpack(packed)["single"] == [big]
    # No integer beyond 2**53 - 1 is written as a number: JavaScript would read another one.
    assert max(abs(n) for n in numbers(packed)) <= 2**53 - 1
    assert packed["strings"].count(str(2**53 + 1)) == 1
    assert str(2**53 - 1) not in packed["strings"]  # still exact as a number


def test_comparable_groups_are_the_validators_configuration_key() -> None:
    single, multi = real()
    lower = {**copy.deepcopy(single[0]), "entry_id": "lower"}
    lower["hardware"]["vendor"] = lower["hardware"]["vendor"].lower()  # folded like the validator
    quantized = {**copy.deepcopy(single[0]), "entry_id": "quantized"}
    quantized["model"]["quantization"] = "AWQ"
    entries = [*single, lower, quantized]
    packed = payload(build_site(entries, multi))
    keys = [configuration_key(e) for e in [*entries, *multi]]
    for name, width in (("setup", -2), ("contender", None)):
        ids = [*packed[name]["single"], *packed[name]["multi"]]
        assert len(ids) == len(keys)
        for i, j in itertools.combinations(range(len(keys)), 2):
            assert (ids[i] == ids[j]) == (keys[i][:width] == keys[j][:width]), (name, i, j)
    setup = packed["setup"]["single"]
    assert setup[-2] == setup[0] != setup[-1]
    # Per set-up, one id per part the page may name: the quantized copy differs in quantization only.
    fields, parts = packed["setup_fields"], packed["setup_parts"]
    assert [f for f, a, b in zip(fields, parts[setup[0]], parts[setup[-1]], strict=True) if a != b] == [
        "quantization"
    ]


def test_the_page_is_told_to_show_what_visible_shows() -> None:
    unsafe = re.compile(payload(build_site([], []))["unsafe"])
    for code in range(0x110000):
        char = chr(code)
        assert bool(unsafe.fullmatch(char)) == (visible(char) != char), hex(code)
