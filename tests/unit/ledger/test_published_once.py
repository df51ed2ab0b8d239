"""Each entry published once: a merge into data files that already publish an id twice is refused
(LB309) unless it removes the extra copies."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from typing import Any

import pytest

from bot.contract.config import Config, load_config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.base_probe import base_index, carry_index
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.published_once import copies
from bot.ledger.submission import Submitter
from tests.support.paths import ROOT

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
SINGLE, MULTI = "data/leaderboard_single.json", "data/leaderboard_multi.json"
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())
MAINTAINER = Submitter("maintainer", is_maintainer=True)


def _doc(name: str, data: Any) -> Document:
    result = load_bytes(name, json.dumps(data, indent=2).encode(), max_bytes=10**8, max_depth=32)
    assert result.document is not None, result.findings
    return result.document


def _real(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((ROOT / name).read_text())
    return data


def _twice() -> list[dict[str, Any]]:
    """The real single-node data with entry 3 published again (changed) as item 40."""
    data = _real(SINGLE)
    again = copy.deepcopy(data[3])
    again["metrics"]["ttft_ms"] = 99.0
    data.insert(40, again)
    return data


def _base(single: list[dict[str, Any]], multi: list[dict[str, Any]] | None = None) -> dict[str, Document]:
    return {SINGLE: _doc(SINGLE, single), MULTI: _doc(MULTI, multi if multi is not None else _real(MULTI))}


def _submit(base: dict[str, Document], **kwargs: Any) -> Outcome:
    files = [_doc("data/submissions/new.json", EXAMPLE)]
    return evaluate(base, Submission(files, **kwargs), Config(), now=NOW)


def test_a_clean_base_publishes_every_id_once() -> None:
    base = _base(_real(SINGLE))
    assert copies(base) == {}
    index = base_index(base[SINGLE])
    assert index is not None
    assert index.repeated == {}


def test_a_submission_into_a_base_that_publishes_an_id_twice_is_refused() -> None:
    data = _twice()
    outcome = _submit(_base(data))
    twice = [f for f in outcome.errors if f.rule == "LB309"]
    assert len(twice) == 1
    finding = twice[0]
    assert (finding.file, finding.path, finding.entry_id) == (SINGLE, "$[40]", data[3]["entry_id"])
    assert finding.message.startswith(f"entry {data[3]['entry_id']} is published 2 times")
    assert f"{SINGLE} $[3], {SINGLE} $[40]" in finding.message
    text = json.dumps(data, indent=2).splitlines()
    assert text[finding.line - 1].strip() == "{"  # the line of item 40 in the base's text
    assert text[finding.line].strip() == f'"entry_id": "{data[40]["entry_id"]}",'
    assert outcome.merge.texts == {}  # nothing is written


def test_an_id_in_both_data_files_is_refused_too() -> None:
    multi = _real(MULTI)
    single = _real(SINGLE)
    single.append(copy.deepcopy(multi[0]))
    outcome = _submit(_base(single, multi))
    twice = [f for f in outcome.errors if f.rule == "LB309"]
    # Placed at the first extra copy, in base order (the single-node file first).
    assert [(f.file, f.path, f.entry_id) for f in twice] == [(MULTI, "$[0]", multi[0]["entry_id"])]
    assert f"{SINGLE} $[{len(single) - 1}], {MULTI} $[0]" in twice[0].message


def test_a_pull_request_that_removes_the_extra_copy_merges_it_away() -> None:
    data = _twice()
    base = _base(data)
    fixed = copy.deepcopy(data)
    del fixed[40]
    head = {SINGLE: _doc(SINGLE, fixed), MULTI: base[MULTI]}
    refused = evaluate(base, Submission([], head=head), Config(), now=NOW)
    assert [f.rule for f in refused.errors] == ["LB306"]  # removing a published copy needs a maintainer
    outcome = evaluate(base, Submission([], head=head, submitter=MAINTAINER), Config(), now=NOW)
    assert outcome.errors == []
    merged = json.loads(outcome.merge.texts[SINGLE])
    assert merged == _real(SINGLE)  # the later copy is gone, the first kept as published


def test_removing_every_copy_removes_both() -> None:
    data = _twice()
    base = _base(data)
    gone = [e for e in data if e["entry_id"] != data[3]["entry_id"]]
    head = {SINGLE: _doc(SINGLE, gone), MULTI: base[MULTI]}
    outcome = evaluate(base, Submission([], head=head, submitter=MAINTAINER), Config(), now=NOW)
    assert outcome.errors == []
    assert json.loads(outcome.merge.texts[SINGLE]) == gone


def test_an_id_repeated_a_thousand_times_is_one_finding_naming_five_places() -> None:
    data = _real(SINGLE)
    data += [copy.deepcopy(data[0]) for _ in range(1000)]
    twice = [f for f in _submit(_base(data)).errors if f.rule == "LB309"]
    assert len(twice) == 1
    assert "published 1001 times" in twice[0].message
    assert twice[0].message.count(SINGLE) == 5
    assert " and 996 more)" in twice[0].message


def test_an_odd_base_without_an_index_is_read_whole() -> None:
    data = [*_twice(), {"entry_id": "odd", "workload": []}]  # a section that is not an object
    base = _base(data)
    assert base_index(base[SINGLE]) is None
    assert copies(base) == {data[3]["entry_id"]: [(SINGLE, 3), (SINGLE, 40)]}
    assert "LB309" in {f.rule for f in _submit(base).errors}


@pytest.mark.parametrize("appended", [[], [0], [0, 0], [5, 5]])
def test_the_index_carried_to_a_merged_file_counts_copies_as_building_it_afresh(appended: list[int]) -> None:
    data = _twice()
    base = _doc(SINGLE, data)
    assert base_index(base) is not None
    added = [copy.deepcopy(data[i]) for i in appended]
    merged = _doc(SINGLE, data + added)
    carry_index(base, merged, added)
    carried = merged.cache["base_index"]
    fresh = base_index(_doc(SINGLE, data + added))
    assert fresh is not None
    assert carried.repeated == fresh.repeated
    assert carried.first_by_id == fresh.first_by_id


def test_a_waiver_cannot_excuse_a_duplicate_publication() -> None:
    raw = b"waivers:\n  - entry_id: x\n    rule: LB309\n    reason: keep it\n"
    config, findings = load_config("leaderboard-bot.yml", raw)
    assert config.waivers == ()
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("LB010", 3, "rule LB309 guards the parser or the merge and cannot be changed")
    ]


def _ids(texts: dict[str, str], base: dict[str, Document]) -> list[str]:
    files = [json.loads(texts[name]) if name in texts else base[name].data for name in (SINGLE, MULTI)]
    return [entry["entry_id"] for data in files for entry in data]


@pytest.mark.parametrize("seed", range(40))
def test_whatever_the_base_and_the_pull_request_a_merge_publishes_each_id_once(seed: int) -> None:
    """Random bases (some publishing an id twice, in one file or in both) and random pull requests
    (new entries, re-used ids, edited data files dropping or repeating items), by maintainers or not:
    a merge that may be written leaves every id published once, and it leaves no base id out but
    those a maintainer's edit removed."""
    rng = random.Random(seed)
    single, multi = _real(SINGLE), _real(MULTI)
    for _ in range(rng.choice((0, 0, 1, 2))):  # ids published twice
        source = rng.choice((single, multi))
        rng.choice((single, multi)).insert(rng.randrange(30), copy.deepcopy(rng.choice(source)))
    base = _base(single, multi)
    maintainer = rng.random() < 0.5
    submitter = MAINTAINER if maintainer else Submitter("someone")
    edited = rng.random() < 0.5
    if edited:  # a pull request that edits the single-node file
        head_data = copy.deepcopy(single)
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.4 and head_data:
                del head_data[rng.randrange(len(head_data))]
            elif roll < 0.7:
                head_data.append(copy.deepcopy(rng.choice(head_data)))  # an id repeated
            else:
                fresh = copy.deepcopy(EXAMPLE)
                fresh["entry_id"] = f"00000000-0000-4000-8000-{rng.randrange(10**12):012d}"
                head_data.append(fresh)
        head = {SINGLE: _doc(SINGLE, head_data), MULTI: base[MULTI]}
        submission = Submission([], head=head, submitter=submitter)
    else:
        entries = []
        for _ in range(rng.randint(1, 3)):
            entry = copy.deepcopy(rng.choice(single) if rng.random() < 0.3 else EXAMPLE)
            entry["entry_id"] = f"00000000-0000-4000-8000-{rng.randrange(10**12):012d}"
            entries.append(entry)
        files = [_doc(f"data/submissions/s{i}.json", e) for i, e in enumerate(entries)]
        submission = Submission(files, submitter=submitter)
    outcome = evaluate(base, submission, Config(), now=NOW)
    if not outcome.merge.texts:
        assert outcome.errors  # refused: and always said why
        return
    ids = _ids(dict(outcome.merge.texts), base)
    assert len(ids) == len(set(ids))
    kept = set(ids)
    lost = {e["entry_id"] for e in single + multi} - kept
    assert not lost or (edited and maintainer)
