"""The submission pipeline: collecting, normalizing, checking and merging submitted entries."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from tests.support.paths import ROOT

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
SINGLE_PATH, MULTI_PATH = "data/leaderboard_single.json", "data/leaderboard_multi.json"
EXAMPLE = json.loads((ROOT / "examples" / "single-gpu.json").read_text())
MULTI_EXAMPLE = json.loads((ROOT / "examples" / "multi-node.json").read_text())


def _doc(name: str, data: Any = None, text: str | None = None) -> Document:
    raw = (text if text is not None else json.dumps(data, indent=2)).encode()
    result = load_bytes(name, raw, max_bytes=10**8, max_depth=32)
    assert result.document is not None, result.findings
    return result.document


def _base() -> dict[str, Document]:
    return {
        SINGLE_PATH: _doc(SINGLE_PATH, text=(ROOT / SINGLE_PATH).read_text()),
        MULTI_PATH: _doc(MULTI_PATH, text=(ROOT / MULTI_PATH).read_text()),
    }


def _submit(*entries: Any, config: Config | None = None, submitter: Submitter | None = None) -> Outcome:
    files = [_doc(f"data/submissions/s{i}.json", e) for i, e in enumerate(entries)]
    return evaluate(_base(), Submission(files, submitter=submitter), config or Config(), now=NOW)


def _rules(outcome: Outcome) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in outcome.findings]


def test_a_valid_entry_is_appended_to_the_single_node_file() -> None:
    outcome = _submit(EXAMPLE)
    assert outcome.errors == []
    assert list(outcome.merge.texts) == [SINGLE_PATH]
    merged = json.loads(outcome.merge.texts[SINGLE_PATH])
    assert merged[-1] == EXAMPLE
    assert len(merged) == 48
    assert [(c.kind, c.entry_id, c.target) for c in outcome.merge.changes] == [
        ("added", EXAMPLE["entry_id"], SINGLE_PATH)
    ]


def test_multi_node_entries_go_to_the_multi_node_file() -> None:
    outcome = _submit(MULTI_EXAMPLE, EXAMPLE)
    assert sorted(outcome.merge.texts) == [MULTI_PATH, SINGLE_PATH]
    assert json.loads(outcome.merge.texts[MULTI_PATH])[-1]["entry_id"] == MULTI_EXAMPLE["entry_id"]


def test_missing_id_time_and_submitter_are_filled_in() -> None:
    entry = copy.deepcopy(EXAMPLE)
    del entry["entry_id"], entry["metadata"]["submitted_at"], entry["metadata"]["submitter"]
    outcome = _submit(entry, submitter=Submitter("octocat"))
    assert outcome.errors == []
    added = json.loads(outcome.merge.texts[SINGLE_PATH])[-1]
    assert uuid.UUID(added["entry_id"]).version == 4
    assert added["metadata"]["submitted_at"] == "2026-11-27T12:00:00Z"
    assert added["metadata"]["submitter"] == "octocat"
    assert len(outcome.submitted[0].notes) == 3


def test_submitter_cannot_claim_verified_but_a_maintainer_can() -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["metadata"]["verified"] = True
    outcome = _submit(entry)
    assert _rules(outcome) == [("LB206", "warning")]
    assert json.loads(outcome.merge.texts[SINGLE_PATH])[-1]["metadata"]["verified"] is False
    maintainer = _submit(copy.deepcopy(entry), submitter=Submitter("lead", is_maintainer=True))
    assert maintainer.findings == []
    assert json.loads(maintainer.merge.texts[SINGLE_PATH])[-1]["metadata"]["verified"] is True


def test_an_existing_id_is_refused_and_nothing_is_written() -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["entry_id"] = json.loads((ROOT / SINGLE_PATH).read_text())[3]["entry_id"]
    outcome = _submit(entry)
    assert ("LB302", "error") in _rules(outcome)
    assert outcome.merge.texts == {}


def test_the_same_id_twice_in_a_submission_is_refused() -> None:
    outcome = _submit(EXAMPLE, EXAMPLE)
    assert _rules(outcome) == [("LB302", "error")]
    assert outcome.merge.texts == {}


def test_schema_errors_block_the_merge() -> None:
    entry = copy.deepcopy(EXAMPLE)
    entry["metrics"]["error_rate"] = 12
    outcome = _submit(entry)
    (finding,) = outcome.errors
    assert (finding.file, finding.line, finding.path) == (
        "data/submissions/s0.json",
        35,
        "$.metrics.error_rate",
    )
    assert outcome.merge.texts == {}


def _twin() -> dict[str, Any]:
    twin = copy.deepcopy(EXAMPLE)
    twin["entry_id"] = "0f0e0d0c-0b0a-4908-8706-050403020100"
    twin["metrics"]["throughput_tps"] = 150.0
    return twin


@pytest.mark.parametrize(
    ("policy", "severity", "count"),
    [("keep-both", "warning", 49), ("replace", "warning", 48), ("reject", "error", None)],
)
def test_same_configuration_policies(policy: str, severity: str, count: int | None) -> None:
    base = _base()
    first = evaluate(base, Submission([_doc("data/submissions/a.json", EXAMPLE)]), Config(), now=NOW)
    base[SINGLE_PATH] = _doc(SINGLE_PATH, text=first.merge.texts[SINGLE_PATH])
    outcome = evaluate(
        base,
        Submission([_doc("data/submissions/b.json", _twin())]),
        Config(same_config_policy=policy),
        now=NOW,
    )
    assert _rules(outcome) == [("LB304", severity)]
    assert EXAMPLE["entry_id"] in outcome.findings[0].message
    if count is None:
        assert outcome.merge.texts == {}
        return
    merged = json.loads(outcome.merge.texts[SINGLE_PATH])
    assert len(merged) == count
    ids = [e["entry_id"] for e in merged]
    assert ids.count(_twin()["entry_id"]) == 1
    assert (EXAMPLE["entry_id"] in ids) == (policy == "keep-both")
    if policy == "replace":
        assert outcome.merge.changes[0].kind == "replaced"
        replaced = f"replaced {EXAMPLE['entry_id']} with {_twin()['entry_id']}"
        assert outcome.merge.changes[0].summary == replaced


def test_replace_never_replaces_a_verified_entry() -> None:
    base, verified = _base(), copy.deepcopy(EXAMPLE)
    verified["metadata"]["verified"] = True
    data = json.loads(base[SINGLE_PATH].text)
    base[SINGLE_PATH] = _doc(SINGLE_PATH, [*data, verified])
    twin = Submission([_doc("data/submissions/b.json", _twin())])
    outcome = evaluate(base, twin, Config(same_config_policy="replace"), now=NOW)
    assert _rules(outcome) == [("LB304", "warning")]
    assert "the verified entry " + EXAMPLE["entry_id"] in outcome.findings[0].message
    assert [c.summary for c in outcome.merge.changes] == [f"added {_twin()['entry_id']}"]
    ids = [e["entry_id"] for e in json.loads(outcome.merge.texts[SINGLE_PATH])]
    assert ids[-2:] == [EXAMPLE["entry_id"], _twin()["entry_id"]]


def _edited(change: Any) -> dict[str, Document]:
    data = json.loads((ROOT / SINGLE_PATH).read_text())
    change(data)
    return {SINGLE_PATH: _doc(SINGLE_PATH, data), MULTI_PATH: _base()[MULTI_PATH]}


def test_edited_data_files_submit_their_new_entries() -> None:
    head = _edited(lambda data: data.append(EXAMPLE))
    outcome = evaluate(_base(), Submission([], head=head), Config(), now=NOW)
    assert outcome.errors == []
    assert [c.kind for c in outcome.merge.changes] == ["added"]
    assert outcome.merge.changes[0].source == SINGLE_PATH
    assert json.loads(outcome.merge.texts[SINGLE_PATH])[-1] == EXAMPLE


def test_changing_or_removing_published_entries_needs_a_maintainer() -> None:
    def edit(data: list[dict[str, Any]]) -> None:
        data[2]["metrics"]["ttft_ms"] = 1.0
        del data[5]

    outcome = evaluate(_base(), Submission([], head=_edited(edit)), Config(), now=NOW)
    assert sorted((f.rule, f.severity) for f in outcome.errors) == [("LB305", "error"), ("LB306", "error")]
    assert outcome.merge.texts == {}
    allowed = evaluate(_base(), Submission([], head=_edited(edit)), Config(), now=NOW, allow_changes=True)
    assert allowed.errors == []
    assert sorted(c.kind for c in allowed.merge.changes) == ["changed", "removed"]
    merged = json.loads(allowed.merge.texts[SINGLE_PATH])
    assert len(merged) == 46
    assert merged[2]["metrics"]["ttft_ms"] == 1.0
    changed = next(c for c in allowed.merge.changes if c.kind == "changed")
    assert [(f.path, f.new) for f in changed.fields] == [("$.metrics.ttft_ms", 1.0)]


def test_an_entry_moved_to_the_wrong_data_file_is_reported() -> None:
    head = _edited(lambda data: data.append(MULTI_EXAMPLE))
    outcome = evaluate(_base(), Submission([], head=head), Config(), now=NOW)
    assert ("LB303", "error") in _rules(outcome)
