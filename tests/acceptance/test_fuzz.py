"""Property-based fuzzing of validate, merge, diff and the summary comment (issue 7, part 2).

Six invariants over entries generated from the schema (``tests/support/fuzz_strategies.py``) and mutations
of them; every test runs under the ``leaderboard-fuzz`` Hypothesis profile registered here
(derandomized, no example database: a CI run is reproducible and leaves nothing behind). Together
they run about 5,200 examples: some 40 s with ``pytest -n 2``, 75 s on one core (``EXAMPLES`` holds
the per-test counts; ``LEADERBOARD_FUZZ_SCALE=10`` runs ten times as many). What ran and what failed
is written to ``test-output/fuzz-summary.json``.

Regressions of the bugs the fuzzer found are pinned with ``@example`` (see ``KNOWN_BUGS``).
"""

from __future__ import annotations

import collections
import contextlib
import copy
import dataclasses
import datetime as dt
import fcntl
import json
import os
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from bot.contract.config import Config, load_config
from bot.contract.crosschecks import configuration_key, data_file_role
from bot.contract.document import Document
from bot.contract.findings import Finding, json_path
from bot.contract.loader import load_bytes
from bot.contract.lookalikes import lookalike_hits
from bot.contract.ruletable import RULES
from bot.contract.schema_check import EntryChecker
from bot.contract.validate import EntryRules, Report, check_entry, validate_inputs
from bot.ledger.base_probe import base_index
from bot.ledger.diff import FILE_FIELD, diff_entries, field_changes, index_entries
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.merged import Limits, merged_documents
from bot.ledger.submission import Submitter, target_file
from bot.render.comment import LIMIT, MARKER, CommentContext, render
from bot.render.report import render_github, render_json, render_text
from tests.support.fuzz_strategies import (
    HUGE_INT,
    Entry,
    Pointer,
    all_pointers,
    config_documents,
    entries_or_mutants,
    entry_ids,
    get_at,
    hostile_text,
    json_documents,
    mutated_entries,
    mutation_values,
    positive_numbers,
    unique_valid_entries,
    valid_entries,
    yaml_documents,
    yaml_text,
)
from tests.support.paths import ROOT

SUMMARY_PATH = ROOT / "test-output" / "fuzz-summary.json"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"
BASE_TEXTS = {name: (ROOT / name).read_text(encoding="utf-8") for name in (SINGLE, MULTI)}
SUBMISSION = "data/submissions/fuzz.json"
REAL_CONFIG, _ = load_config(
    ".github/leaderboard-bot.yml", (ROOT / ".github" / "leaderboard-bot.yml").read_bytes()
)
CHECKER = EntryChecker()
MAINTAINER = Submitter("lead", is_maintainer=True)
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text(encoding="utf-8"))

# ------------------------------------------------------------------------------------ settings

PROFILE_NAME = "leaderboard-fuzz"
SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
settings.register_profile(
    PROFILE_NAME,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=SUPPRESSED,
    print_blob=False,
)
PROFILE = settings.get_profile(PROFILE_NAME)  # a parent per test: other modules keep their profile
SCALE = float(os.environ.get("LEADERBOARD_FUZZ_SCALE", "1"))


def budget(count: int) -> int:
    """The example count of a test, scaled by LEADERBOARD_FUZZ_SCALE."""
    return max(1, round(count * SCALE))


# Examples per test (the budget of a CI run: >= 5,000 in all, under 90 s on two cores).
EXAMPLES = {
    "validate_json": budget(850),
    "validate_yaml": budget(180),
    "generated_valid": budget(900),
    "fast_precise": budget(2100),
    "merge_round_trip": budget(140),
    "merge_layout": budget(90),
    "merge_sequences": budget(70),
    "diff_added": budget(110),
    "diff_paths": budget(450),
    "summary": budget(270),
    "config": budget(300),
}

# ------------------------------------------------------------------- what ran, what failed

INVARIANTS = {
    "1-never-crash": "validate_inputs returns a well-formed Report for any JSON/YAML text, load_config "
    "a Config and placed errors for any config file",
    "2-fast-precise-agree": "jsonschema-rs is_valid agrees with jsonschema iter_errors",
    "3-merge-round-trip": "valid entries merge, round-trip byte-stably, and cannot be merged twice",
    "4-merge-no-loss": "sequences of submissions and edits neither lose nor duplicate entries",
    "5-diff": "diff reports exactly the added entries and exactly the changed paths",
    "6-summary-renders": "the summary renders below the limit with no raw HTML, mentions or broken tables",
    "0-strategy-valid": "generated valid entries raise no schema error and no error-level rule",
}
KNOWN_BUGS = [
    {
        "id": "fuzz-1",
        "invariant": "2-fast-precise-agree",
        "module": "bot/contract/schema_check.py",
        "what": "jsonschema (Python re) let '$' match before a trailing newline and '\\d' match any "
        "Unicode digit, while jsonschema-rs follows ECMA-262; check() then found no error for entries "
        "the fast path rejected, so they passed validation",
        "minimal": {"sagellm_version": "0.5.4.14\n"},
        "also": [{"sagellm_version": "١.٢.٣"}, {"entry_id": "<uuid>\n"}, {"versions.core": "N/A\n"}],
        "status": "fixed here: the precise path uses ECMA-262 pattern semantics",
        "regression": "test_fast_and_precise_schema_paths_agree",
    },
    {
        "id": "fuzz-2",
        "invariant": "2-fast-precise-agree",
        "module": "bot/contract/schema_check.py",
        "what": "the date-time format accepted a trailing newline (Python's '$' again; both paths share "
        "the format function, so they agreed on the wrong answer)",
        "minimal": {"metadata.submitted_at": "2026-01-28T10:30:00Z\n"},
        "status": "fixed here: \\Z and ASCII digits in the date-time and date formats",
        "regression": "test_fast_and_precise_schema_paths_agree",
    },
    {
        "id": "fuzz-3",
        "invariant": "1-never-crash",
        "module": "bot/contract/rules.py",
        "what": "LB112 (total memory) raised OverflowError on integers beyond the float range",
        "minimal": {"hardware.memory_per_chip_gb": "10**400 (an integer literal)", "total_memory_gb": 1},
        "status": "fixed here: no comparison when the numbers exceed the float range",
        "regression": "test_validate_never_crashes_on_json",
    },
    {
        "id": "fuzz-4",
        "invariant": "1-never-crash",
        "module": "bot/contract/crosschecks.py",
        "what": "an array or object where a configuration field belongs made the same-configuration "
        "index raise TypeError (unhashable type: 'list'): validate, submit and the summary crashed",
        "minimal": {"hardware": {"vendor": []}},
        "status": "fixed here: such values are keyed by their JSON text",
        "regression": "test_validate_never_crashes_on_json, test_summary_always_renders",
    },
    {
        "id": "fuzz-5",
        "invariant": "6-summary-renders",
        "module": "bot/render/comment.py",
        "what": "metrics that are integers beyond the float range (valid JSON numbers) raised "
        "OverflowError while formatting, so no summary could be posted",
        "minimal": {"metrics.ttft_ms": "10**400 (an integer literal)"},
        "status": "fixed here: such numbers are shown as inf",
        "regression": "test_summary_always_renders",
    },
    {
        "id": "fuzz-6",
        "invariant": "6-summary-renders",
        "module": "bot/render/markdown.py",
        "what": "user text with a URL became a link in the comment (GFM autolinks fire on '://' even "
        "with the dots escaped)",
        "minimal": {"model.name": "<a href='https://evil.example'>x</a>"},
        "status": "found by the fuzzer; fixed concurrently by 43e2e52 (zero-width space after ':')",
        "regression": "test_summary_always_renders",
    },
    {
        "id": "fuzz-7",
        "invariant": "6-summary-renders",
        "module": "bot/ledger/base_probe.py",
        "what": "a submitted entry with an array where a probe field belongs (hardware.chip_model, "
        "model.name, the workload counts) raised TypeError (unhashable type: 'list') while the base "
        "was searched for its peers, so no summary could be posted",
        "minimal": {"hardware.chip_model": ["Ascend 910B"]},
        "status": "fixed here: the container test runs before the values are put in a set",
        "regression": "test_summary_always_renders",
    },
    {
        "id": "fuzz-8",
        "invariant": "2-fast-precise-agree",
        "module": "bot/contract/schema_check.py",
        "what": "a NaN (or Infinity) in an entry made jsonschema-rs answer invalid while jsonschema found no "
        "error, so check() returned no error for it; the loaders and the importer refuse such numbers, so "
        "only an entry built in memory could get there",
        "minimal": {"hardware.memory_per_chip_gb": "nan"},
        "status": "fixed here: the precise path's \"number\" excludes NaN and Infinity, as jsonschema-rs's "
        "does; check() names each one (LB003)",
        "regression": "test_fast_and_precise_schema_paths_agree",
    },
    {
        "id": "fuzz-9",
        "invariant": "1-never-crash",
        "module": "bot/contract/config.py",
        "what": "a waiver whose rule is a YAML list raised TypeError (unhashable type: 'list') out of the "
        "config loader, so every command that reads the config crashed",
        "minimal": {"waivers": [{"rule": []}]},
        "status": "fixed here (82cc173, found reading the code; the config fuzz finds it alone): a rule that "
        "is not text makes the waiver malformed (LB010)",
        "regression": "test_the_config_loader_never_crashes",
    },
]


@dataclasses.dataclass
class Tally:
    """Examples run and failures seen for one invariant (in this process)."""

    examples: int = 0
    failures: int = 0
    seconds: float = 0.0
    tests: list[str] = dataclasses.field(default_factory=list)
    last_failure: str | None = None


STATS: dict[str, Tally] = {key: Tally() for key in INVARIANTS}
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _short(value: object, limit: int = 2000) -> str:
    """A bounded repr for the summary file."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long for repr()
        text = "<unprintable>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextlib.contextmanager
def observed(invariant: str, test: str, example_value: object) -> Iterator[None]:
    """Count one example of ``invariant``; remember the last failing one (Hypothesis replays the
    shrunk example last, so that is the minimal one)."""
    tally = STATS[invariant]
    if test not in tally.tests:
        tally.tests.append(test)
    started = time.perf_counter()
    try:
        yield
    except HypothesisException:  # not an example: data ran out, an assumption failed
        raise
    except Exception:
        tally.examples += 1
        tally.failures += 1
        tally.last_failure = _short(example_value)
        raise
    else:
        tally.examples += 1
    finally:
        tally.seconds += time.perf_counter() - started


def write_summary(path: Path = SUMMARY_PATH) -> None:
    """Write the summary file. Each pytest-xdist worker of a run records its own counts in it (and
    replaces them when it writes again), so the totals add up whichever worker ran which test."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            previous = json.loads(path.read_text(encoding="utf-8"))
        workers = previous.get("workers", {}) if previous.get("run") == RUN_ID else {}
        workers[WORKER] = {key: dataclasses.asdict(tally) for key, tally in STATS.items()}
        invariants = {}
        for key, title in INVARIANTS.items():
            parts = [counts[key] for counts in workers.values()]
            failures = [part["last_failure"] for part in parts if part["last_failure"]]
            invariants[key] = {
                "title": title,
                "tests": sorted({test for part in parts for test in part["tests"]}),
                "examples": sum(part["examples"] for part in parts),
                "failures": sum(part["failures"] for part in parts),
                "seconds": round(sum(part["seconds"] for part in parts), 2),
                "last_failure": failures[-1] if failures else None,
            }
        summary = {
            "module": "tests/acceptance/test_fuzz.py",
            "run": RUN_ID,
            "written_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "hypothesis_profile": {"name": PROFILE_NAME, "derandomize": True, "database": None},
            "scale": SCALE,
            "max_examples": EXAMPLES,
            "total_examples": sum(item["examples"] for item in invariants.values()),
            "total_failures": sum(item["failures"] for item in invariants.values()),
            "invariants": invariants,
            "known_bugs": KNOWN_BUGS,
            "workers": workers,
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, path)


@pytest.fixture(scope="module", autouse=True)
def _fuzz_summary() -> Iterator[None]:
    """Write test-output/fuzz-summary.json once the module's tests have run."""
    yield
    write_summary()


def fuzz_settings(key: str) -> settings:
    """The profile with this test's example count."""
    return settings(PROFILE, max_examples=EXAMPLES[key], deadline=None, suppress_health_check=SUPPRESSED)


# ------------------------------------------------------------------------------------- helpers


def load(name: str, text: str) -> Document:
    """A document that must load cleanly."""
    result = load_bytes(name, text.encode("utf-8"), max_bytes=10**9, max_depth=32)
    assert result.document is not None, result.findings
    assert result.findings == [], result.findings
    return result.document


def real_base() -> dict[str, Document]:
    """The real data files, freshly parsed."""
    return {name: load(name, text) for name, text in BASE_TEXTS.items()}


def submission(entries: Sequence[Any], name: str = SUBMISSION) -> Document:
    """A submission file holding ``entries`` (an array)."""
    return load(name, json.dumps(list(entries), indent=2, ensure_ascii=False))


def canonical(value: Any) -> str:
    """JSON text that tells 1 from 1.0 from true, and keeps key order."""
    return json.dumps(value, ensure_ascii=False)


def item_end(doc: Document) -> int:
    """Offset just past the last item of a data file's array."""
    offsets = doc.item_offsets or []
    decoder: Any = json.JSONDecoder()
    return int(decoder.raw_decode(doc.text, offsets[-1])[1]) if offsets else doc.text.index("[") + 1


def with_value(entry: Entry, pointer: Pointer, value: Any) -> Entry:
    """A copy of ``entry`` with one value set."""
    result = copy.deepcopy(entry)
    get_at(result, pointer[:-1])[pointer[-1]] = value
    return result


def ids_by_file(base: dict[str, Document]) -> dict[str, list[str]]:
    """Entry ids of each data file, in order."""
    return {name: [entry["entry_id"] for entry in doc.data] for name, doc in base.items()}


def apply(base: dict[str, Document], outcome: Outcome) -> dict[str, Document]:
    """The data files after the merge as a batch goes on with them: the documents the merge handed on
    (each checked against loading its text), the other changed files loaded from their texts."""
    loaded = {name: load(name, outcome.merge.texts.get(name, doc.text)) for name, doc in base.items()}
    documents = merged_documents(base, outcome.merge, Limits(10**9, 32))
    for name, doc in documents.items():
        same_document(doc, loaded[name])
    return {**loaded, **documents}


def same_document(handed_on: Document, loaded: Document) -> None:
    """A merged document equals what loading its text gives, down to the position of every value."""
    assert (handed_on.file, handed_on.text, handed_on.data) == (loaded.file, loaded.text, loaded.data)
    assert handed_on.item_offsets == loaded.item_offsets
    # The precise loader (say, for an integer beyond 64 bits) proves nothing plain; the merge may know it.
    assert handed_on.plain_objects >= loaded.plain_objects
    plain = "\\" not in loaded.text and all(isinstance(item, dict) for item in loaded.data)
    assert handed_on.plain_objects == plain
    pointers = [(), *all_pointers(loaded.data)]
    assert handed_on.locator.positions(pointers) == loaded.locator.positions(pointers)
    if "base_index" in handed_on.cache:  # carried on from the base: what building it afresh gives
        carried, fresh = handed_on.cache["base_index"], base_index(loaded)
        assert (carried is None) == (fresh is None)
        if carried is not None and fresh is not None:
            assert carried.first_by_id == fresh.first_by_id
            for ours, theirs in zip(carried.columns, fresh.columns, strict=True):
                assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}


def errors_of(outcome: Outcome) -> list[tuple[str, str, str]]:
    """Unwaived errors, short (for assertion messages)."""
    return [(f.rule, f.path, f.message[:120]) for f in outcome.errors]


# -------------------------------------------------------------------------- 1. never crash

MIN_RULE = re.compile(r"LB\d{3}|schema")
REGRESSION_HUGE_MEMORY = json.dumps(
    with_value(
        with_value(EXAMPLE, ("hardware", "memory_per_chip_gb"), HUGE_INT), ("hardware", "total_memory_gb"), 1
    )
).encode()


def check_report(report: Report, names: set[str]) -> None:
    """Every finding is complete and placed; the report renders in every format as UTF-8."""
    assert isinstance(report, Report)
    for f in report.findings:
        assert isinstance(f, Finding)
        assert f.file in names, f
        assert isinstance(f.line, int), f
        assert f.line >= 1, f
        assert isinstance(f.column, int), f
        assert f.column >= 1, f
        assert f.path.startswith("$"), f
        assert MIN_RULE.fullmatch(f.rule), f
        assert f.severity in ("error", "warning"), f
        assert f.message.strip(), f
        assert f.hint.strip(), f
    for renderer in (render_text, render_json, render_github):
        renderer(report).encode("utf-8")  # what the command line prints


def _unique_names(documents: list[tuple[str, bytes, bool]]) -> list[tuple[str, bytes, bool]]:
    """Distinct display names (validate keys documents by name)."""
    return [(f"{i}/{name}" if i else name, raw, valid) for i, (name, raw, valid) in enumerate(documents)]


@fuzz_settings("validate_json")
@given(documents=st.lists(json_documents(), min_size=1, max_size=2))
@example(documents=[("data/submissions/fuzz.json", REGRESSION_HUGE_MEMORY, False)])
@example(documents=[("data/submissions/fuzz.json", b'{"entry_id": "\\ud800"}', False)])
@example(documents=[("data/submissions/fuzz.json", b'{"hardware": {"vendor": []}}', False)])
@example(documents=[("data/submissions/fuzz.json", json.dumps([EXAMPLE, EXAMPLE]).encode(), False)])
def test_validate_never_crashes_on_json(documents: list[tuple[str, bytes, bool]]) -> None:
    """Invariant 1 (JSON): any text gives a Report whose findings are complete and placed."""
    documents = _unique_names(documents)
    with observed("1-never-crash", "test_validate_never_crashes_on_json", documents):
        report = validate_inputs([(name, raw) for name, raw, _ in documents], Config())
        check_report(report, {name for name, _, _ in documents})
        if len(documents) == 1 and documents[0][2] and data_file_role(documents[0][0]) is None:
            assert report.errors == []


@fuzz_settings("validate_yaml")
@given(document=yaml_documents())
@example(document=("x.yml", yaml_text(with_value(EXAMPLE, ("metrics", "ttft_ms"), HUGE_INT)).encode(), False))
def test_validate_never_crashes_on_yaml(document: tuple[str, bytes, bool]) -> None:
    """Invariant 1 (YAML): ruamel-dumped entries and arrays, intact or damaged."""
    name, raw, valid = document
    with observed("1-never-crash", "test_validate_never_crashes_on_yaml", document):
        report = validate_inputs([(name, raw)], Config())
        check_report(report, {name})
        if valid:
            assert report.errors == []


@fuzz_settings("config")
@given(text=config_documents())
@example(text="waivers:\n  - {entry_id: x, rule: [LB201], reason: r}\n")
def test_the_config_loader_never_crashes(text: str) -> None:
    """Invariant 1 (config): any config file gives a Config and errors that say where and how to fix."""
    with observed("1-never-crash", "test_the_config_loader_never_crashes", text):
        config, findings = load_config("cfg.yml", text.encode("utf-8"))
        assert isinstance(config, Config)
        report = Report(findings, 1, 0)
        check_report(report, {"cfg.yml"})
        assert all(f.severity == "error" and f.rule.startswith("LB0") for f in findings)
        assert all(RULES[waiver.rule].configurable for waiver in config.waivers)  # no fixed rule waived
        assert all(RULES[rule].configurable for rule in config.severities)


# ------------------------------------------------------------- 0. the valid strategy is valid


@fuzz_settings("generated_valid")
@given(entry=valid_entries())
def test_generated_entries_are_valid(entry: Entry) -> None:
    """The strategy's promise: no schema error and no error-level rule, only warnings."""
    with observed("0-strategy-valid", "test_generated_entries_are_valid", entry):
        assert CHECKER.check(entry) == []
        findings = check_entry(EntryRules(CHECKER, Config(), NOW), "fuzz.json", (), entry)
        assert [f for f in findings if f.severity == "error"] == []


# ------------------------------------------------------------------ 2. fast/precise agreement


@fuzz_settings("fast_precise")
@given(entry=mutated_entries())
@example(entry=with_value(EXAMPLE, ("sagellm_version",), "0.5.4.14\n"))
@example(entry=with_value(EXAMPLE, ("sagellm_version",), "١.٢.٣"))
@example(entry=with_value(EXAMPLE, ("entry_id",), EXAMPLE["entry_id"] + "\n"))
@example(entry=with_value(EXAMPLE, ("versions", "core"), "N/A\n"))
@example(entry=with_value(EXAMPLE, ("metadata", "submitted_at"), "2026-01-28T10:30:00Z\n"))
@example(entry=with_value(EXAMPLE, ("hardware", "memory_per_chip_gb"), float("nan")))
def test_fast_and_precise_schema_paths_agree(entry: Any) -> None:
    """Invariant 2: jsonschema-rs says valid exactly when jsonschema finds no error."""
    with observed("2-fast-precise-agree", "test_fast_and_precise_schema_paths_agree", entry):
        fast = CHECKER.is_valid(entry)
        precise = [e.message for e in CHECKER._slow.iter_errors(entry)]
        assert fast == (precise == []), f"jsonschema-rs valid={fast}, jsonschema errors={precise}"
        assert (CHECKER.check(entry) == []) == fast


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        (("sagellm_version",), "0.5.4.14\n"),
        (("sagellm_version",), "١.٢.٣"),
        (("entry_id",), EXAMPLE["entry_id"] + "\n"),
        (("versions", "core"), "N/A\n"),
        (("metadata", "submitted_at"), "2026-01-28T10:30:00Z\n"),
        (("metadata", "release_date"), "2026-01-27\n"),
    ],
)
def test_pattern_and_format_edges_are_schema_errors(pointer: Pointer, value: str) -> None:
    """Regressions of fuzz-1/fuzz-2: both paths agree, and agree that these are errors."""
    entry = with_value(EXAMPLE, pointer, value)
    assert [error.pointer for error in CHECKER.check(entry)] == [pointer]


# --------------------------------------------------------------- 3. merge and round-trip


def _expected_after(base: dict[str, Document], outcome: Outcome) -> dict[str, list[Any]]:
    """Base entries, then the submitted entries (as normalized) routed to their data file."""
    routed = {name: list(doc.data) for name, doc in base.items()}
    for item in outcome.submitted:
        name = SINGLE if target_file(item.entry) == "leaderboard_single.json" else MULTI
        routed[name].append(item.entry)
    return routed


@fuzz_settings("merge_round_trip")
@given(entries=unique_valid_entries(1, 3))
@example(entries=[with_value(EXAMPLE, ("metrics", "ttft_ms"), HUGE_INT)])
def test_valid_entries_merge_and_round_trip(entries: list[Entry]) -> None:
    """Invariant 3: no errors; the merged text is the base bytes plus the new entries; twice is refused."""
    with observed("3-merge-round-trip", "test_valid_entries_merge_and_round_trip", entries):
        base = real_base()
        outcome = evaluate(base, Submission([submission(entries)]), Config(), now=NOW)
        assert outcome.errors == [], errors_of(outcome)
        expected = _expected_after(base, outcome)
        for name, doc in base.items():
            text = outcome.merge.texts.get(name, doc.text)
            assert (name in outcome.merge.texts) == (len(expected[name]) > len(doc.data))
            assert canonical(json.loads(text)) == canonical(expected[name])
            cut = item_end(doc)  # every published byte up to the last item, and the tail, unchanged
            assert text.startswith(doc.text[:cut])
            assert text.endswith(doc.text[cut:])
        merged = apply(base, outcome)
        again = evaluate(merged, Submission([submission(entries)]), Config(), now=NOW)
        refused = sorted(f.entry_id or "" for f in again.errors if f.rule == "LB302")
        assert refused == sorted(e["entry_id"] for e in entries)
        assert again.merge.texts == {}


@fuzz_settings("merge_layout")
@given(
    entries=unique_valid_entries(1, 3),
    indent=st.sampled_from(["\t", "  ", "    ", " ", "\t\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    tail=st.booleans(),
    empty=st.sampled_from([False, False, False, True]),
)
def test_merge_keeps_indentation_and_line_endings(
    entries: list[Entry], indent: str, newline: str, tail: bool, empty: bool
) -> None:
    """Invariant 3 (layout): a base written with tabs/spaces and LF/CRLF keeps its style."""
    with observed("3-merge-round-trip", "test_merge_keeps_indentation_and_line_endings", entries):
        data = {name: [] if empty else json.loads(text) for name, text in BASE_TEXTS.items()}

        def write(items: list[Any]) -> str:
            end = newline if tail else ""
            if not items:
                return "[" + newline + "]" + end
            return json.dumps(items, indent=indent, ensure_ascii=False).replace("\n", newline) + end

        base = {name: load(name, write(items)) for name, items in data.items()}
        outcome = evaluate(base, Submission([submission(entries)]), Config(), now=NOW)
        assert outcome.errors == [], errors_of(outcome)
        expected = _expected_after(base, outcome)
        for name, doc in base.items():
            text = outcome.merge.texts.get(name, doc.text)
            assert canonical(json.loads(text)) == canonical(expected[name])
            if newline == "\r\n":
                assert "\n" not in text.replace("\r\n", ""), "a bare LF in a CRLF file"
            else:
                assert "\r" not in text, "a CR in an LF file"
            if not empty:  # the whole file reads as if written in one go in its own style
                assert text == write(expected[name])


# ------------------------------------------------------- 4. merges never lose or duplicate


class Model:
    """The ids each data file should hold, in order, and the fuzz entries added so far."""

    def __init__(self, base: dict[str, Document]) -> None:
        self.ids = ids_by_file(base)
        self.added: list[Entry] = []
        self.used = {i for ids in self.ids.values() for i in ids}

    def fresh_id(self, data: st.DataObject) -> str:
        candidate = data.draw(entry_ids(), label="id")
        while candidate in self.used:
            candidate = str(uuid.uuid4())
        self.used.add(candidate)
        return candidate


def _file_of(entry: Entry) -> str:
    """The data file a valid entry belongs in."""
    return MULTI if entry.get("config_type") == "multi_node" else SINGLE


def _head(base: dict[str, Document], name: str, items: list[Any], both: bool) -> dict[str, Document]:
    head = {name: load(name, json.dumps(items, indent=2, ensure_ascii=False))}
    if both:
        other = MULTI if name == SINGLE else SINGLE
        head[other] = base[other]
    return head


def _step(
    data: st.DataObject, base: dict[str, Document], model: Model
) -> tuple[Outcome, bool, dict[str, list[str]]]:
    """Run one random operation; returns the outcome, whether it must succeed, and the expected ids."""
    ops = ["submit", "submit", "edit-add", "change", "remove", "refuse-remove", "refuse-duplicate"]
    if model.added:
        ops += ["replace", "replace"]
    op = data.draw(st.sampled_from(ops), label="op")
    expected = {name: list(ids) for name, ids in model.ids.items()}
    both = data.draw(st.booleans(), label="head has both files")
    if op == "submit":
        entries = data.draw(unique_valid_entries(1, 3), label="entries")
        for entry in entries:
            entry["entry_id"] = model.fresh_id(data)
            expected[_file_of(entry)].append(entry["entry_id"])
        model.added += entries
        return evaluate(base, Submission([submission(entries)]), REAL_CONFIG, now=NOW), True, expected
    if op == "replace":
        twin = copy.deepcopy(data.draw(st.sampled_from(model.added), label="replaced"))
        twin["entry_id"] = model.fresh_id(data)
        twin["metrics"]["throughput_tps"] = data.draw(positive_numbers(), label="tps")
        key = configuration_key(twin)
        holder = next((e for doc in base.values() for e in doc.data if configuration_key(e) == key), None)
        # A verified entry is never replaced by a plain approval: the twin joins it.
        if holder is not None and holder.get("metadata", {}).get("verified") is not True:
            for ids in expected.values():
                if holder["entry_id"] in ids:
                    ids.remove(holder["entry_id"])
        expected[_file_of(twin)].append(twin["entry_id"])
        model.added.append(twin)
        config = dataclasses.replace(REAL_CONFIG, same_config_policy="replace")
        return evaluate(base, Submission([submission([twin])]), config, now=NOW), True, expected
    name = data.draw(st.sampled_from([SINGLE, MULTI]), label="file")
    items = copy.deepcopy(base[name].data)
    if op == "edit-add":
        kind = "multi_node" if name == MULTI else data.draw(st.sampled_from(["single_gpu", "multi_gpu"]))
        entry = data.draw(valid_entries(kind), label="entry")
        entry["entry_id"] = model.fresh_id(data)
        items.insert(data.draw(st.integers(0, len(items)), label="at"), entry)
        expected[name].append(entry["entry_id"])
        model.added.append(entry)
        return (
            evaluate(base, Submission([], head=_head(base, name, items, both)), REAL_CONFIG, now=NOW),
            True,
            expected,
        )
    if op == "refuse-duplicate":
        entry = data.draw(valid_entries(), label="entry")
        entry["entry_id"] = data.draw(
            st.sampled_from(sorted(model.used & {i for ids in expected.values() for i in ids}))
        )
        outcome = evaluate(base, Submission([submission([entry])]), REAL_CONFIG, now=NOW)
        assert "LB302" in {f.rule for f in outcome.errors}
        return outcome, False, expected
    if not items:
        return evaluate(base, Submission([]), REAL_CONFIG, now=NOW), True, expected
    index = data.draw(st.integers(0, len(items) - 1), label="index")
    if op == "change":
        field = data.draw(st.sampled_from([("metadata", "notes"), ("metrics", "ttft_ms")]), label="field")
        value = data.draw(hostile_text() if field[0] == "metadata" else positive_numbers(), label="value")
        items[index] = with_value(items[index], field, value)
        head = _head(base, name, items, both)
        outcome = evaluate(base, Submission([], head=head, submitter=MAINTAINER), REAL_CONFIG, now=NOW)
        # Hostile text may hold invisible or mixed-script characters: LB113 then refuses the change.
        lookalike = any(hit.rule == "LB113" for hit in lookalike_hits(items[index]))
        if lookalike:
            assert "LB113" in {f.rule for f in outcome.errors}, errors_of(outcome)
        return outcome, not lookalike, expected
    removed = items.pop(index)
    head = _head(base, name, items, both)
    if op == "refuse-remove":
        outcome = evaluate(base, Submission([], head=head), REAL_CONFIG, now=NOW)
        assert "LB306" in {f.rule for f in outcome.errors}
        return outcome, False, expected
    expected[name].remove(removed["entry_id"])
    return (
        evaluate(base, Submission([], head=head, submitter=MAINTAINER), REAL_CONFIG, now=NOW),
        True,
        expected,
    )


@fuzz_settings("merge_sequences")
@given(data=st.data())
def test_merges_never_lose_or_duplicate_entries(data: st.DataObject) -> None:
    """Invariant 4: after every step the ids are exactly before - removed + added, none twice."""
    with observed("4-merge-no-loss", "test_merges_never_lose_or_duplicate_entries", "see Hypothesis output"):
        base = real_base()
        model = Model(base)
        for _ in range(data.draw(st.integers(1, 5), label="steps")):
            outcome, must_merge, expected = _step(data, base, model)
            if must_merge:
                assert outcome.errors == [], errors_of(outcome)
                base = apply(base, outcome)
                model.ids = expected
            else:
                assert outcome.merge.texts == {}
            actual = ids_by_file(base)
            assert actual == model.ids
            counts = collections.Counter(i for ids in actual.values() for i in ids)
            assert [i for i, n in counts.items() if n > 1] == []


# ---------------------------------------------------------------------------------- 5. diff


def _index(base: dict[str, Document], texts: dict[str, str] | None = None) -> Any:
    """entry_id -> (file, entry) over the data files, with merged texts where given."""
    texts = texts or {}
    files = {name.rsplit("/", 1)[-1]: json.loads(texts.get(name, doc.text)) for name, doc in base.items()}
    return index_entries(files)


@fuzz_settings("diff_added")
@given(entries=unique_valid_entries(1, 3))
def test_diff_reports_exactly_the_added_entries(entries: list[Entry]) -> None:
    """Invariant 5a: diff(base, merged) = the submitted ids as added; nothing removed or changed."""
    with observed("5-diff", "test_diff_reports_exactly_the_added_entries", entries):
        base = real_base()
        outcome = evaluate(base, Submission([submission(entries)]), Config(), now=NOW)
        assert outcome.errors == [], errors_of(outcome)
        result = diff_entries(_index(base), _index(base, outcome.merge.texts)).as_json()
        assert result["added"] == sorted(e["entry_id"] for e in entries)
        assert (result["removed"], result["changed"]) == ([], [])


def _differs(old: Any, new: Any) -> bool:
    """What the diff counts as a change of a leaf (-0.0 and 0.0 are the same JSON number)."""
    return old != new or type(old) is not type(new)


def _is_object_in(value: Any, pointer: Pointer) -> bool:
    """Whether ``pointer`` leads to an object inside ``value``."""
    try:
        return isinstance(get_at(value, pointer), dict)
    except (KeyError, IndexError, TypeError):
        return False


@st.composite
def edited_entries(draw: st.DrawFn) -> tuple[Entry, Entry, set[str], bool]:
    """(old, new, JSONPaths changed, moved to the other data file) of a valid entry edited at leaves."""
    old = draw(valid_entries())
    new = copy.deepcopy(old)
    leaves = [
        p for p in all_pointers(old) if p != ("entry_id",) and not isinstance(get_at(old, p), (dict, list))
    ]
    paths: set[str] = set()
    for pointer in draw(st.lists(st.sampled_from(leaves), unique=True, max_size=4)):
        parent = get_at(new, pointer[:-1])
        if isinstance(parent, dict) and draw(st.integers(0, 3)) == 0:  # (a shorter list is one change)
            del parent[pointer[-1]]
        else:
            value = draw(mutation_values().filter(lambda v, p=pointer: _differs(get_at(old, p), v)))
            parent[pointer[-1]] = value
        paths.add(json_path(pointer))
    # Objects in both versions (not values that became objects, whose keys are not leaf changes).
    objects = [
        p for p in [(), *all_pointers(new)] if isinstance(get_at(new, p), dict) and _is_object_in(old, p)
    ]
    for pointer in draw(st.lists(st.sampled_from(objects), max_size=2)):
        target, before = get_at(new, pointer), get_at(old, pointer)
        key = draw(hostile_text().filter(lambda k, t=target, b=before: k not in t and k not in b))
        target[key] = draw(mutation_values())
        paths.add(json_path((*pointer, key)))
    return old, new, paths, draw(st.booleans())


@fuzz_settings("diff_paths")
@given(edit=edited_entries())
def test_diff_reports_exactly_the_changed_paths(edit: tuple[Entry, Entry, set[str], bool]) -> None:
    """Invariant 5b: edited texts diff to exactly the edited paths (plus ``file`` when moved)."""
    old, new, paths, moved = edit
    with observed("5-diff", "test_diff_reports_exactly_the_changed_paths", edit):
        changes = field_changes(old, new)
        assert sorted(c.path for c in changes) == sorted(paths)
        before = {"leaderboard_single.json": json.dumps([old], indent=2, ensure_ascii=False)}
        target = "leaderboard_multi.json" if moved else "leaderboard_single.json"
        after = {target: json.dumps([new], indent="\t", ensure_ascii=False)}
        result = diff_entries(
            index_entries({n: load(n, t).data for n, t in before.items()}),
            index_entries({n: load(n, t).data for n, t in after.items()}),
        )
        assert (list(result.added), list(result.removed)) == ([], [])
        reported = [c.path for c in result.changed.get(old["entry_id"], [])]
        expected = sorted(paths | ({FILE_FIELD} if moved else set()))
        assert sorted(reported) == expected


# ------------------------------------------------------------------------------- 6. summary

ALLOWED_TAGS = {
    "h3",
    "h4",
    "p",
    "strong",
    "em",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "sub",
    "ul",
    "li",
    "details",
    "summary",
    "blockquote",
    "a",
}
CODE_LANGUAGES = {"json", "sh"}
_OUTSIDE_CODE = re.compile(r"<code>.*?</code>|<pre[^>]*>.*?</pre>", re.S)
_REFERENCE = re.compile(r"@[A-Za-z0-9]|#[0-9]")  # what GitHub turns into a mention or an issue link
_DELIMITER_ROW = re.compile(r"^\|(?:---\|)+$")
_CELL_PIPE = re.compile(r"(?<!\\)\|")  # GFM splits cells at pipes not preceded by a backslash


class _HtmlAudit(HTMLParser):
    """Tags with attributes, comments, and the cells of every row of every table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.tables: list[list[int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def markdown_tables(markdown: str) -> list[list[int]]:
    """Cell counts of the rows of each GFM table in the source (header, delimiter row, body)."""
    lines = markdown.split("\n")
    tables: list[list[int]] = []
    index = 0
    while index < len(lines) - 1:
        if lines[index].startswith("|") and _DELIMITER_ROW.match(lines[index + 1]):
            rows = [lines[index]]
            index += 2
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(lines[index])
                index += 1
            tables.append([len(_CELL_PIPE.findall(row)) - 1 for row in rows])
        else:
            index += 1
    return tables


def check_summary(markdown: str, context: CommentContext, limit: int) -> None:
    """The comment is short enough, and user text in it renders as text only."""
    assert markdown.startswith(MARKER)
    assert len(markdown) <= limit
    markdown.encode("utf-8")
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    audit = _HtmlAudit()
    audit.feed(html)
    audit.close()
    truncated = "> [!NOTE]" in markdown
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, (tag, attrs)
        if tag == "a":  # the only link the bot makes: to the full report, when it shortened the comment
            assert truncated, attrs
            assert attrs == [("href", context.full_report)], attrs
        elif tag == "pre":
            assert attrs == [] or (
                len(attrs) == 1 and attrs[0][0] == "lang" and attrs[0][1] in CODE_LANGUAGES
            )
        else:
            assert attrs == [], (tag, attrs)
    assert audit.comments == [MARKER[4:-3]]
    outside = _OUTSIDE_CODE.sub("", html)
    assert _REFERENCE.search(outside) is None, _REFERENCE.search(outside)
    source_tables = markdown_tables(markdown)
    for rows in source_tables:
        assert all(cells == rows[0] for cells in rows), rows
    # The same tables with the same rows (the delimiter row renders as nothing).
    assert [len(rows) for rows in audit.tables] == [len(rows) for rows in source_tables]
    for rows in audit.tables:
        assert all(cells == rows[0] for cells in rows), rows


@dataclasses.dataclass
class Scenario:
    """A submission or an edit whose summary is rendered."""

    entries: list[Any]
    edits: list[tuple[str, int, Pointer | None, Any]] = dataclasses.field(default_factory=list)
    policy: str = "keep-both"
    maintainer: bool = False
    limit: int = LIMIT
    full_report: str | None = "https://example.invalid/run/1"


def _renumbered(entry: Any, number: int) -> Any:
    """A copy of an entry with a distinct id (for large submissions)."""
    if isinstance(entry, dict) and isinstance(entry.get("entry_id"), str):
        return {**entry, "entry_id": str(uuid.UUID(int=number))}
    return entry


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Submitted entries (valid or mutated), edits of published entries, a comment size limit."""
    entries = draw(st.lists(entries_or_mutants(), max_size=3))
    if entries and draw(st.integers(0, 24)) == 0:  # many entries: the comment must be shortened
        copies = entries * draw(st.integers(10, 30))
        entries = [_renumbered(e, i) for i, e in enumerate(copies)]
    edits: list[tuple[str, int, Pointer | None, Any]] = []
    if draw(st.integers(0, 2)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            name = draw(st.sampled_from([SINGLE, MULTI]))
            index = draw(st.integers(0, 46 if name == SINGLE else 0))
            pointer = draw(
                st.sampled_from([None, ("metrics", "ttft_ms"), ("model", "name"), ("metadata", "notes")])
            )
            edits.append((name, index, pointer, draw(mutation_values())))
    return Scenario(
        entries,
        edits,
        draw(st.sampled_from(["keep-both", "replace", "reject"])),
        draw(st.booleans()),
        draw(st.one_of(st.just(LIMIT), st.integers(3_000, LIMIT))),
        draw(st.sampled_from([None, "https://example.invalid/run/1"])),
    )


def outcome_of(scenario: Scenario) -> Outcome:
    """Evaluate a scenario against the real data, as ``submit`` would."""
    base = real_base()
    files: list[Document] = []
    findings: list[Finding] = []
    if scenario.entries:
        raw = json.dumps(scenario.entries, indent=2, ensure_ascii=False).encode("utf-8")
        result = load_bytes(SUBMISSION, raw, max_bytes=10**8, max_depth=32)
        findings += result.findings
        files += [result.document] if result.document is not None else []
    head: dict[str, Document] | None = None
    if scenario.edits:
        data = {name: copy.deepcopy(doc.data) for name, doc in base.items()}
        for name, index, pointer, value in sorted(scenario.edits, key=lambda e: -e[1]):
            if index >= len(data[name]):
                continue
            if pointer is None:
                del data[name][index]  # a removal
            else:
                data[name][index] = with_value(data[name][index], pointer, value)
        head = {
            name: load(name, json.dumps(items, indent=2, ensure_ascii=False)) for name, items in data.items()
        }
    config = dataclasses.replace(REAL_CONFIG, same_config_policy=scenario.policy)
    submitter = MAINTAINER if scenario.maintainer else Submitter("fuzzer")
    return evaluate(
        base, Submission(files, head=head, submitter=submitter, load_findings=findings), config, now=NOW
    )


HOSTILE_EXAMPLE = with_value(
    with_value(EXAMPLE, ("model", "name"), "http://evil.example @octocat #12 <script>x</script> a|b"),
    ("metrics", "ttft_ms"),
    HUGE_INT,
)


@fuzz_settings("summary")
@given(scenario=scenarios())
@example(scenario=Scenario([HOSTILE_EXAMPLE]))
@example(scenario=Scenario([with_value(EXAMPLE, ("metrics", "error_rate"), HUGE_INT)]))
@example(scenario=Scenario([with_value(EXAMPLE, ("hardware", "vendor"), ["NVIDIA"])]))
@example(scenario=Scenario([with_value(EXAMPLE, ("hardware", "chip_model"), ["Ascend 910B"])]))
@example(scenario=Scenario([], [(SINGLE, 0, ("metrics", "ttft_ms"), HUGE_INT)], maintainer=True))
def test_summary_always_renders(scenario: Scenario) -> None:
    """Invariant 6: render never raises, fits the limit, and user text stays text."""
    with observed("6-summary-renders", "test_summary_always_renders", scenario):
        outcome = outcome_of(scenario)
        context = CommentContext(
            "leaderboard-bot submit data/submissions --dry-run --format markdown", scenario.full_report
        )
        markdown = render(outcome, context, limit=scenario.limit)
        check_summary(markdown, context, scenario.limit)
        assert render(outcome, context, limit=scenario.limit) == markdown


def test_the_budget_is_at_least_five_thousand_examples() -> None:
    """The per-test counts add up to the CI budget (each test runs its count unless it fails)."""
    assert sum(EXAMPLES.values()) >= 5_000 * min(SCALE, 1)
