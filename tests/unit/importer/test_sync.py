"""bot.importer.sync, the pure plan: which published entries a dataset adds or changes, and where
problems are."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.contract.config import Config, load_config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.fs import load_data_dir
from bot.github.routing import Event, Router
from bot.importer.sync import HubFiles, SyncPlan, plan_sync
from tests.support.bot_stage import ROOT
from tests.support.paths import SAGELLM_CORPUS

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)
DATASET = "intellistream/sagellm-benchmark-results"
SINGLE = json.loads((SAGELLM_CORPUS / "hf_data" / "leaderboard_single.json").read_bytes())
CANONICAL = sorted((SAGELLM_CORPUS / "upload_hf" / "canonical").glob("*.json"))


def config() -> Config:
    path = ROOT / ".github" / "leaderboard-bot.yml"
    loaded, problems = load_config(str(path), path.read_bytes())
    assert problems == []
    return loaded


def base() -> dict[str, Document]:
    documents, findings = load_data_dir(str(ROOT / "data"), config())
    assert findings == []
    return documents


def aggregate(single: list[Any], multi: list[Any] | None = None) -> HubFiles:
    files = {
        "leaderboard_single.json": json.dumps(single, indent=2).encode(),
        "leaderboard_multi.json": json.dumps(multi or [], indent=2).encode(),
    }
    return HubFiles(DATASET, "a" * 40, "aggregate", files)


def plan(hub: HubFiles, documents: dict[str, Document] | None = None) -> SyncPlan:
    return plan_sync(hub, documents or base(), config(), NOW)


def published_after(result: SyncPlan, documents: dict[str, Document]) -> list[dict[str, Any]]:
    """The single-node entries as the plan's text would leave them."""
    name = next(name for name in documents if name.endswith("leaderboard_single.json"))
    entries: list[dict[str, Any]] = json.loads(result.texts.get(name, documents[name].text))
    return entries


def test_new_entries_are_appended_and_problems_point_at_the_dataset_file() -> None:
    result = plan(aggregate(SINGLE))
    assert result.outcome is not None
    assert [c.kind for c in result.outcome.merge.changes] == ["added"] * len(SINGLE)
    assert {c.source for c in result.outcome.merge.changes} == {
        f"hf://datasets/{DATASET}/leaderboard_single.json"
    }
    hub_findings = [f for f in result.outcome.findings if f.file.startswith("hf://")]
    assert hub_findings
    assert all(f.line is not None and f.pointer and isinstance(f.pointer[0], int) for f in hub_findings)
    lb504 = next(f for f in hub_findings if f.rule == "LB504" and f.pointer[1:] == ("model", "precision"))
    assert lb504.pointer[0] == 0
    assert lb504.line == 21


def test_what_is_published_already_is_no_change() -> None:
    documents = base()
    single = json.loads(next(d.text for n, d in documents.items() if n.endswith("single.json")))
    result = plan(aggregate(single), documents)
    assert result.changes == 0
    assert result.entries == len(single)


def test_an_entry_changed_on_the_dataset_replaces_the_published_one_in_place() -> None:
    documents = base()
    name = next(n for n in documents if n.endswith("single.json"))
    single = json.loads(documents[name].text)
    single[3]["metrics"]["throughput_tps"] = 1234.5
    result = plan(aggregate(single), documents)
    assert result.outcome is not None
    (change,) = result.outcome.merge.changes
    assert (change.kind, change.entry_id) == ("changed", single[3]["entry_id"])
    after = published_after(result, documents)
    assert len(after) == len(single)
    assert after[3]["metrics"]["throughput_tps"] == 1234.5


def test_a_reuploaded_run_keeps_its_published_id_and_its_verification() -> None:
    documents = base()
    first = plan(aggregate(SINGLE[:1]), documents)
    name = next(n for n in documents if n.endswith("single.json"))
    entries = json.loads(first.texts[name])
    entries[-1]["metadata"]["verified"] = True  # a maintainer verified it after the first sync merged
    merged = {**documents, **_parsed({name: json.dumps(entries, indent=2)})}
    again = json.loads(json.dumps(SINGLE[0]))
    again["entry_id"] = "11111111-2222-4333-8444-555555555555"  # upload-hf gave the run a new id
    again["metrics"]["ttft_ms"] = 250.0
    result = plan(aggregate([again]), merged)
    assert result.outcome is not None
    (change,) = result.outcome.merge.changes
    assert (change.kind, change.entry_id) == ("changed", SINGLE[0]["entry_id"])
    updated = published_after(result, merged)[-1]
    assert updated["entry_id"] == SINGLE[0]["entry_id"]
    assert updated["metrics"]["ttft_ms"] == 250.0
    assert updated["metadata"]["verified"] is True


def test_canonical_files_are_one_entry_each() -> None:
    files = {f"canonical/{path.name}": path.read_bytes() for path in CANONICAL}
    result = plan(HubFiles(DATASET, "b" * 40, "canonical", files))
    assert result.outcome is not None
    assert result.entries == len(CANONICAL)
    sources = {c.source for c in result.outcome.merge.changes}
    assert sources == {f"hf://datasets/{DATASET}/canonical/{path.name}" for path in CANONICAL}


def test_unusable_files_are_findings_and_no_plan() -> None:
    hub = HubFiles(
        DATASET,
        "c" * 40,
        "aggregate",
        {"leaderboard_single.json": b'[{"a": 1,\n "a": 2}]', "leaderboard_multi.json": b'{"x": 1}'},
    )
    result = plan(hub)
    assert result.unreadable
    assert result.outcome is None
    assert result.texts == {}
    where = {(f.file.rsplit("/", 1)[-1], f.rule, f.line) for f in result.findings}
    assert ("leaderboard_single.json", "LB002", 2) in where
    assert any(name == "leaderboard_multi.json" and rule != "LB002" for name, rule, _ in where)


def test_a_sync_section_is_validated() -> None:
    good, problems = load_config(
        "c.yml", b"sync:\n  dataset: owner/name\n  revision: v1.2\n  source: canonical\n"
    )
    assert problems == []
    assert good.sync is not None
    assert (good.sync.dataset, good.sync.revision, good.sync.source) == ("owner/name", "v1.2", "canonical")
    assert Config().sync is None
    _, problems = load_config(
        "c.yml", b"sync:\n  dataset: name\n  revision: a b\n  source: both\n  sorce: x\n"
    )
    messages = [(f.line, f.message) for f in problems]
    assert (
        2,
        '"name" is not a valid value for dataset: expected a dataset id such as owner/name',
    ) in messages
    assert (3, '"a b" is not a valid value for revision: expected a branch, tag or commit SHA') in messages
    assert (4, '"both" is not a valid value for source: expected aggregate | canonical') in messages
    assert any(f.hint == 'did you mean "source"?' for f in problems)
    _, problems = load_config("c.yml", b"sync:\n  revision: main\n")
    assert [f.message for f in problems] == [
        "sync needs dataset: the Hugging Face dataset id, such as owner/name"
    ]


def test_an_event_without_an_action_runs_its_handler_once() -> None:
    router, calls = Router(), []
    router.register("schedule")(lambda event, ctx: calls.append(event.name))
    assert router.dispatch(Event("schedule", {"schedule": "17 * * * *"}), None) == 1  # type: ignore[arg-type]
    assert calls == ["schedule"]


def _parsed(texts: dict[str, str]) -> dict[str, Document]:
    result = {}
    for name, text in texts.items():
        loaded = load_bytes(name, text.encode(), max_bytes=1 << 26, max_depth=32)
        assert loaded.document is not None
        result[name] = loaded.document
    return result
