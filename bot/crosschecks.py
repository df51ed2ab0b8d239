"""Rules across entries and files: duplicate ids, entries in the wrong data file, and entries
that measure the same configuration."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.findings import Pointer
from bot.rules import Hit, section

SINGLE_FILE = "leaderboard_single.json"
MULTI_FILE = "leaderboard_multi.json"


@dataclass(frozen=True)
class Located:
    """An entry with the file it came from and its pointer in that file."""

    file: str
    pointer: Pointer
    entry: Mapping[str, Any]

    @property
    def entry_id(self) -> str | None:
        """The entry's id when it is text."""
        value = self.entry.get("entry_id")
        return value if isinstance(value, str) else None


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
        section(entry, "hardware"),
        section(entry, "model"),
        section(entry, "workload"),
    )
    nodes = section(entry, "cluster").get("node_count", 1)
    return (
        hardware.get("vendor"),
        hardware.get("chip_model"),
        hardware.get("chip_count"),
        nodes,
        model.get("name"),
        model.get("precision"),
        model.get("quantization"),
        workload.get("input_length"),
        workload.get("output_length"),
        workload.get("batch_size"),
        workload.get("concurrent_requests"),
        *engine_of(entry),
    )


def wrong_file(item: Located) -> Iterator[Hit]:
    """LB303: a multi-node entry in the single-node file or the reverse."""
    role = data_file_role(item.file)
    config_type = item.entry.get("config_type")
    if role == "single" and config_type == "multi_node":
        yield Hit("LB303", (*item.pointer, "config_type"), f"a multi_node entry in {SINGLE_FILE}")
    elif role == "multi" and config_type in ("single_gpu", "multi_gpu"):
        yield Hit("LB303", (*item.pointer, "config_type"), f"a {config_type} entry in {MULTI_FILE}")


def cross_checks(items: Sequence[Located]) -> Iterator[tuple[Located, Hit]]:
    """Duplicate ids (within and across files) and same-configuration entries."""
    first_by_id: dict[str, Located] = {}
    first_by_config: dict[tuple[Any, ...], Located] = {}
    roles = {item.file: data_file_role(item.file) for item in items}
    for item in items:
        if roles[item.file] is not None:
            yield from ((item, hit) for hit in wrong_file(item))
        entry_id = item.entry_id
        if entry_id is not None:
            first = first_by_id.setdefault(entry_id, item)
            if first is not item:
                rule = "LB301" if first.file == item.file else "LB302"
                where = "earlier in this file" if rule == "LB301" else f"in {first.file}"
                message = f"entry_id {entry_id} is already used {where} (at {_path(first.pointer)})"
                yield item, Hit(rule, (*item.pointer, "entry_id"), message)
                continue
        key = configuration_key(item.entry)
        same = first_by_config.setdefault(key, item)
        if same is not item:
            other = same.entry_id or _path(same.pointer)
            yield item, Hit("LB304", item.pointer, f"same configuration as entry {other} in {same.file}")


def _path(pointer: Pointer) -> str:
    from bot.findings import json_path

    return json_path(pointer)
