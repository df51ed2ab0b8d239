"""The metadata of an entry from one workload of a sagellm-benchmark run: when it ran (the metrics'
epoch times; config.json's naive local timestamp only as a fallback, its zone stated) and the command
that reproduces it (``model_path`` and the workload's own ``--workload`` selector).

Pure: functions over parsed JSON; no I/O.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from bot.importer.model import Fields, ImportResult
from bot.importer.spec import is_number, is_placeholder
from bot.importer.workloads import selected, workload

if TYPE_CHECKING:
    from bot.importer.mapping import RunInput

CONFIG = "config.json"
IMPORT = "import"
MSG_CMD_PARTIAL = "metadata.reproducible_cmd lacks --{flag}: config.json has no {flag}"
MSG_CMD_SET = (
    "metadata.reproducible_cmd: --workload {selector} runs {names}: the tool has no selector for {name} alone"
)
MSG_BAD_EPOCH = (
    "metadata.submitted_at: {file} gives {key} {value!r}, which is no moment in epoch seconds, so it is "
    "not used; pass --set metadata.submitted_at=YYYY-MM-DDTHH:MM:SSZ if the time below is wrong"
)
MSG_TIME_LOCAL = (
    "metadata.submitted_at: {file} has no epoch end_time, so config.json's timestamp {old!r} is used; "
    "sagellm-benchmark writes it in the LOCAL time of the machine that ran it, without a zone, and it "
    "is taken as UTC → {new!r}; if that machine was not on UTC pass --set metadata.submitted_at="
    "YYYY-MM-DDTHH:MM:SSZ"
)


def text_of(value: Any) -> str | None:
    """A stripped string that says something, or None for non-strings and placeholders."""
    if isinstance(value, str) and not is_placeholder(value):
        return value.strip()
    return None


def metadata_fields(fields: Fields, run: RunInput, run_id: str, result: ImportResult) -> None:
    """submitted_at, data_source, reproducible_cmd and notes of one workload's entry."""
    _submitted_at(fields, run, result)
    fields.put("metadata.data_source", "automated-benchmark", IMPORT, detail="a sagellm-benchmark run")
    fields.put(
        "metadata.reproducible_cmd",
        _command(run, result),
        CONFIG,
        detail="the workload's selector, backend, model_path, dataset, num_samples",
    )
    fields.put("metadata.notes", f"Benchmark run: {run.workload} (run {run_id})", IMPORT)


def _moment(value: Any) -> datetime | None:
    """The UTC moment of positive epoch seconds, or None (not a number, or out of any calendar)."""
    if not is_number(value) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):  # 1e12 (milliseconds?) is year 33658; 1e308 overflows
        return None


def _submitted_at(fields: Fields, run: RunInput, result: ImportResult) -> None:
    """The run's end from the metrics' epoch seconds; config.json's naive local time only as a fallback."""
    metrics = run.metrics_doc.get("metrics")
    metrics = metrics if isinstance(metrics, Mapping) else {}
    for key in ("end_time", "start_time"):
        value = metrics.get(key)
        moment = _moment(value)
        if moment is not None:
            text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (
                f".{moment.microsecond:06d}" if moment.microsecond else ""
            )
            fields.put("metadata.submitted_at", text + "Z", run.metrics_file, detail=f"{key}, epoch seconds")
            return
        if is_number(value) and value > 0:  # 0 means "not recorded"; a huge number is a mistake
            result.warnings.append(MSG_BAD_EPOCH.format(file=run.metrics_file, key=key, value=value))
    for doc, label in ((run.config, CONFIG), (run.metrics_doc, run.metrics_file)):
        stamp = doc.get("timestamp")
        if stamp in (None, ""):
            continue
        if isinstance(stamp, str) and label == CONFIG and _naive(stamp):
            new = stamp.strip() + "Z"
            result.normalized.append(MSG_TIME_LOCAL.format(file=run.metrics_file, old=stamp, new=new))
            fields.put("metadata.submitted_at", new, label, detail="timestamp, local time taken as UTC")
        else:
            fields.put("metadata.submitted_at", stamp, label, detail="timestamp")
        return


def _naive(stamp: str) -> bool:
    try:
        return datetime.fromisoformat(stamp.strip()).tzinfo is None
    except ValueError:
        return False


def _command(run: RunInput, result: ImportResult) -> str:
    """``sagellm-benchmark run`` for this workload: its own selector, the real --model argument."""
    cfg = run.config
    known = workload(run.workload)
    selector = known.selector if known else run.workload
    if known is not None and selector != known.name:
        names = ", ".join(selected(selector))
        result.normalized.append(MSG_CMD_SET.format(selector=selector, names=names, name=known.name))
    parts = ["sagellm-benchmark", "run", "--workload", selector]
    for flag, keys in (("backend", ("backend",)), ("model", ("model_path", "model"))):
        value = next((text_of(cfg.get(k)) for k in keys if text_of(cfg.get(k))), None) or run.layout.get(flag)
        if value:
            parts += [f"--{flag}", value]
        else:
            result.warnings.append(MSG_CMD_PARTIAL.format(flag=flag))
    for key in ("dataset", "num_samples"):
        value = cfg.get(key)
        if text_of(value) or (is_number(value) and not isinstance(value, float)):
            parts += [f"--{key.replace('_', '-')}", str(value).strip()]
    return " ".join(shlex.quote(part) for part in parts)
