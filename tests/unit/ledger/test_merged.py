"""Merged documents: what the proof hands on must be exactly what loading the merged text gives."""

from __future__ import annotations

import copy
import json
import random
import uuid
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.base_probe import BaseIndex, base_index
from bot.ledger.evaluate import Submission, evaluate
from bot.ledger.merge_verify import Edit, changed_items
from bot.ledger.merged import Limits, merged_document, merged_documents
from bot.ledger.pieces import Spliced
from bot.ledger.splice import splice
from tests.support.fuzz_strategies import all_pointers
from tests.support.paths import ROOT

LIMITS = Limits(max_bytes=10**8, max_depth=32)
FILES = ["leaderboard_single.json", "leaderboard_multi.json"]  # orjson's layout, and tab-indented
NEW = {"entry_id": "new", "nested": {"list": [1, 2.5e-07, None], "text": 'ü \\ "q"'}, "n": 10**20}


def _load(name: str, text: str) -> Document:
    result = load_bytes(name, text.encode(), max_bytes=LIMITS.max_bytes, max_depth=LIMITS.max_depth)
    assert result.document is not None
    assert result.findings == []
    return result.document


def _merged(name: str, seed: int) -> tuple[Document, Spliced, Edit]:
    base = _load(name, (ROOT / "data" / name).read_text(encoding="utf-8"))
    rng, count = random.Random(seed), len(base.data)
    remove = set(rng.sample(range(count), rng.randint(0, min(2, count))))
    replace = {
        i: {**NEW, "entry_id": f"r{i}"} for i in rng.sample(range(count), rng.randint(0, min(2, count)))
    }
    append = [{**NEW, "entry_id": f"a{i}"} for i in range(rng.randint(0, 2))]
    text = splice(base.text, base.item_offsets or [], append=append, replace=replace, remove=remove)
    return base, text, Edit(remove, set(replace) - remove, len(append))


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("seed", range(12))
def test_a_merged_document_is_what_loading_its_text_gives(name: str, seed: int) -> None:
    base, spliced, edit = _merged(name, seed)
    rewritten, text = changed_items(base, spliced, edit), spliced.text
    assert rewritten is not None
    merged = merged_document(base, text, rewritten, LIMITS)
    loaded = _load(name, text)
    if not loaded.data:  # every item removed: only loading reads an empty array
        assert merged is None
        return
    assert merged is not None
    assert (merged.file, merged.kind, merged.text) == (loaded.file, loaded.kind, loaded.text)
    assert merged.data == loaded.data
    assert merged.item_offsets == loaded.item_offsets
    assert merged.plain_objects == loaded.plain_objects == ("\\" not in text)
    pointers = [(), *all_pointers(loaded.data)]
    assert merged.locator.positions(pointers) == loaded.locator.positions(pointers)


def test_only_loading_can_tell_a_file_over_the_limits_or_from_the_precise_loader() -> None:
    base, spliced, edit = _merged(FILES[0], 1)
    rewritten, text = changed_items(base, spliced, edit), spliced.text
    assert rewritten is not None
    assert rewritten.written
    too_large = Limits(max_bytes=len(text.encode()) - 1, max_depth=32)
    assert merged_document(base, text, rewritten, too_large) is None
    depth = max(_depth(item) for item in rewritten.written)  # the array itself is one more level
    assert merged_document(base, text, rewritten, Limits(10**8, depth)) is None
    assert merged_document(base, text, rewritten, Limits(10**8, depth + 1)) is not None
    one_line = _load(FILES[0], json.dumps(base.data))  # neither fast loader reads one line
    spliced = splice(one_line.text, one_line.item_offsets or [], append=[NEW])
    rewritten = changed_items(one_line, spliced, Edit(set(), set(), 1))
    assert rewritten is not None
    assert merged_document(one_line, spliced.text, rewritten, LIMITS) is None


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _submission(seed: int) -> Document:
    entry = json.loads((ROOT / "examples" / "single-gpu.json").read_text(encoding="utf-8"))
    entry["entry_id"] = str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4))
    entry["workload"]["batch_size"] = 100 + seed
    text = json.dumps(entry, indent=2)
    result = load_bytes(f"data/submissions/{seed}.json", text.encode(), max_bytes=10**6, max_depth=32)
    assert result.document is not None
    return result.document


def test_the_next_submission_of_a_batch_sees_the_same_base_either_way() -> None:
    """A batch checks each submission against the merged documents instead of loading the texts:
    the findings and the merged texts must be the same."""
    config = Config()
    base = {f"data/{name}": _load(f"data/{name}", (ROOT / "data" / name).read_text()) for name in FILES}
    first = evaluate(base, Submission([_submission(1)]), config)
    assert not first.errors
    documents = merged_documents(base, first.merge, LIMITS)
    assert documents.keys() == first.merge.texts.keys()
    handed_on = {**base, **documents}
    loaded = {**base, **{name: _load(name, text) for name, text in first.merge.texts.items()}}
    second = _submission(2)
    again = copy.deepcopy(second.data)
    ours, theirs = (evaluate(b, Submission([second]), config) for b in (handed_on, loaded))
    assert second.data == again  # evaluating changed nothing it was given
    assert [f.as_dict() for f in ours.findings] == [f.as_dict() for f in theirs.findings]
    assert ours.merge.texts == theirs.merge.texts
    assert ours.merge.texts
    duplicate = evaluate(handed_on, Submission([_submission(1)]), config)  # already merged: refused
    assert duplicate.errors
    assert duplicate.merge.texts == {}
    assert duplicate.merge.rewritten == {}


def _as_sets(index: BaseIndex | None) -> Any:
    """An index as what its lookups answer (the order of a value's items does not matter)."""
    if index is None:
        return None
    return index.first_by_id, [{value: sorted(items) for value, items in c.items()} for c in index.columns]


@pytest.mark.parametrize("seed", range(6))
def test_an_append_carries_the_base_index_on_and_other_edits_build_it_afresh(seed: int) -> None:
    base = _load(FILES[0], (ROOT / "data" / FILES[0]).read_text(encoding="utf-8"))
    assert base_index(base) is not None
    appended = [{**copy.deepcopy(base.data[seed]), "entry_id": f"a{seed}"}, copy.deepcopy(base.data[0])]
    appended[0]["model"]["name"] = base.data[seed]["model"]["name"].upper()  # folds onto an old value
    for remove, carried in ((set(), True), ({seed}, False)):
        spliced = splice(base.text, base.item_offsets or [], append=appended, remove=remove)
        rewritten, text = changed_items(base, spliced, Edit(remove, set(), len(appended))), spliced.text
        assert rewritten is not None
        merged = merged_document(base, text, rewritten, LIMITS)
        assert merged is not None
        assert ("base_index" in merged.cache) is carried
        assert _as_sets(base_index(merged)) == _as_sets(base_index(_load(FILES[0], text)))
    untouched = _load(FILES[0], base.text)
    assert _as_sets(base_index(base)) == _as_sets(base_index(untouched))  # the base's is as it was


def test_an_odd_item_appended_makes_the_carried_index_none() -> None:
    base = _load(FILES[0], (ROOT / "data" / FILES[0]).read_text(encoding="utf-8"))
    assert base_index(base) is not None
    odd = {**base.data[0], "entry_id": "odd", "hardware": {**base.data[0]["hardware"], "chip_model": ["x"]}}
    spliced = splice(base.text, base.item_offsets or [], append=[odd])
    rewritten = changed_items(base, spliced, Edit(set(), set(), 1))
    assert rewritten is not None
    merged = merged_document(base, spliced.text, rewritten, LIMITS)
    assert merged is not None
    assert merged.cache["base_index"] is None
    assert base_index(_load(FILES[0], spliced.text)) is None
