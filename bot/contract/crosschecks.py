"""Rules across entries and files: duplicate ids, entries in the wrong data file, and entries
that measure the same configuration."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from bot.contract.findings import Hit, Pointer, json_path
from bot.contract.lookalikes import FOLDED_AWAY
from bot.contract.rules import section

SINGLE_FILE = "leaderboard_single.json"
MULTI_FILE = "leaderboard_multi.json"

HINT_SAME_ENTRY = (
    "this very entry is already there, so it was merged before — `leaderboard-bot submit` without "
    "--dry-run writes it into the data files: undo that edit (git checkout -- data/) and commit the "
    "submission file alone, or leave the submission file out"
)


class Located:
    """An entry with the file it came from and its pointer in that file.

    A slotted class with its id read once, not a frozen dataclass with properties: a run builds one
    per entry (10,000 in a large data file) and the index, the outliers and the reports read the id
    of each several times.
    """

    __slots__ = ("_configuration", "entry", "entry_id", "file", "pointer")

    def __init__(self, file: str, pointer: Pointer, entry: Mapping[str, Any]) -> None:
        self.file, self.pointer, self.entry = file, pointer, entry
        value = entry.get("entry_id")
        self.entry_id: str | None = value if isinstance(value, str) else None  # the id when it is text
        self._configuration: tuple[Any, ...] | None = None

    def __repr__(self) -> str:
        return f"Located({self.file!r}, {self.pointer!r}, {self.entry!r})"

    @property
    def configuration(self) -> tuple[Any, ...]:
        """The entry's configuration key, computed once for the duplicate and the outlier checks."""
        if self._configuration is None:
            self._configuration = configuration_key(self.entry)
        return self._configuration


@lru_cache(maxsize=256)
def data_file_role(file: str) -> str | None:
    """'single' or 'multi' for the two data files (by file name), None for other files."""
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return {SINGLE_FILE: "single", MULTI_FILE: "multi"}.get(name)


def engine_of(entry: Mapping[str, Any]) -> tuple[str, str]:
    """The engine and its version; entries without them are sageLLM at sagellm_version."""
    metadata = section(entry, "metadata")
    engine = entry.get("engine") or metadata.get("engine") or "sagellm"
    version = entry.get("engine_version") or metadata.get("engine_version") or entry.get("sagellm_version")
    return str(engine).strip().lower().replace(" ", "-"), str(version)


def configuration_key(entry: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two entries measure the same thing: hardware, model, workload, engine."""
    hardware, model, workload = (
        section(entry, "hardware").get,
        section(entry, "model").get,
        section(entry, "workload").get,
    )
    key = (
        hardware("vendor"),
        hardware("chip_model"),
        hardware("chip_count"),
        section(entry, "cluster").get("node_count", 1),
        model("name"),
        model("precision"),
        model("quantization"),
        workload("input_length"),
        workload("output_length"),
        workload("batch_size"),
        workload("concurrent_requests"),
        *engine_of(entry),
    )
    folded = _FOLDED.get
    parts = tuple([(folded(part) or fold(part)) if type(part) is str else part for part in key])
    # The key indexes dictionaries: an array or object where a scalar belongs (a schema error,
    # e.g. "vendor": []) is keyed by its JSON text instead of crashing the run.
    try:
        hash(parts)
    except TypeError:
        return tuple(_hashable(part) for part in parts)
    return parts


# A leaderboard spells the same few names thousands of times: each is folded once, and looked up
# with a plain dictionary read (an lru_cache call costs more than that, eight times per entry).
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 65536


def fold(text: str) -> str:
    """Text as the same-configuration check compares it: NFKC-normalized, with invisible and control
    characters removed, blanks collapsed and trimmed, case folded, so lookalike spellings of one name
    compare equal."""
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        visible = FOLDED_AWAY.sub("", unicodedata.normalize("NFKC", text))
        folded = _FOLDED[text] = " ".join(visible.split()).casefold()
    return folded


def _hashable(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def wrong_file(item: Located) -> Iterator[Hit]:
    """LB303: a multi-node entry in the single-node file or the reverse."""
    role = data_file_role(item.file)
    config_type = item.entry.get("config_type")
    if role == "single" and config_type == "multi_node":
        yield Hit("LB303", (*item.pointer, "config_type"), f"a multi_node entry in {SINGLE_FILE}")
    elif role == "multi" and config_type in ("single_gpu", "multi_gpu"):
        yield Hit("LB303", (*item.pointer, "config_type"), f"a {config_type} entry in {MULTI_FILE}")


class Index:
    """Entries seen so far, by id and by configuration; ``check`` compares a newcomer with them.

    A validation run feeds every entry through ``check``; a submission seeds the index with the
    current data files (cheap dictionary inserts) and checks only the submitted entries, so its
    cost grows with the submission, not with the leaderboard.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, Located] = {}
        self.by_config: dict[tuple[Any, ...], Located] = {}

    def seed(self, item: Located) -> None:
        """Record an entry without checking it."""
        if item.entry_id is not None:
            self.by_id.setdefault(item.entry_id, item)
        self.by_config.setdefault(item.configuration, item)

    def check(self, item: Located) -> Iterator[Hit]:
        """Duplicate id or same configuration as an entry already seen; then record the entry."""
        entry_id = item.entry_id
        if entry_id is not None:
            first = self.by_id.setdefault(entry_id, item)
            if first is not item:
                rule = "LB301" if first.file == item.file else "LB302"
                where = "earlier in this file" if rule == "LB301" else f"in {first.file}"
                message = f"entry_id {entry_id} is already used {where} (at {json_path(first.pointer)})"
                # The very same entry twice is one merged already (a local `submit` writes data/).
                hint = HINT_SAME_ENTRY if rule == "LB302" and first.entry == item.entry else None
                yield Hit(rule, (*item.pointer, "entry_id"), message, hint)
                return
        same = self.by_config.setdefault(item.configuration, item)
        if same is not item:
            other = same.entry_id or json_path(same.pointer)
            yield Hit("LB304", item.pointer, f"same configuration as entry {other} in {same.file}")


def cross_checks(items: Sequence[Located]) -> Iterator[tuple[Located, Hit]]:
    """Entries in the wrong data file, duplicate ids (within and across files), same configurations."""
    index = Index()
    roles = {item.file: data_file_role(item.file) for item in items}
    for item in items:
        if roles[item.file] is not None:
            for hit in wrong_file(item):
                yield item, hit
        for hit in index.check(item):
            yield item, hit
