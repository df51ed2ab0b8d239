"""The proof on the spliced text: it reads what changed, and it catches a wrong splice."""

from __future__ import annotations

import json
import random

import pytest

from bot.contract.document import Document
from bot.contract.loader import load_bytes
from bot.ledger.merge_verify import Edit, changed_items, prove
from bot.ledger.pieces import Spliced
from bot.ledger.splice import splice
from tests.support.paths import ROOT

NEW = {"entry_id": "new", "nested": {"list": [1, 2], "text": "ü"}}


def _doc(text: str) -> Document:
    result = load_bytes("leaderboard_single.json", text.encode(), max_bytes=10**8, max_depth=32)
    assert result.document is not None
    return result.document


def _real() -> Document:
    return _doc((ROOT / "data" / "leaderboard_single.json").read_text(encoding="utf-8"))


def _edit(
    doc: Document, rng: random.Random
) -> tuple[Edit, dict[int, dict[str, object]], list[dict[str, object]]]:
    count = len(doc.data)
    remove = set(rng.sample(range(count), rng.randint(0, 3)))
    replace = {i: {**NEW, "entry_id": f"r{i}"} for i in rng.sample(range(count), rng.randint(0, 3))}
    append = [{**NEW, "entry_id": f"a{i}"} for i in range(rng.randint(0, 2))]
    return Edit(remove, set(replace) - remove, len(append)), replace, append


@pytest.mark.parametrize("seed", range(25))
def test_the_partial_re_read_equals_a_full_re_read(seed: int) -> None:
    doc, rng = _real(), random.Random(seed)
    edit, replace, append = _edit(doc, rng)
    text = splice(doc.text, doc.item_offsets or [], append=append, replace=replace, remove=set(edit.remove))
    proven = changed_items(doc, text, edit)
    assert proven is not None
    written, dropped = proven.written, proven.dropped
    full = json.loads(text.text)
    kept = [e for i, e in enumerate(doc.data) if i not in edit.remove and i not in edit.replace]
    assert sorted(map(json.dumps, full)) == sorted(map(json.dumps, kept + written))
    assert dropped == [doc.data[i] for i in sorted({*edit.remove, *edit.replace})]
    planned = (
        [doc.data[i] for i in sorted({*edit.remove, *edit.replace})],
        [str(e["entry_id"]) for e in written],
    )
    assert prove({"f": doc}, {"f": text}, {"f": edit}, planned).wrong == []


def test_a_kept_byte_that_changed_is_caught() -> None:
    doc = _real()
    text = splice(doc.text, doc.item_offsets or [], append=[NEW]).text
    at = (doc.item_offsets or [])[3] + 20
    tampered = text[:at] + ("x" if text[at] != "x" else "y") + text[at + 1 :]
    assert changed_items(doc, Spliced.of(tampered), Edit(set(), set(), 1)) is None
    assert changed_items(doc, Spliced.of(text), Edit(set(), set(), 1)) is not None  # compared, equal


def test_a_duplicated_or_lost_entry_fails_the_proof() -> None:
    doc = _real()
    starts = doc.item_offsets or []
    first = doc.text[starts[0] : doc.text.rfind(",", starts[0], starts[1])]
    text = splice(doc.text, starts, append=[NEW])
    duplicated = Spliced.of(text.text.replace("[\n", "[\n  " + first + ",\n", 1))
    planned = ([], ["new"])
    assert changed_items(doc, duplicated, Edit(set(), set(), 1)) is None
    assert prove({"f": doc}, {"f": duplicated}, {"f": Edit(set(), set(), 1)}, planned).wrong != []
    lost = splice(doc.text, starts, append=[NEW], remove={2})  # the plan says nothing was removed
    assert prove({"f": doc}, {"f": lost}, {"f": Edit(set(), set(), 1)}, planned).wrong != []
    assert prove({"f": doc}, {"f": text}, {"f": Edit(set(), set(), 1)}, planned).wrong == []


def test_a_one_line_base_is_proven_too() -> None:
    doc = _doc('[{"entry_id": "a"}, {"entry_id": "b"}]')
    text = splice(doc.text, doc.item_offsets or [], append=[NEW])
    proven = changed_items(doc, text, Edit(set(), set(), 1))
    assert proven is not None
    assert (proven.written, proven.dropped) == ([NEW], [])
    assert prove({"f": doc}, {"f": text}, {"f": Edit(set(), set(), 1)}, ([], ["new"])).wrong == []
    assert prove({"f": doc}, {"f": text}, {"f": Edit(set(), set(), 1)}, ([], [])).wrong == ["new"]


def test_a_base_with_items_that_are_not_objects_is_re_read_whole_as_before() -> None:
    doc = _doc('[\n  {"entry_id": "a"},\n  7\n]')
    text = splice(doc.text, doc.item_offsets or [], append=[NEW])
    # the whole re-read counts the non-object as "?", which the plan never expects: the merge stops
    assert prove({"f": doc}, {"f": text}, {"f": Edit(set(), set(), 1)}, ([], ["new"])).wrong == ["?"]


def test_a_kept_range_that_points_elsewhere_is_caught() -> None:
    doc = _real()
    spliced = splice(doc.text, doc.item_offsets or [], append=[NEW])
    low, high = spliced.pieces[0]  # type: ignore[misc]
    shifted = Spliced(doc.text, ((low + 1, high + 1), *spliced.pieces[1:]))
    assert changed_items(doc, shifted, Edit(set(), set(), 1)) is None
    copied = Spliced(doc.text.encode().decode(), spliced.pieces)  # equal text, not the base's object
    assert changed_items(doc, copied, Edit(set(), set(), 1)) is not None


LAYOUTS = [
    '[\n  {"entry_id": "a"},\n  {"entry_id": "b"},\n  {"entry_id": "c"}\n]\n',
    '[\r\n\t{"entry_id": "a"} ,\r\n\t{"entry_id": "b"}\r\n\t,{"entry_id": "c"}]',
    '[{"entry_id": "a"},{"entry_id": "b"},{"entry_id": "c"}]',
    ' [ {"entry_id": "a", "n": 1.5e3}, {"entry_id": "b", "s": "x,]"}, {"entry_id": "c"} ] \n',
]


@pytest.mark.parametrize("layout", range(len(LAYOUTS)))
@pytest.mark.parametrize("seed", range(10))
def test_reading_the_pieces_proves_what_reading_the_joined_text_does(layout: int, seed: int) -> None:
    doc, rng = _doc(LAYOUTS[layout]), random.Random(seed)
    edit, replace, append = _edit(doc, rng)
    starts = doc.item_offsets or []
    spliced = splice(doc.text, starts, append=append, replace=replace, remove=set(edit.remove))
    by_pieces = changed_items(doc, spliced, edit)
    by_text = changed_items(doc, Spliced.of(spliced.text), edit)  # every kept run compared byte for byte
    assert by_pieces == by_text
    assert by_pieces is not None
    items, _ = by_pieces.layout(doc)
    assert items == json.loads(spliced.text)
