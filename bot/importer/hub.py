"""The two shapes sagellm-benchmark publishes to the Hugging Face dataset, as leaderboard entries.

- ``aggregate`` (``scripts/aggregate_for_hf.py``) writes ``hf_data/leaderboard_{single,multi}.json``:
  arrays of exporter entries whose ``sanitize_entry`` turned null into stand-ins (``""`` for
  ``environment.{pytorch,cuda,cann,driver}_version``, ``0.0`` for ``hardware.memory_per_chip_gb`` and
  ``total_memory_gb``) so the Hub's Arrow schema stays one type per column.
- ``upload-hf`` (``cli.py`` ``upload_hf``) uploads one exporter entry per file,
  ``canonical/<sha1(key)[:20]>_leaderboard.json``, adding ``metadata.idempotency_key`` (from
  ``build_idempotency_key``) and ``canonical_path``.

Both hold what ``exporters/leaderboard.py`` wrote, with its own stand-ins and known faults, which
``bot.importer.exported`` undoes or flags. Pure: functions over parsed JSON; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.contract.findings import Finding, Pointer, json_path
from bot.contract.ruletable import RULES
from bot.importer.exported import EXPORT_KEYS, Exported, normalize_exported

MSG_NOT_ARRAY = (
    "{name}: the top level is {kind}; an aggregate file (hf_data/leaderboard_*.json) is a JSON array "
    "of entries"
)
MSG_NOT_OBJECT = "{name} {path}: the item is {kind}, not an entry object; remove it or re-run aggregate"
MSG_NOT_ENTRY = (
    "{name} {path}: not a leaderboard entry (no {missing}); an upload-hf file holds one exporter entry"
)
MSG_NO_KEY = (
    "{name}: no metadata.idempotency_key; an upload-hf canonical entry always has one, so this file "
    "was not written by upload-hf (import it as an exported *_leaderboard.json instead)"
)
MSG_NO_PATH = "{name}: no canonical_path; upload-hf writes canonical/<hash>_leaderboard.json there"
MSG_STAND_IN = "{old} → null at {path} (aggregate_for_hf.py sanitize_entry writes {old} for null)"

# aggregate_for_hf.py sanitize_entry: these nulls become "" and 0.0 on the way to the Hub.
_STAND_INS: tuple[tuple[str, str, Any], ...] = (
    *(("hardware", key, 0.0) for key in ("memory_per_chip_gb", "total_memory_gb")),
    *(
        ("environment", key, "")
        for key in ("cuda_version", "driver_version", "cann_version", "pytorch_version")
    ),
)


@dataclass
class HubEntries:
    """Entries read from one Hub file, the problems found and what was normalized."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def from_aggregate(name: str, data: Any) -> HubEntries:
    """Entries of an ``aggregate`` array, its "" / 0.0 stand-ins turned back into null."""
    out = HubEntries()
    if not isinstance(data, list):
        out.findings.append(_shape(name, (), MSG_NOT_ARRAY.format(name=name, kind=_kind(data))))
        return out
    for index, item in enumerate(data):
        entry = _entry(name, (index,), item, out)
        if entry is None:
            continue
        _undo_stand_ins(entry, (index,), out.notes)
        _add(name, (index,), normalize_exported(entry, (index,)), out)
    return out


def from_canonical(name: str, data: Any) -> HubEntries:
    """The entry of an ``upload-hf`` canonical file, keeping metadata.idempotency_key and canonical_path."""
    out = HubEntries()
    entry = _entry(name, (), data, out)
    if entry is None:
        return out
    metadata = entry.get("metadata")
    key = metadata.get("idempotency_key") if isinstance(metadata, Mapping) else None
    if not (isinstance(key, str) and key.strip()):
        out.findings.append(_shape(name, ("metadata",), MSG_NO_KEY.format(name=name)))
        return out
    if not (isinstance(entry.get("canonical_path"), str) and entry["canonical_path"].strip()):
        out.findings.append(_shape(name, (), MSG_NO_PATH.format(name=name)))
        return out
    _add(name, (), normalize_exported(entry, ()), out)
    return out


def idempotency_key(entry: Mapping[str, Any]) -> str | None:
    """The entry's upload-hf idempotency key: the one it carries, else the one upload-hf would give it
    (``cli.py`` ``build_idempotency_key``), so an aggregate entry and its canonical file match;
    None for what is no entry."""
    if not isinstance(entry, Mapping):
        return None  # type: ignore[unreachable]  # hub data is untyped JSON
    metadata = entry.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    stored = metadata.get("idempotency_key")
    if isinstance(stored, str) and stored.strip():
        return stored.strip()
    model, hardware = _mapping(entry.get("model")), _mapping(entry.get("hardware"))
    if not model or not hardware:
        return None
    cluster = _mapping(entry.get("cluster"))
    parts = (
        _key_engine(entry, metadata),
        _key_engine_version(entry, metadata),
        entry.get("sagellm_version"),
        _key_workload(entry, metadata),
        model.get("name"),
        model.get("precision"),
        hardware.get("chip_model"),
        hardware.get("chip_count"),
        cluster.get("node_count", 1),
        entry.get("config_type"),
    )
    return "|".join(_key_part(part) for part in parts)


def _key_part(value: Any) -> str:
    """cli.py ``_normalize_key_part``: lower case, runs of other characters become one dash."""
    raw = str(value or "unknown").strip().lower()
    text = re.sub(r"-+", "-", re.sub(r"[^a-z0-9._-]+", "-", raw)).strip("-")
    return text or "unknown"


def _key_engine(entry: Mapping[str, Any], metadata: Mapping[str, Any]) -> str:
    raw = entry.get("engine") or metadata.get("engine")
    if isinstance(raw, str) and raw.strip():
        return raw.strip().lower()
    return "sagellm" if entry.get("sagellm_version") else "unknown"


def _key_engine_version(entry: Mapping[str, Any], metadata: Mapping[str, Any]) -> str:
    raw = entry.get("engine_version") or metadata.get("engine_version") or entry.get("sagellm_version")
    return raw.strip() if isinstance(raw, str) and raw.strip() else "unknown"


def _key_workload(entry: Mapping[str, Any], metadata: Mapping[str, Any]) -> str:
    """cli.py ``_extract_workload_for_key``: a named workload, else Q1–Q8 from the notes, else LEGACY."""
    direct = _mapping(entry.get("workload")).get("name") or entry.get("workload_name")
    direct = direct or metadata.get("workload")
    if isinstance(direct, str) and direct.strip():
        return direct.strip().upper()
    found = re.search(r"\bQ([1-8])\b", str(metadata.get("notes") or ""), flags=re.IGNORECASE)
    return f"Q{found.group(1)}" if found else "LEGACY"


def _entry(name: str, pointer: Pointer, item: Any, out: HubEntries) -> dict[str, Any] | None:
    path = json_path(pointer)
    if not isinstance(item, Mapping):
        out.findings.append(
            _shape(name, pointer, MSG_NOT_OBJECT.format(name=name, path=path, kind=_kind(item)))
        )
        return None
    missing = [key for key in EXPORT_KEYS if key not in item]
    if missing:
        message = MSG_NOT_ENTRY.format(name=name, path=path, missing=", ".join(missing))
        out.findings.append(_shape(name, pointer, message))
        return None
    copied: dict[str, Any] = _copy(item)
    return copied


def _undo_stand_ins(entry: dict[str, Any], pointer: Pointer, notes: list[str]) -> None:
    for section, key, stand_in in _STAND_INS:
        values = entry.get(section)
        if not isinstance(values, dict) or key not in values:
            continue
        value = values[key]
        if value == stand_in and type(value) is type(stand_in):
            values[key] = None
            notes.append(MSG_STAND_IN.format(old=_show(stand_in), path=json_path((*pointer, section, key))))


def _add(name: str, pointer: Pointer, exported: Exported, out: HubEntries) -> None:
    out.entries.append(exported.entry)
    out.notes += exported.notes
    for flag in exported.flags:
        rule = RULES[flag.rule]
        out.findings.append(Finding(name, flag.pointer, flag.rule, rule.severity, flag.message, rule.hint))


def _shape(name: str, pointer: Pointer, message: str) -> Finding:
    rule = RULES["LB502"]
    return Finding(name, pointer, rule.id, rule.severity, message, rule.hint)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _kind(value: Any) -> str:
    names = {list: "an array", dict: "an object", str: "a string", type(None): "null", bool: "a boolean"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _show(value: Any) -> str:
    return '""' if value == "" else repr(value)
