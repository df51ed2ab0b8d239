"""What a JSON file that ``leaderboard-bot import`` is given holds, among the outputs of
sagellm-benchmark: an entry (``<workload>_leaderboard.json``), an ``upload-hf`` canonical entry,
an ``aggregate`` array, or one of the payloads that are no results (``perf``, ``compare``, a run's
config, metrics or summary file named on its own), which are refused saying what to import instead.

Pure: looks at parsed JSON; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

MSG_PERF = (
    "{path}: a `sagellm-benchmark perf` payload (kind {kind!r}{simulated}): per-scenario rows of a "
    "performance sweep, not leaderboard entries; import the output of `sagellm-benchmark run` instead "
    "(its run directory outputs/<backend>/<model>/<run>/ or a *_leaderboard.json in it)"
)
MSG_COMPARE = (
    "{path}: a `sagellm-benchmark compare` payload (kind 'compare', {targets}): an engine comparison "
    "against the baseline {baseline!r}, not leaderboard entries; import each engine's own "
    "`sagellm-benchmark run` output instead"
)
MSG_MARKDOWN = (
    "{path}: a Markdown report ({title}), written beside a sagellm-benchmark JSON payload for people "
    "to read; import the JSON outputs of `sagellm-benchmark run` instead"
)
MSG_SUMMARY = (
    "{path}: a run's benchmark summary (per-workload totals only); import its run directory "
    "{directory} instead"
)

Kind = Literal["entry", "canonical", "aggregate", "refused"]
_SIMULATED = {True: ", simulated: true — the numbers were not measured", False: ""}


@dataclass(frozen=True)
class Classified:
    """What a file is, and for a refused one the message saying what to import instead."""

    kind: Kind
    message: str = ""


def classify(path: str, doc: Any, directory: str) -> Classified:
    """Tell an entry, a canonical entry and an aggregate array from the tool's other JSON outputs."""
    if isinstance(doc, list):
        return Classified("aggregate")
    if not isinstance(doc, Mapping):
        return Classified("entry")  # refused by the entry check, with its own message
    kind = doc.get("kind")
    if kind == "compare" or ("targets" in doc and "baseline" in doc):
        targets: Any = doc.get("targets")
        items: list[Any] = targets if isinstance(targets, list) else []
        labels = [str(t.get("label")) for t in items if isinstance(t, Mapping)]
        shown = "targets " + ", ".join(labels) if labels else "no targets"
        return Classified(
            "refused", MSG_COMPARE.format(path=path, targets=shown, baseline=doc.get("baseline"))
        )
    if isinstance(kind, str) and "rows" in doc:
        simulated = _SIMULATED[doc.get("simulate") is True]
        return Classified("refused", MSG_PERF.format(path=path, kind=kind, simulated=simulated))
    if "workloads" in doc and "overall" in doc:
        return Classified("refused", MSG_SUMMARY.format(path=path, directory=directory))
    metadata = doc.get("metadata")
    if isinstance(metadata, Mapping) and "idempotency_key" in metadata and "canonical_path" in doc:
        return Classified("canonical")
    return Classified("entry")


def markdown_report(path: str, text: str) -> str | None:
    """The refusal for a Markdown report the tool wrote (its first heading), or None."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.startswith("# "):
        return MSG_MARKDOWN.format(path=path, title=first[2:].strip())
    return None
