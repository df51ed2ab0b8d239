"""Build an entry from the issue form's fields filled in one by one. Pure.

Every value is converted to the type the schema wants, with a message naming the field when it
cannot be; the deployment shape (config_type, cluster) follows from the chip and node counts.
What the schema and the rules say about the result is left to the submission pipeline.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from bot.contract.findings import Finding, Severity
from bot.contract.hints import case_fix, did_you_mean, show
from bot.form.fields import BY_ID, MANUAL, FormField, nullable, options
from bot.form.parse import ParsedForm

FORM_FILE = "issue form"
FORM_RULE = "form"
DATA_SOURCE = "community-contribution"
MSG_REQUIRED = "required when no entry is pasted"
HINT_REQUIRED = "fill in this field (edit the issue), or paste a whole entry instead"
MSG_REQUIRED_MULTI = "required for a multi-node entry (2 or more nodes)"
HINT_REQUIRED_MULTI = "fill in this field, or set the number of nodes to 1 for a single-machine run"
MSG_NOT_NUMBER = "{value} is not a number"
HINT_NUMBER = "write a plain number such as 38.4, without units"
MSG_NOT_INTEGER = "{value} is not a whole number"
HINT_INTEGER = "write a whole number such as 128, without units"
HINT_COMMA = "write the decimal separator as a point: {value} is {point}"
HINT_PERCENT = "write a ratio from 0 to 1 without %: 15 % is 0.15"
MSG_NOT_OPTION = "{value} is not one of {options}"
HINT_OPTION = "pick one of the options of the form (edit the issue)"
MSG_CASE = 'read {value} as "{option}"'
HINT_CASE = 'write "{option}" exactly as the form offers it'
MSG_NODES = "{value} is less than 1"
HINT_NODES = "write 1 for a run on one machine, or the number of machines"
MSG_IGNORED = "{value} was ignored: the run used one node"
HINT_IGNORED = "multi-node fields only apply to runs on 2 or more nodes; clear this field"

CLUSTER_FIELDS = ("comm_backend", "topology_type", "inter_node_network")
MULTI_NODE_REQUIRED = ("chips_per_node", "comm_backend", "topology_type", "version_comm")
TOP_ORDER = (
    "entry_id", "sagellm_version", "config_type", "engine", "engine_version", "hardware", "model",
    "workload", "metrics", "cluster", "versions", "environment", "metadata",
)  # fmt: skip

_INT = re.compile(r"[+-]?\d{1,18}")
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
# Thousands separators: "17,210" and "1,234.5". A first group of 0 is a decimal comma ("0,125" means
# 0.125 to much of the world), never 125.
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


@dataclass
class Manual:
    """The entry built from the fields, form-level findings, and the ids of fields in error."""

    entry: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)


def form_finding(
    form_field: FormField, parsed: ParsedForm, severity: Severity, message: str, hint: str
) -> Finding:
    """A finding about one field of the form, at the body line of its value."""
    pointer = form_field.pointer or ()
    text = f"{form_field.label}: {message}"
    return Finding(FORM_FILE, pointer, FORM_RULE, severity, text, hint, parsed.lines.get(form_field.id))


class _Builder:
    def __init__(self, parsed: ParsedForm) -> None:
        self.parsed = parsed
        self.out = Manual()
        self.values: dict[str, Any] = {}

    def report(self, field_id: str, message: str, hint: str, severity: Severity = "error") -> None:
        self.out.findings.append(form_finding(BY_ID[field_id], self.parsed, severity, message, hint))
        if severity == "error":
            self.out.failed.add(field_id)

    def convert(self, form_field: FormField, raw: str) -> None:
        text = raw.strip()
        if text.lower() == "null" and nullable(form_field):
            return  # the form's own word for "none" ("CANN version …, null otherwise"): left empty
        if form_field.convert in ("int", "number"):
            number = self.number(form_field, text)
            if number is not None:
                self.values[form_field.id] = number
        elif form_field.convert == "choice":
            self.choice(form_field, text)
        elif form_field.convert == "engine":
            self.values[form_field.id] = "-".join(text.lower().split())
        else:
            self.values[form_field.id] = case_fix(text, form_field.known) or text

    def number(self, form_field: FormField, text: str) -> int | float | None:
        plain = text.replace(",", "") if _GROUPED.fullmatch(text) else text
        if _INT.fullmatch(plain):
            return int(plain)
        if _FLOAT.fullmatch(plain) and math.isfinite(float(plain)):
            if form_field.convert == "number":
                return float(plain)
            self.report(form_field.id, MSG_NOT_INTEGER.format(value=show(text)), HINT_INTEGER)
            return None
        hint = HINT_NUMBER if form_field.convert == "number" else HINT_INTEGER
        hint = HINT_PERCENT if text.endswith("%") and form_field.id == "error_rate" else hint
        if _DECIMAL_COMMA.fullmatch(text):
            hint = HINT_COMMA.format(value=show(text), point=show(text.replace(",", ".")))
        self.report(form_field.id, MSG_NOT_NUMBER.format(value=show(text)), hint)
        return None

    def choice(self, form_field: FormField, text: str) -> None:
        choices = options(form_field)
        if text in choices:
            self.values[form_field.id] = text
            return
        fixed = case_fix(text, choices)
        if fixed is not None:
            self.values[form_field.id] = fixed
            message = MSG_CASE.format(value=show(text), option=fixed)
            self.report(form_field.id, message, HINT_CASE.format(option=fixed), "warning")
            return
        guess = did_you_mean(text, choices)
        hint = f'did you mean "{guess}"? ' if guess else ""
        message = MSG_NOT_OPTION.format(value=show(text), options=", ".join(choices))
        self.report(form_field.id, message, hint + HINT_OPTION)

    def shape(self) -> int:
        """The number of nodes; single-node defaults filled in, multi-node fields dropped."""
        nodes = self.values.pop("node_count", 1)
        if nodes < 1:
            self.report("node_count", MSG_NODES.format(value=nodes), HINT_NODES)
            nodes = 1
        chips = self.values.get("chip_count")
        if nodes > 1:
            return int(nodes)
        for field_id in CLUSTER_FIELDS:
            if field_id in self.values:
                value = show(self.values.pop(field_id))
                self.report(field_id, MSG_IGNORED.format(value=value), HINT_IGNORED, "warning")
        if isinstance(chips, int):
            self.values.setdefault("chips_per_node", chips)
            if chips == 1:
                self.values.setdefault("interconnect", "None")
        return 1

    def require(self, nodes: int) -> None:
        needed = [f.id for f in MANUAL if f.required]
        if isinstance(self.values.get("chip_count"), int):
            needed.append("interconnect")
        elif "interconnect" not in self.values:
            self.out.failed.add("interconnect")  # decided by the chip count, which is reported
        for field_id in needed:
            if field_id not in self.values and field_id not in self.out.failed:
                self.report(field_id, MSG_REQUIRED, HINT_REQUIRED)
        for field_id in MULTI_NODE_REQUIRED if nodes > 1 else ():
            if field_id not in self.values and field_id not in self.out.failed:
                self.report(field_id, MSG_REQUIRED_MULTI, HINT_REQUIRED_MULTI)


def build_manual(parsed: ParsedForm, author: str, entry_id: str) -> Manual:
    """The entry described by the form's fields, with every problem of the fields themselves."""
    builder = _Builder(parsed)
    for form_field in MANUAL:
        raw = parsed.values.get(form_field.id)
        if raw is not None and raw.strip():
            builder.convert(form_field, raw)
    nodes = builder.shape()
    builder.require(nodes)
    builder.out.findings.sort(key=lambda f: f.line or 0)
    builder.out.entry = _assemble(builder.values, builder.out.failed, nodes, author, entry_id)
    return builder.out


def _assemble(
    values: dict[str, Any], failed: set[str], nodes: int, author: str, entry_id: str
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "entry_id": entry_id,
        "metadata": {"submitter": author, "data_source": DATA_SOURCE},
    }
    for form_field in MANUAL:
        pointer = form_field.pointer or ()
        if pointer[0] == "cluster":
            continue
        if form_field.id in values:
            _put(entry, pointer, values[form_field.id])
        elif nullable(form_field) and form_field.id not in failed:
            _put(entry, pointer, None)
    chips = values.get("chip_count")
    per_chip = values.get("memory_per_chip_gb")
    if isinstance(chips, int) and isinstance(per_chip, (int, float)):
        total = round(per_chip * chips, 3)
        entry["hardware"]["total_memory_gb"] = int(total) if float(total).is_integer() else total
    if isinstance(chips, int):
        entry["config_type"] = "multi_node" if nodes > 1 else "multi_gpu" if chips > 1 else "single_gpu"
    entry["cluster"] = _cluster(values, nodes) if nodes > 1 else None
    entry["metadata"]["verified"] = False
    return {key: entry[key] for key in (*TOP_ORDER, *entry) if key in entry}


def _cluster(values: dict[str, Any], nodes: int) -> dict[str, Any]:
    cluster: dict[str, Any] = {"node_count": nodes}
    for field_id in CLUSTER_FIELDS:
        if field_id in values or nullable(BY_ID[field_id]):
            cluster[field_id] = values.get(field_id)
    return cluster


def _put(entry: dict[str, Any], pointer: tuple[str | int, ...], value: Any) -> None:
    target = entry
    for key in pointer[:-1]:
        target = target.setdefault(str(key), {})
    target[str(pointer[-1])] = value
