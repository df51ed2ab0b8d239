"""Hypothesis strategies for leaderboard entries, used by ``tests/acceptance/test_fuzz.py``.

* ``valid_entries()`` builds entries from the v1 schema *and* the semantic rules, so that "valid"
  means no error finding at all: the deployment shape (single_gpu: one chip, no cluster, interconnect
  "None"; multi_gpu: two chips or more on one node; multi_node: a cluster of two nodes or more with
  chips_per_node x node_count = chip_count, TP x PP x DP = chip_count and a real versions.comm), the
  vendor's toolkit version (CUDA for NVIDIA, CANN for Huawei, never the other one), positive
  latencies and throughput, error_rate below 1, submitted_at in the past, git_commit a 40-hex SHA or
  null. Free text is hostile on purpose (HTML, Markdown, mentions, astral characters, other scripts)
  and numbers reach the boundaries the schema allows (subnormal floats, 1e308, integers with
  thousands of digits). Invisible and bidi control characters, and names mixing scripts, are LB113
  errors: a valid entry has them replaced by "x" (mutants and damaged documents keep them).
* ``mutated_entries()`` breaks valid entries: removed keys, swapped types, boundary and hostile
  values, nested extra properties, values taken from the schema's own enums and patterns.
* ``json_documents()`` / ``yaml_documents()`` turn entries or arrays of entries into file bytes,
  optionally damaged at the text level (NaN/Infinity tokens, overflowing numbers, duplicate keys,
  truncation, byte order marks, invalid UTF-8, unpaired surrogate escapes, deep nesting, YAML
  aliases, tags and extra documents).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import random
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from hypothesis import strategies as st

from bot.contract.lookalikes import FREE_TEXT, HIDDEN, HIDDEN_IN_FREE_TEXT, first_mixed_letter, script_of
from bot.contract.schema_check import load_schema
from tests.support.paths import ROOT

Entry = dict[str, Any]
Pointer = tuple[str | int, ...]

CONFIG_TYPES = ("single_gpu", "multi_gpu", "multi_node")
VENDORS = ("Intel", "AMD", "NVIDIA", "Huawei", "Unknown", "Other")
PRECISIONS = ("FP32", "FP16", "BF16", "INT8", "INT4", "FP8")
HUGE_INT = 10**400  # valid where the schema says "number"/"integer": JSON has no size limit
HUGEST_INT = 10**4299  # 4,300 digits: the longest integer the loader accepts

# Text that has broken or abused Markdown/HTML renderers, terminals and parsers.
HOSTILE_SNIPPETS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='https://evil.example'>x</a>",
    "</td></tr></table>",
    "<details open>",
    "<!--",
    "-->",
    "|",
    "||",
    "\\|",
    "\\",
    "`",
    "```",
    "~~~",
    "**",
    "_",
    "*x*",
    "[link](https://evil.example)",
    "![img](https://evil.example/x.png)",
    "https://evil.example/path",
    "http://evil.example",
    "ftp://evil.example",
    "www.evil.example",
    "user@example.com",
    "mailto:user@example.com",
    "@octocat",
    "@org/team",
    "#1",
    "#123",
    "GH-12",
    "owner/repo#7",
    "&lt;b&gt;",
    "&#60;script&#62;",
    "&amp;",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\ufeff",  # zero-width no-break space / BOM
    "\u2028",  # line separator
    "\u0085",  # next line
    "\U0001f600",
    "\U00010348",
    "\U0001d54f",
    "\U000e0041",  # tag character
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e308",
    "null",
    "true",
    "None",
    "N/A",
    "::error::x",
    "${{ secrets.TOKEN }}",
    "$(rm -rf /)",
    "> quote",
    "- item",
    "1. item",
    "# heading",
    "---",
    "=== ",
    "<<",
    "&a",
    "*a",
    "!!python/object",
    "'\"",
)

# Realistic values, so that hostile text is mixed with what entries usually hold.
PLAIN_TEXT = ("x", "Qwen2-7B", "A100-80GB", "Ascend 910B", "Ubuntu 22.04", "3.11.9", "vllm", "NCCL", "Ring")
# Single characters that renderers, terminals and parsers treat specially, and a few from other
# scripts and planes (combining marks, CJK, Arabic, astral).
SPECIAL_CHARS = tuple(
    "\u0301\u00a0\u3000\u4e2d\u0627\u05d0\u2029\x7f\x85\u00ad\u034f\u180e\ufffd\ufffe"
    "\U0010fffd\U0001f468\u200d\U0001f469\U0001f3fb<>&\"'|`*_~[]()#@!\\:/=+-.%$"
)
_SAFE_CHARS = st.characters(exclude_categories=("Cs",))  # any code point but surrogates


def _text_pool(size: int = 3000, seed: int = 7) -> tuple[str, ...]:
    """A fixed, seeded pool of hostile strings: snippets and special characters mixed, random
    code points from every plane (surrogates excluded). Drawing from it costs one choice, which
    keeps entries (with dozens of text fields) cheap to generate; ``hostile_text`` still mixes in
    text that Hypothesis generates itself."""
    rng = random.Random(seed)
    pieces = HOSTILE_SNIPPETS + SPECIAL_CHARS + PLAIN_TEXT
    pool: list[str] = ["", *PLAIN_TEXT, *HOSTILE_SNIPPETS]
    while len(pool) < size:
        parts = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.7:
                parts.append(rng.choice(pieces))
            else:
                code = rng.choice(
                    [rng.randint(0x20, 0x7E), rng.randint(0, 0xFFFF), rng.randint(0x10000, 0x10FFFF)]
                )
                parts.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd")
        pool.append("".join(parts))
    return tuple(pool)


TEXT_POOL = _text_pool()


@cache
def hostile_text(min_size: int = 0) -> st.SearchStrategy[str]:
    """Free text: realistic values, hostile snippets and random (surrogate-free) Unicode, mostly
    from the pool (one choice), sometimes generated by Hypothesis character by character."""
    pool = [text for text in TEXT_POOL if len(text) >= min_size]
    generated = st.text(_SAFE_CHARS, min_size=min_size, max_size=6)
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), st.sampled_from(pool), generated)


_LONG_RNG = random.Random(11)
LONG_POOL = tuple("".join(_LONG_RNG.choices(TEXT_POOL, k=_LONG_RNG.randint(20, 80))) for _ in range(300))


@cache
def long_text() -> st.SearchStrategy[str]:
    """Text of a few hundred characters (for the length limits of the summary), one choice."""
    return st.sampled_from(LONG_POOL)


@cache
def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Arbitrary JSON-representable values (finite numbers, hostile text, nested containers)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([HUGE_INT, -HUGE_INT, 2**63, 2**64, -(2**63) - 1, 1e308, 5e-324, -0.0]),
        hostile_text(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(hostile_text(), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


# ---------------------------------------------------------------------------------------- numbers

_FINITE = {"allow_nan": False, "allow_infinity": False}


@cache
def positive_numbers() -> st.SearchStrategy[int | float]:
    """Numbers > 0, as JSON can write them: floats down to subnormals, integers up to 4,300 digits."""
    return st.one_of(
        st.floats(min_value=0, exclude_min=True, **_FINITE),
        st.floats(min_value=0.001, max_value=1e6, **_FINITE),
        st.integers(min_value=1, max_value=10**9),
        st.sampled_from([5e-324, 1e-300, 1, 1.0, 0.5, 1e308, 2**53 + 1, 2**63, 2**64, HUGE_INT, HUGEST_INT]),
    )


@cache
def non_negative_numbers() -> st.SearchStrategy[int | float]:
    """Numbers >= 0, including both zeros."""
    return st.one_of(positive_numbers(), st.sampled_from([0, 0.0, -0.0]))


@cache
def non_negative_ints() -> st.SearchStrategy[int]:
    """Integers >= 0, up to integers beyond any machine word."""
    return st.one_of(
        st.integers(min_value=0, max_value=2**40), st.sampled_from([0, 2**63 - 1, 2**63, 2**64, HUGE_INT])
    )


@cache
def positive_ints(maximum: int = 10**6) -> st.SearchStrategy[int]:
    """Integers >= 1."""
    return st.one_of(
        st.integers(min_value=1, max_value=maximum), st.sampled_from([1, 2**31, 2**63, HUGE_INT])
    )


@cache
def ratios(below_one: bool = False) -> st.SearchStrategy[int | float]:
    """Ratios 0.0-1.0 (or below 1 when ``below_one``)."""
    bounds = [0, 0.0, -0.0, 5e-324, 0.5, 0.999999]
    if not below_one:
        bounds += [1, 1.0]
    return st.one_of(
        st.floats(min_value=0, max_value=1, exclude_max=below_one, **_FINITE), st.sampled_from(bounds)
    )


# ---------------------------------------------------------------------------------- formatted text


@cache
def entry_ids() -> st.SearchStrategy[str]:
    """Lowercase UUIDs, as the schema's pattern requires."""
    return st.uuids().map(str)


@cache
def versions() -> st.SearchStrategy[str]:
    """Release numbers X.Y.Z or X.Y.Z.W (common ones, or generated)."""
    part = st.integers(min_value=0, max_value=10**4).map(str)
    generated = st.tuples(part, part, part, st.none() | part).map(
        lambda p: ".".join(x for x in p if x is not None)
    )
    common = st.sampled_from(["0.5.4.14", "0.5.2.11", "1.0.0", "0.0.0", "10.20.30.40", "007.08.9"])
    return st.one_of(common, generated)


@cache
def versions_or_na() -> st.SearchStrategy[str]:
    """Release numbers or N/A."""
    return st.one_of(versions(), st.just("N/A"))


_EPOCH = dt.datetime(1970, 1, 2)
_ZONES = ("Z", "z", "+00:00", "-00:00", "+05:30", "-12:00", "+13:45", "+14:00", "-09:30")


@cache
def past_times() -> st.SearchStrategy[str]:
    """RFC 3339 date-times with a zone, all before 2026 (so never in the future)."""
    seconds = st.integers(0, int((dt.datetime(2025, 12, 30) - _EPOCH).total_seconds()))
    return st.builds(
        lambda offset, sep, frac, zone: (
            (_EPOCH + dt.timedelta(seconds=offset)).strftime(f"%Y-%m-%d{sep}%H:%M:%S") + frac + zone
        ),
        seconds,
        st.sampled_from("Tt "),
        st.sampled_from(["", ".5", ".000", ".123456", ".123456789"]),
        st.sampled_from(_ZONES),
    )


@cache
def dates() -> st.SearchStrategy[str]:
    """Full dates YYYY-MM-DD."""
    return st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2099, 12, 31)).map(dt.date.isoformat)


@cache
def shas() -> st.SearchStrategy[str]:
    """40-hex commit SHAs."""
    return st.text("0123456789abcdef", min_size=40, max_size=40)


@cache
def nullable(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value or null."""
    return st.one_of(st.none(), strategy)


@cache
def extra_properties() -> st.SearchStrategy[dict[str, Any]]:
    """Unknown properties (every object of the schema allows them), with nested values."""
    keys = hostile_text().map(lambda k: f"x_{k}")
    return st.dictionaries(keys, json_values(), max_size=2)


# ---------------------------------------------------------------------------------- valid entries


def _with_optional(
    draw: st.DrawFn, required: dict[str, Any], optional: dict[str, st.SearchStrategy[Any]]
) -> dict[str, Any]:
    """``required`` plus a random subset of the optional properties and maybe extra properties."""
    result = dict(required)
    present = draw(st.integers(0, 2 ** len(optional) - 1))  # one choice for all of them: cheaper to draw
    for bit, (key, strategy) in enumerate(optional.items()):
        if present >> bit & 1:
            result[key] = draw(strategy)
    if draw(st.integers(0, 4)) == 0:
        result.update(draw(extra_properties()))
    return result


def _product(per_chip: float, chips: int) -> float | None:
    """memory_per_chip_gb x chip_count, or None when JSON cannot write it (inf, > 4,300 digits)."""
    try:
        total = per_chip * chips
    except OverflowError:
        return None
    if isinstance(total, float) and not math.isfinite(total):
        return None
    return None if isinstance(total, int) and total >= HUGEST_INT else total


def _divisors(number: int) -> list[int]:
    """Every divisor of ``number``."""
    return [d for d in range(1, number + 1) if number % d == 0]


@st.composite
def _shape(draw: st.DrawFn, config_type: str) -> tuple[dict[str, Any], Any, bool]:
    """(hardware counts and interconnect, cluster, whether a cluster key is written) of a shape."""
    hardware: dict[str, Any] = {}
    if config_type == "multi_node":
        per_node = draw(st.integers(1, 16))
        nodes = draw(st.integers(2, 8))
        chips = per_node * nodes
        hardware.update(chip_count=chips, interconnect=draw(_links()), chips_per_node=per_node)
        parallelism: Any = None
        choice = draw(st.integers(0, 3))
        if choice == 1:
            tp = draw(st.sampled_from(_divisors(chips)))
            pp = draw(st.sampled_from(_divisors(chips // tp)))
            parallelism = {"tensor_parallel": tp, "pipeline_parallel": pp, "data_parallel": chips // tp // pp}
        elif choice == 2:  # a degree left open: the product is not checked
            parallelism = {"tensor_parallel": draw(positive_ints(64)), "pipeline_parallel": None}
        cluster = _with_optional(
            draw,
            {
                "node_count": nodes,
                "comm_backend": draw(hostile_text()),
                "topology_type": draw(hostile_text()),
            },
            {
                "inter_node_network": nullable(hostile_text()),
                "network_bandwidth_gbps": nullable(non_negative_ints()),
                "parallelism": st.just(parallelism),
            },
        )
        return hardware, cluster, True
    if config_type == "single_gpu":
        hardware.update(chip_count=1, interconnect="None")
    else:
        chips = draw(st.one_of(st.integers(2, 64), st.sampled_from([2**31, 2**63, HUGE_INT])))
        hardware.update(chip_count=chips, interconnect=draw(_links()))
    if draw(st.booleans()):
        hardware["chips_per_node"] = draw(st.sampled_from([None, hardware["chip_count"]]))
    return hardware, None, draw(st.booleans())


@cache
def _links() -> st.SearchStrategy[str]:
    """Interconnects between chips: anything but "None"."""
    known = st.sampled_from(["PCIe", "NVLink", "HCCS", "InfiniBand", "RoCE", "CXL"])
    return st.one_of(known, hostile_text()).filter(lambda s: s != "None")


@st.composite
def _environment(draw: st.DrawFn, vendor: str) -> dict[str, Any]:
    """The software environment; the vendor decides which toolkit version is set."""
    env = _with_optional(
        draw,
        {"os": draw(hostile_text()), "python_version": draw(hostile_text())},
        {"pytorch_version": nullable(hostile_text()), "driver_version": nullable(hostile_text())},
    )
    own = {"NVIDIA": "cuda_version", "Huawei": "cann_version"}.get(vendor)
    for field in ("cuda_version", "cann_version"):
        if field == own:
            env[field] = draw(hostile_text(min_size=1))
        elif own is not None:  # the other vendor's toolkit: absent, null or empty
            choice = draw(st.sampled_from(["absent", None, ""]))
            if choice != "absent":
                env[field] = choice
        elif draw(st.booleans()):
            env[field] = draw(nullable(hostile_text()))
    return env


@st.composite
def valid_entries(draw: st.DrawFn, config_type: str | None = None) -> Entry:
    """An entry that passes the schema and raises no error-level rule (warnings are allowed)."""
    kind = config_type or draw(st.sampled_from(CONFIG_TYPES))
    vendor = draw(st.sampled_from(VENDORS))
    shape, cluster, has_cluster = draw(_shape(kind))
    hardware = _with_optional(
        draw,
        {"vendor": vendor, "chip_model": draw(hostile_text(min_size=1)), **shape},
        {"intra_node_interconnect": nullable(hostile_text())},
    )
    if draw(st.booleans()):
        per_chip = draw(non_negative_numbers())
        hardware["memory_per_chip_gb"] = per_chip
        hardware["total_memory_gb"] = draw(
            st.sampled_from([_product(per_chip, hardware["chip_count"]), None])
        )
    model = _with_optional(
        draw,
        {
            "name": draw(st.one_of(hostile_text(min_size=1), hostile_text(min_size=1), long_text())),
            "parameters": draw(hostile_text()),
            "precision": draw(st.sampled_from(PRECISIONS)),
        },
        {"quantization": nullable(hostile_text())},
    )
    workload = _with_optional(
        draw,
        {"input_length": draw(positive_ints()), "output_length": draw(positive_ints())},
        {
            "batch_size": nullable(positive_ints()),
            "concurrent_requests": nullable(positive_ints()),
            "dataset": nullable(hostile_text()),
        },
    )
    metrics = _with_optional(
        draw,
        {
            "ttft_ms": draw(positive_numbers()),
            "throughput_tps": draw(positive_numbers()),
            "peak_mem_mb": draw(non_negative_ints()),
            "error_rate": draw(ratios(below_one=True)),
        },
        {
            "tbt_ms": nullable(positive_numbers()),
            "tpot_ms": nullable(positive_numbers()),
            "prefix_hit_rate": nullable(ratios()),
            "kv_used_tokens": nullable(non_negative_ints()),
            "kv_used_bytes": nullable(non_negative_ints()),
            "evict_count": nullable(non_negative_ints()),
            "evict_ms": nullable(non_negative_numbers()),
            "spec_accept_rate": nullable(ratios()),
        },
    )
    component = {name: versions_or_na() for name in ("control_plane", "gateway", "kv_cache", "compression")}
    versions_required = {name: draw(versions_or_na()) for name in ("protocol", "backend", "core")}
    if kind == "multi_node":
        versions_required["comm"] = draw(versions())
    else:
        component["comm"] = versions_or_na()
    versions_obj = _with_optional(draw, versions_required, {**component, "benchmark": versions_or_na()})
    metadata = _with_optional(
        draw,
        {
            "submitted_at": draw(past_times()),
            "submitter": draw(hostile_text(min_size=1)),
            "data_source": draw(hostile_text()),
        },
        {
            "engine": nullable(hostile_text()),
            "engine_version": nullable(hostile_text()),
            "reproducible_cmd": nullable(hostile_text()),
            "git_commit": nullable(shas()),
            "release_date": nullable(dates()),
            "changelog_url": nullable(hostile_text()),
            "notes": nullable(st.one_of(hostile_text(), long_text())),
            "verified": st.sampled_from([None, False, True]),
            "idempotency_key": nullable(hostile_text()),
        },
    )
    entry: Entry = {
        "entry_id": draw(entry_ids()),
        "sagellm_version": draw(versions()),
        "config_type": kind,
    }
    for key in ("engine", "engine_version", "canonical_path"):
        if draw(st.integers(0, 2)) == 0:
            entry[key] = draw(hostile_text())
    entry.update(hardware=hardware, model=model, workload=workload, metrics=metrics)
    if has_cluster:
        entry["cluster"] = cluster
    entry.update(versions=versions_obj, environment=draw(_environment(vendor)))
    if draw(st.booleans()):
        kv: Any = _with_optional(
            draw,
            {},
            {
                "enabled": st.booleans(),
                "eviction_policy": nullable(hostile_text()),
                "budget_tokens": nullable(non_negative_ints()),
                "prefix_cache_enabled": nullable(st.booleans()),
            },
        )
        entry["kv_cache_config"] = draw(st.sampled_from([kv, None]))
    entry["metadata"] = metadata
    if draw(st.integers(0, 4)) == 0:
        entry.update(draw(extra_properties()))
    return lookalike_free(entry)


def lookalike_free(entry: Entry) -> Entry:
    """The entry with what LB113 refuses replaced by "x", in the fields LB113 reads (two levels)."""
    for key, value in entry.items():
        if isinstance(value, str):
            entry[key] = _plain_letters((key,), value)
        elif isinstance(value, dict):
            for name, text in value.items():
                if isinstance(text, str):
                    value[name] = _plain_letters((key, name), text)
    return entry


def _plain_letters(pointer: Pointer, text: str) -> str:
    free = pointer in FREE_TEXT
    text = (HIDDEN_IN_FREE_TEXT if free else HIDDEN).sub("x", text)
    if not free and first_mixed_letter(text) is not None:
        text = "".join("x" if not char.isascii() and script_of(char) else char for char in text)
    return text


@cache
def unique_valid_entries(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[list[Entry]]:
    """Valid entries with distinct ids."""
    return st.lists(valid_entries(), min_size=min_size, max_size=max_size, unique_by=lambda e: e["entry_id"])


# --------------------------------------------------------------------------------------- mutations


def _seeds() -> tuple[Entry, ...]:
    """The example entries and the published ones: real shapes, cheap to draw (one choice)."""
    root = ROOT
    seeds = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(root.glob("examples/*.json"))]
    for name in ("leaderboard_single.json", "leaderboard_multi.json"):
        seeds += json.loads((root / "data" / name).read_text(encoding="utf-8"))
    return tuple(seeds)


SEEDS = _seeds()


@cache
def seed_entries() -> st.SearchStrategy[Entry]:
    """A copy of an example or published entry."""
    return st.sampled_from(SEEDS).map(copy.deepcopy)


def _schema_values() -> list[Any]:
    """Every enum and const of the schema, and strings at the edges of its patterns and formats."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.extend(node.get("enum", []))
            if "const" in node:
                found.append(node["const"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema())
    found += [
        "nvidia",
        "Nvidia",
        " NVIDIA",
        "bf16",
        "multi-node",
        "1.2.3",
        "1.2.3.4",
        "1.2",
        "1.2.3.4.5",
        "1.2.3\n",
        "\n1.2.3",
        "١.٢.٣",  # Arabic-Indic digits
        "１.２.３",  # fullwidth digits
        "v1.2.3",
        "N/A\n",
        "n/a",
        "3F1C9A52-7D4E-4B8A-9C21-5E6F7A8B9C0D",
        "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d\n",
        "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0",
        "2026-01-28T10:30:00Z",
        "2026-01-28T10:30:00Z\n",
        "2026-01-28T10:30:00",
        "2026-01-28 10:30:00z",
        "2026-01-28T10:30:00.123456789+05:30",
        "2026-02-30T10:30:00Z",
        "2026-01-28T24:00:00Z",
        "2026-01-28T10:30:60Z",
        "9999-12-31T23:59:59Z",
        "٢٠٢٦-01-28T10:30:00Z",
        "2026-01-28",
        "2026-1-28",
        "2026-01-28\n",
        "20260128",
        "0" * 40,
        "0" * 39,
        "G" * 40,
    ]
    return found


SCHEMA_VALUES = tuple(_schema_values())
BOUNDARY_VALUES: tuple[Any, ...] = (
    0,
    -0.0,
    0.0,
    1,
    1.0,
    -1,
    2,
    0.5,
    1.0000000000000002,
    0.9999999999999999,
    2**31,
    2**53 + 1,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    -(10**30),
    1e20,
    HUGE_INT,
    -HUGE_INT,
    HUGEST_INT,
    1e308,
    -1e308,
    5e-324,
    -5e-324,
    1e-300,
    True,
    False,
    None,
    "",
    " ",
    "0",
    "1",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999",
    [],
    {},
    [1],
    {"": None},
)


@cache
def mutation_values() -> st.SearchStrategy[Any]:
    """What a mutated value becomes: a boundary, a schema-relevant string, hostile text, any JSON."""
    return st.one_of(
        st.sampled_from(BOUNDARY_VALUES),
        st.sampled_from(SCHEMA_VALUES),
        hostile_text(),
        long_text(),
        json_values(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
    )


def all_pointers(value: Any, prefix: Pointer = ()) -> Iterator[Pointer]:
    """Pointers to every value inside ``value`` (not to ``value`` itself), in document order."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, child in items:
        pointer = (*prefix, key)
        yield pointer
        yield from all_pointers(child, pointer)


def containers(value: Any, prefix: Pointer = ()) -> Iterator[Pointer]:
    """Pointers to every object inside ``value``, ``value`` included."""
    if isinstance(value, dict):
        yield prefix
    for pointer in all_pointers(value, prefix):
        if isinstance(get_at(value, pointer[len(prefix) :]), dict):
            yield pointer


def get_at(value: Any, pointer: Pointer) -> Any:
    """The value at ``pointer``."""
    for key in pointer:
        value = value[key]
    return value


def _swap_type(value: Any) -> Any:
    """The same content written with another JSON type."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**100 else float("1e308")
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e30 else str(value)
    if isinstance(value, str):
        try:
            return json.loads(value) if value.strip() else None
        except ValueError:
            return [value]
    if value is None:
        return "null"
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return list(value.values())


def _nested_extra(depth: int, leaf: Any) -> Any:
    """``leaf`` wrapped in ``depth`` alternating arrays and objects."""
    for index in range(depth):
        leaf = {f"x{index}": leaf} if index % 2 else [leaf]
    return leaf


@st.composite
def mutate(draw: st.DrawFn, entry: Any) -> Any:
    """One change to a (copy of) ``entry``: delete, replace, swap type, add or rename a property."""
    entry = copy.deepcopy(entry)
    op = draw(st.sampled_from(["delete", "replace", "replace", "swap", "add", "nest", "rename", "whole"]))
    pointers = list(all_pointers(entry))
    if op == "whole" or not pointers:
        return draw(mutation_values())
    if op in ("add", "nest"):
        target = get_at(entry, draw(st.sampled_from(list(containers(entry)) or [()])))
        if isinstance(target, dict):
            depth = draw(st.integers(1, 6)) if op == "add" else draw(st.integers(25, 40))
            target[draw(hostile_text())] = _nested_extra(depth, draw(mutation_values()))
        return entry
    pointer = draw(st.sampled_from(pointers))
    parent = get_at(entry, pointer[:-1])
    key = pointer[-1]
    if op == "delete":
        del parent[key]
    elif op == "rename" and isinstance(key, str):
        new_key = draw(st.sampled_from([key.upper(), key.replace("_", "-"), f" {key}", key + "\u200b"]))
        parent[new_key] = parent.pop(key)
    elif op == "swap":
        parent[key] = _swap_type(parent[key])
    else:
        parent[key] = draw(mutation_values())
    return entry


@st.composite
def mutated_entries(draw: st.DrawFn, max_mutations: int = 4) -> Any:
    """A valid entry (generated, or a real one) with one to ``max_mutations`` mutations (mostly no
    longer valid)."""
    entry: Any = draw(st.one_of(seed_entries(), seed_entries(), valid_entries()))
    for _ in range(draw(st.integers(1, max_mutations))):
        entry = draw(mutate(entry))
    return entry


@cache
def entries_or_mutants() -> st.SearchStrategy[Any]:
    """Valid entries and mutated ones, about half each."""
    return st.one_of(valid_entries(), mutated_entries())


# ------------------------------------------------------------------------------- document bytes

_NUMBER_AFTER_COLON = re.compile(r'(?<=": )-?\d[\d.eE+-]*')
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)": ')


def _document_value(draw: st.DrawFn) -> tuple[Any, bool]:
    """(value of a whole file, whether every entry in it is valid on its own)."""
    shape = draw(st.sampled_from(["entry", "entry", "array", "array", "mutant", "scalar"]))
    if shape == "entry":
        return draw(valid_entries()), True
    if shape == "mutant":
        return draw(mutated_entries()), False
    if shape == "scalar":
        return draw(json_values()), False
    items = draw(st.lists(entries_or_mutants(), max_size=3))
    if items and draw(st.integers(0, 3)) == 0:
        items.append(items[0])  # the same object twice: a duplicate id, and a YAML alias
    return items, False


def _text_mutation(draw: st.DrawFn, text: str) -> str:
    """Damage JSON text the way hand edits and hostile files do."""
    op = draw(
        st.sampled_from(
            ["nan", "nan", "dup", "truncate", "trailing", "control", "surrogate", "deep", "deeper", "empty"]
        )
    )
    if op == "nan":
        numbers = list(_NUMBER_AFTER_COLON.finditer(text))
        token = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" + "0" * 4400]))
        if numbers:
            match = draw(st.sampled_from(numbers))
            return text[: match.start()] + token + text[match.end() :]
        return f'{{"x": {token}}}'
    if op == "dup":
        keys = list(_KEY.finditer(text))
        if keys:
            match = draw(st.sampled_from(keys))
            return text[: match.start()] + f'"{match.group(1)}": null, ' + text[match.start() :]
        return text + text
    if op == "truncate":
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    if op == "trailing":
        return text.rstrip().rstrip("}]") + ",}" if text.strip() else ","
    if op == "control":
        at = text.find('": "')
        return text[: at + 4] + "\x01\n" + text[at + 4 :] if at >= 0 else "\x01"
    if op == "surrogate":
        at = text.find('": "')
        escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "\\ude00x", "\\ud83d\\ude00"]))
        return text[: at + 4] + escape + text[at + 4 :] if at >= 0 else f'"{escape}"'
    if op == "deep":
        depth = draw(st.integers(30, 40))
        return "[" * depth + text + "]" * depth
    if op == "deeper":
        return "[" * 100_000 + "]" * 100_000
    return draw(st.sampled_from(["", " \n\t", "\r\n"]))


@st.composite
def json_documents(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """(file name, bytes, whether the file is an intact valid entry) of a JSON file."""
    value, valid = _document_value(draw)
    indent = draw(st.sampled_from([None, 2, 4, "\t"]))
    text = json.dumps(value, indent=indent, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = _text_mutation(draw, text)
        valid = False
    raw = text.encode("utf-8")
    byte_op = draw(st.sampled_from(["none", "none", "none", "none", "bom", "bad-utf8", "utf16"]))
    if byte_op == "bom":
        raw, valid = b"\xef\xbb\xbf" + raw, False
    elif byte_op == "bad-utf8":
        at = draw(st.integers(0, len(raw)))
        raw, valid = (
            raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"])) + raw[at:],
            False,
        )
    elif byte_op == "utf16":
        raw, valid = text.encode("utf-16"), False
    name = draw(
        st.sampled_from(
            [
                "data/submissions/fuzz.json",
                "sub/x.JSON",
                "leaderboard_single.json",
                "data/leaderboard_multi.json",
            ]
        )
    )
    return name, raw, valid


def yaml_text(value: Any, flow: bool = False) -> str:
    """``value`` written by ruamel.yaml (block style, or flow style)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_unicode = True
    if flow:
        yaml.default_flow_style = True
    buffer = io.StringIO()
    yaml.dump(value, buffer)
    return buffer.getvalue()


def _parses(text: str) -> bool:
    """Whether any YAML reader takes the text. ruamel.yaml 0.19's flow style writes a key such as
    "::error::x" as a plain scalar, which neither it nor libyaml reads back: not an intact file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        YAML(typ="rt", pure=True).load(text)
    except YAMLError:
        return False
    return True


@st.composite
def yaml_documents(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """(file name, bytes, whether the file is an intact valid entry) of a YAML file."""
    value, valid = _document_value(draw)
    text = yaml_text(value, flow=draw(st.integers(0, 4)) == 0)
    valid = valid and _parses(text)
    op = draw(st.sampled_from(["none", "none", "none", "nan", "alias", "tag", "docs", "truncate", "tabs"]))
    mutations: dict[str, Callable[[str], str]] = {
        "nan": lambda t: re.sub(r"(?<=: )\d+(\.\d+)?$", ".nan", t, count=1, flags=re.M),
        "alias": lambda t: "base: &a {x: 1}\ncopy: *a\n" + t if not t.startswith(("-", "[")) else t,
        "tag": lambda t: "--- !custom\n" + t,
        "docs": lambda t: t + "---\n{}\n",
        "truncate": lambda t: t[: len(t) // 2],
        "tabs": lambda t: t.replace("  ", "\t", 1),
    }
    if op != "none":
        text, valid = mutations[op](text), False
    return draw(st.sampled_from(["data/submissions/fuzz.yaml", "x.yml"])), text.encode("utf-8"), valid


# Keys and values a config file may hold, right and wrong (a rule id that cannot be changed among them).
CONFIG_SECTIONS = ("rules", "limits", "checks", "merge", "waivers", "sync")
_CONFIG_KEYS = {
    "rules": ("LB111", "LB201", "LB001", "LB308", "LB309", "LB999"),
    "limits": ("max_submission_bytes", "max_data_file_bytes", "max_depth", "max_dept"),
    "checks": ("memory_tolerance", "clock_skew_minutes", "skew"),
    "merge": ("same_config_policy", "policy"),
    "sync": ("dataset", "revision", "source", "token"),
}
_CONFIG_VALUES = (
    "error",
    "warning",
    "off",
    "keep-both",
    "replace",
    "reject",
    "owner/name",
    "main",
    "canonical",
)


@st.composite
def config_documents(draw: st.DrawFn) -> str:
    """The text of a config file: known and unknown sections, each holding what it should, or not."""
    scalar = st.one_of(
        st.sampled_from(_CONFIG_VALUES), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.none()
    )
    value = st.one_of(scalar, json_values(3))
    document: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from([*CONFIG_SECTIONS, "ruls"]), unique=True, max_size=4)):
        if name == "waivers":
            waiver = st.dictionaries(
                st.sampled_from(("entry_id", "rule", "reason", "why")), value, max_size=4
            )
            document[name] = draw(st.one_of(st.lists(st.one_of(waiver, value), max_size=3), value))
        elif name in _CONFIG_KEYS:
            keys = st.one_of(st.sampled_from(_CONFIG_KEYS[name]), hostile_text(1))
            document[name] = draw(st.one_of(st.dictionaries(keys, value, max_size=3), value))
        else:
            document[name] = draw(value)
    return yaml_text(document, flow=draw(st.booleans()))
