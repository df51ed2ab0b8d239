"""Which entries the page compares, by the validator's own definition (one definition, not two).

Two entries are comparable when ``configuration_key`` (bot/contract/crosschecks.py, the key of the
same-configuration check LB304) says so once the engine is left out: vendor, chip, chip count, nodes,
model, precision, quantization and the workload, with text folded as the validator folds it ("nvidia"
and "NVIDIA" are one vendor). Repeats of one configuration on one engine build share the whole key.
The page gets a small integer per entry for each, equal exactly when the keys are equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.contract.crosschecks import configuration_key

ENGINE_PARTS = 2  # configuration_key ends with the engine and its version


def configuration_ids(lists: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """Per named list, the set-up id (``setup``) and the contender id (``contender``) of each entry."""
    setups: dict[tuple[Any, ...], int] = {}
    contenders: dict[tuple[Any, ...], int] = {}
    setup: dict[str, list[int]] = {}
    contender: dict[str, list[int]] = {}
    for name, entries in lists.items():
        keys = [configuration_key(e) for e in entries]
        setup[name] = [setups.setdefault(k[:-ENGINE_PARTS], len(setups)) for k in keys]
        contender[name] = [contenders.setdefault(k, len(contenders)) for k in keys]
    return {"setup": setup, "contender": contender}
