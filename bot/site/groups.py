"""Which entries the page compares, by the validator's own definition (one definition, not two).

Two entries are comparable when ``configuration_key`` (bot/contract/crosschecks.py, the key of the
same-configuration check LB304) says so once the engine is left out: vendor, chip, chip count, nodes,
model, precision, quantization and the workload, with text folded as the validator folds it ("nvidia"
and "NVIDIA" are one vendor). Repeats of one configuration on one engine build share the whole key.
The page gets a small integer per entry for each, equal exactly when the keys are equal.

When it shows entries of several set-ups together (the chart), the page names what they differ in: per
set-up, ``setup_parts`` holds one integer per field of ``SETUP_FIELDS``, equal exactly when that part of
the key is, so "nvidia" and "NVIDIA" are no difference there either, and a missing node count is 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.contract.crosschecks import configuration_key

ENGINE_PARTS = 2  # configuration_key ends with the engine and its version
# Each field the page may name, as the slice of configuration_key it covers (in the page's order).
SETUP_FIELDS = {
    "model": slice(4, 5),
    "quantization": slice(6, 7),
    "precision": slice(5, 6),
    "vendor": slice(0, 1),
    "hardware": slice(1, 3),  # chip and chip count
    "nodes": slice(3, 4),
    "workload": slice(7, 11),  # input and output length, batch size, concurrent requests
}


def configuration_ids(lists: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """Per named list, the set-up id (``setup``) and the contender id (``contender``) of each entry, and
    per set-up id its parts (``setup_parts``, one id per field named in ``setup_fields``)."""
    setups: dict[tuple[Any, ...], int] = {}
    contenders: dict[tuple[Any, ...], int] = {}
    setup: dict[str, list[int]] = {}
    contender: dict[str, list[int]] = {}
    for name, entries in lists.items():
        keys = [configuration_key(e) for e in entries]
        setup[name] = [setups.setdefault(k[:-ENGINE_PARTS], len(setups)) for k in keys]
        contender[name] = [contenders.setdefault(k, len(contenders)) for k in keys]
    values: dict[str, dict[tuple[Any, ...], int]] = {name: {} for name in SETUP_FIELDS}
    parts = [
        [values[name].setdefault(key[cut], len(values[name])) for name, cut in SETUP_FIELDS.items()]
        for key in setups
    ]
    return {
        "setup": setup,
        "contender": contender,
        "setup_fields": list(SETUP_FIELDS),
        "setup_parts": parts,
    }
