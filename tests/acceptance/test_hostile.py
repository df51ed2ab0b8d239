"""The hostile-input corpus (tests/cases/hostile/): every case through its channel, compared with the
expectation beside it. Every case ends in its expected exit code, rule ids and message, with no
traceback and no change to the published data (the data copy, or the stand-in's base branch).

Figures go to test-output/hostile-summary.json (see tests/support/hostile_support.py).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.hostile_support import (
    BIDI,
    CHANNELS,
    CORPUS,
    DATA,
    GENERATORS,
    KEYS,
    PR_FILE_GENERATORS,
    Case,
    Observed,
    Recorder,
    load_cases,
    main_state,
    run_config,
    run_import,
    run_issue_e2e,
    run_issue_form,
    run_pr,
    run_pr_files,
    run_submit,
    run_validate,
    snapshot,
)

CASES = load_cases()
DATA_BEFORE = snapshot(DATA)


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    """Collects the results; writes the summary when the module is done."""
    rec = Recorder()
    yield rec
    rec.write_summary(CASES)


def _cases(*channels: str) -> list[Any]:
    return [pytest.param(case, id=case.name) for case in CASES if case.channel in channels]


def _check(case: Case, observed: Observed, expected: dict[str, Any] | None = None) -> None:
    """Exit code, exact rule set, message fragment, and no traceback."""
    expected = expected or case.spec
    assert "Traceback" not in observed.printed, observed.printed[-3000:]
    assert observed.exit == expected["exit"], (observed.exit, observed.messages[:5], observed.printed[-2000:])
    assert observed.rules == set(expected.get("rules", [])), observed.messages[:10]
    if "message" in expected:
        assert observed.has_message(expected["message"]), (expected["message"], observed.messages[:10])


def _recorded(recorder: Recorder, case: Case, run: Callable[[], Observed]) -> None:
    """Run a case and record its outcome, passed or not."""
    started, observed = time.perf_counter(), None
    try:
        observed = run()
    except Exception as exc:
        recorder.record(case, observed, time.perf_counter() - started, str(exc)[:500])
        raise
    recorder.record(case, observed, time.perf_counter() - started, None)


def _dotted(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _same(actual: Any, expected: Any) -> bool:
    """Equal, and -0.0 stays -0.0."""
    if isinstance(expected, float) and isinstance(actual, float):
        return json.dumps(actual) == json.dumps(expected)
    return bool(actual == expected)


# ----------------------------------------------------------------------------- the corpus


def test_the_corpus_covers_every_channel_with_sixty_cases_or_more() -> None:
    counts = {channel: sum(1 for c in CASES if c.channel == channel) for channel in CHANNELS}
    assert len(CASES) >= 60
    assert all(counts.values()), counts


def _problems(case: Case) -> list[str]:
    """What is wrong with an expectation file (unknown keys, a missing input or generator, ...)."""
    problems = [f"unknown key {key}" for key in sorted(set(case.spec) - KEYS)]
    if case.channel not in CHANNELS or not case.spec.get("description") or case.exit not in (0, 1, 2):
        problems.append("needs a known channel, a description and an exit code of 0, 1 or 2")
    if case.exit and "message" not in case.spec:
        problems.append("a rejection needs its message")
    path = case.input_path()
    if path is not None and not path.is_file():
        problems.append(f"{path.name} is missing")
    if case.spec.get("generator", next(iter(GENERATORS))) not in GENERATORS:
        problems.append(f"unknown generator {case.spec['generator']}")
    files = case.spec.get("files")
    for spec in files.values() if isinstance(files, dict) else []:
        if spec.get("generator", "six_megabyte_entry") not in PR_FILE_GENERATORS:
            problems.append(f"unknown file generator {spec['generator']}")
    return problems


def test_every_expectation_is_well_formed() -> None:
    problems = {case.name: _problems(case) for case in CASES}
    assert {name: found for name, found in problems.items() if found} == {}


def test_committed_inputs_are_small() -> None:
    """Large inputs are generated at test time, never committed."""
    assert [p.name for p in CORPUS.iterdir() if p.stat().st_size > 64_000] == []


# ------------------------------------------------------------------------- submission files


def _check_data(case: Case, observed: Observed) -> None:
    """Rejected: the data files are byte for byte the same. Accepted: only new entries appended."""
    before, after = observed.extra["before"], observed.extra["after"]
    assert observed.extra["leftovers"] == []
    if case.spec.get("data", "unchanged") == "unchanged":
        assert after == before, "the data files changed"
        return
    report = observed.extra["report"]
    appended = 0
    for name, old in before.items():
        new = after[name]
        assert new.startswith(old[: old.rindex(b"}") + 1]), f"{name}: published bytes changed"
        old_entries, new_entries = json.loads(old), json.loads(new)
        assert new_entries[: len(old_entries)] == old_entries
        appended += len(new_entries) - len(old_entries)
    assert appended == len(report["added"]) > 0
    written = json.loads(after["leaderboard_single.json"])[-1]
    for path, value in case.spec.get("written", {}).items():
        assert _same(_dotted(written, path), value), (path, _dotted(written, path))


@pytest.mark.parametrize("case", _cases("submission", "data-edit"))
def test_submit(case: Case, tmp_path: Path, recorder: Recorder) -> None:
    def run() -> Observed:
        observed = run_submit(case, tmp_path)
        _check(case, observed)
        _check_data(case, observed)
        if "added" in case.spec:
            assert len(observed.extra["report"]["added"]) == case.spec["added"]
        return observed

    _recorded(recorder, case, run)


@pytest.mark.parametrize("case", _cases("submission"))
def test_validate(case: Case, tmp_path: Path) -> None:
    started = time.perf_counter()
    observed = run_validate(case, tmp_path)
    assert time.perf_counter() - started < case.spec.get("max_seconds", 60)
    expected = {**case.spec, **case.spec.get("validate", {})}
    if "validate" in case.spec and "message" not in case.spec["validate"]:
        expected.pop("message", None)
    _check(case, observed, expected)


# ----------------------------------------------------------------------------- issue forms


def _check_comment(case: Case, comment: str) -> None:
    """The comment is inert Markdown, carries the expected text and fits GitHub's limit."""
    assert len(comment) <= case.spec.get("comment_limit", 65_000)
    if "comment_contains" in case.spec:
        assert case.spec["comment_contains"] in comment
    if case.spec.get("comment_safe"):
        import cmarkgfm
        from cmarkgfm.cmark import Options

        page = cmarkgfm.github_flavored_markdown_to_html(comment, options=Options.CMARK_OPT_UNSAFE)
        prose = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", page, flags=re.DOTALL)  # literal text
        for unsafe in ("<img", 'href="http://evil', "<strong>bold"):
            assert unsafe not in page, unsafe
        assert page.count("<!--") == 1, "an HTML comment besides the bot's marker"
        for mention in ("@octocat", "#123"):  # GitHub links these outside code only
            assert mention not in prose, mention
        assert not BIDI.search(comment), "a bidirectional control reached the comment"


@pytest.mark.parametrize("case", _cases("issue-form"))
def test_issue_form(case: Case, tmp_path: Path, recorder: Recorder) -> None:
    def run() -> Observed:
        observed = run_issue_form(case, tmp_path)
        _check(case, observed)
        _check_comment(case, observed.extra["comment"])
        if case.exit:
            assert observed.extra["texts"] == {}, "a rejected form planned writes"
        for path, value in case.spec.get("entry", {}).items():
            assert _same(_dotted(observed.extra["entry"], path), value), path
        return observed

    _recorded(recorder, case, run)


# ------------------------------------------------------------------- run directories, config


@pytest.mark.parametrize("case", _cases("import"))
def test_import(case: Case, tmp_path: Path, recorder: Recorder) -> None:
    def run() -> Observed:
        observed = run_import(case, tmp_path)
        _check(case, observed)
        written = observed.extra["written"]
        assert not [name for name in written if not name.endswith(".json")], written  # no temp files
        assert bool(written) == case.spec["written"], written
        return observed

    _recorded(recorder, case, run)


@pytest.mark.parametrize("case", _cases("config"))
def test_config(case: Case, tmp_path: Path, recorder: Recorder) -> None:
    def run() -> Observed:
        observed = run_config(case, tmp_path)
        _check(case, observed)
        return observed

    _recorded(recorder, case, run)


@pytest.mark.parametrize("case", _cases("pr-files"))
def test_pr_file_names(case: Case, recorder: Recorder) -> None:
    def run() -> Observed:
        observed = run_pr_files(case)
        _check(case, observed)
        assert observed.extra["submissions"] == [], "a blocked name was taken as a submission"
        return observed

    _recorded(recorder, case, run)


# ------------------------------------------------------------------------------ the stand-in


@pytest.fixture
def stage(github_standin: Any, tmp_path: Path) -> Any:
    """The stand-in repository seeded with the real data (tests/support/bot_stage.py)."""
    from tests.support.bot_stage import Stage

    return Stage(github_standin, tmp_path)


@pytest.mark.parametrize("case", _cases("pr"))
def test_pull_request(case: Case, stage: Any, recorder: Recorder) -> None:
    def run() -> Observed:
        before = main_state(stage)
        observed = run_pr(case, stage)
        _check(case, observed)
        assert main_state(stage) == before, "the base branch changed"
        assert observed.extra["merged"] is False
        if "bot_comments" in case.spec:
            assert len(observed.extra["bot_comments"]) == case.spec["bot_comments"]
        if case.spec.get("user_comment_intact"):
            first = observed.extra["comments"][0]
            user_step = case.spec["steps"][0]
            assert (first["user"]["login"], first["body"]) == (user_step["author"], user_step["body"])
        return observed

    _recorded(recorder, case, run)


@pytest.mark.parametrize("case", _cases("issue-e2e"))
def test_issue_end_to_end(case: Case, stage: Any, tmp_path: Path, recorder: Recorder) -> None:
    def run() -> Observed:
        before = main_state(stage)
        observed = run_issue_e2e(case, tmp_path, stage)
        _check(case, observed)
        _check_comment(case, observed.extra["comment"])
        assert observed.extra["pulls"] == case.spec["pulls"]
        assert main_state(stage) == before, "the base branch changed"
        return observed

    _recorded(recorder, case, run)


def test_the_repository_data_is_untouched() -> None:
    """Nothing in the corpus wrote to the repository's own data folder."""
    assert snapshot(DATA) == DATA_BEFORE
