"""The fields of the submission issue form, in form order: one catalogue shared by the form
generator, the body parser and the entry builder, so ids, labels and entry paths cannot disagree.

Labels are what GitHub writes into the issue body (``### <label>``) and what the parser splits
on, so they are stable constants; descriptions and dropdown options come from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from bot.contract.findings import Pointer
from bot.contract.schema_check import load_schema

Kind = Literal["input", "textarea", "dropdown", "checkboxes"]
Convert = Literal["paste", "text", "int", "number", "choice", "check", "engine"]

INTERCONNECTS = ("None", "PCIe", "NVLink", "HCCS", "InfiniBand", "RoCE", "CXL")
COMM_BACKENDS = ("NCCL", "HCCL", "RCCL", "Gloo", "MPI")
TOPOLOGIES = ("Ring", "Tree", "Mesh", "All-to-All")
NETWORKS = ("InfiniBand", "RoCE", "Ethernet", "NVLink-Switch")
CONFIRM_OPTION = "These numbers are real measurements of the run described here, not estimates or copies."
PASTE_DESCRIPTION = (
    "Paste one entry, an array of entries or a sagellm-benchmark `*_leaderboard.json` export, as JSON "
    "or YAML. **Leave every field below empty when you paste.** A missing `entry_id`, `submitted_at` "
    "or `submitter` is filled in by the bot."
)
NODES_DESCRIPTION = "Number of machines the run used: 1 for one machine; 2 or more makes a multi-node entry."
MULTI_NODE = "Multi-node only."
REQUIRED = "Required unless you paste an entry."


@dataclass(frozen=True)
class FormField:
    """One field of the form: its stable id and label, where its value goes and how it is read."""

    id: str
    label: str
    kind: Kind = "input"
    pointer: Pointer | None = None
    convert: Convert = "text"
    required: bool = False  # needed for an entry filled in field by field
    placeholder: str = ""
    default: str | None = None  # pre-filled value of an input
    render: str | None = None
    description: str = ""  # replaces the schema's description
    note: str = ""  # appended to the description
    known: tuple[str, ...] = ()  # usual values of free text; a different case is corrected
    section: str = ""  # a heading shown above the field


def _f(id: str, label: str, pointer: str, **options: Any) -> FormField:
    return FormField(id, label, pointer=tuple(pointer.split(".")), **options)


PASTE = FormField(
    "entry",
    "Entry (JSON or YAML)",
    "textarea",
    convert="paste",
    render="json",
    description=PASTE_DESCRIPTION,
    placeholder='{\n  "sagellm_version": "0.5.4.14",\n  "config_type": "single_gpu",\n  ...\n}',
)
CONFIRM = FormField(
    "confirm", "Confirmation", "checkboxes", convert="check", description="Required for every submission."
)
# fmt: off
FIELDS: tuple[FormField, ...] = (
    PASTE,
    _f("model_name", "Model name", "model.name", required=True, placeholder="Qwen2.5-7B-Instruct",
       section="Model"),
    _f("parameters", "Parameters", "model.parameters", required=True, placeholder="7B"),
    _f("precision", "Precision", "model.precision", kind="dropdown", convert="choice", required=True),
    _f("quantization", "Quantization", "model.quantization", placeholder="AWQ"),
    _f("vendor", "Hardware vendor", "hardware.vendor", kind="dropdown", convert="choice", required=True,
       section="Hardware"),
    _f("chip_model", "Chip model", "hardware.chip_model", required=True, placeholder="H100-80GB-SXM"),
    _f("chip_count", "Chip count", "hardware.chip_count", convert="int", required=True, placeholder="1"),
    _f("node_count", "Number of nodes", "cluster.node_count", convert="int", default="1",
       description=NODES_DESCRIPTION),
    _f("chips_per_node", "Chips per node", "hardware.chips_per_node", convert="int", placeholder="8",
       note="Filled in from the chip count for one node."),
    _f("interconnect", "Interconnect", "hardware.interconnect", known=INTERCONNECTS, placeholder="NVLink",
       note='Filled in as "None" for one chip.'),
    _f("memory_per_chip_gb", "Memory per chip (GB)", "hardware.memory_per_chip_gb", convert="number",
       placeholder="80"),
    _f("comm_backend", "Communication backend", "cluster.comm_backend", known=COMM_BACKENDS,
       placeholder="NCCL", note=MULTI_NODE, section="Multi-node only"),
    _f("topology_type", "Topology", "cluster.topology_type", known=TOPOLOGIES, placeholder="Ring",
       note=MULTI_NODE),
    _f("inter_node_network", "Inter-node network", "cluster.inter_node_network", known=NETWORKS,
       placeholder="InfiniBand", note=MULTI_NODE),
    _f("input_length", "Input length (tokens)", "workload.input_length", convert="int", required=True,
       placeholder="512", section="Workload"),
    _f("output_length", "Output length (tokens)", "workload.output_length", convert="int", required=True,
       placeholder="128"),
    _f("batch_size", "Batch size", "workload.batch_size", convert="int", placeholder="1"),
    _f("concurrent_requests", "Concurrent requests", "workload.concurrent_requests", convert="int",
       placeholder="1"),
    _f("dataset", "Dataset", "workload.dataset", placeholder="ShareGPT"),
    _f("ttft_ms", "TTFT (ms)", "metrics.ttft_ms", convert="number", required=True, placeholder="38.4",
       section="Metrics"),
    _f("tpot_ms", "TPOT (ms)", "metrics.tpot_ms", convert="number", placeholder="8.1"),
    _f("tbt_ms", "TBT (ms)", "metrics.tbt_ms", convert="number", placeholder="7.9"),
    _f("throughput_tps", "Throughput (tokens/s)", "metrics.throughput_tps", convert="number",
       required=True, placeholder="121.7"),
    _f("peak_mem_mb", "Peak memory (MB)", "metrics.peak_mem_mb", convert="int", required=True,
       placeholder="17210"),
    _f("error_rate", "Error rate (0–1)", "metrics.error_rate", convert="number", required=True,
       placeholder="0.0"),
    _f("engine", "Engine", "engine", convert="engine", placeholder="sagellm", section="Versions"),
    _f("engine_version", "Engine version", "engine_version", placeholder="0.5.4.14"),
    _f("sagellm_version", "sageLLM version", "sagellm_version", required=True, placeholder="0.5.4.14"),
    _f("version_protocol", "isagellm-protocol version", "versions.protocol", required=True,
       placeholder="0.5.2.11 or N/A"),
    _f("version_backend", "isagellm-backend version", "versions.backend", required=True,
       placeholder="0.5.3.13 or N/A"),
    _f("version_core", "isagellm-core version", "versions.core", required=True,
       placeholder="0.5.4.2 or N/A"),
    _f("version_comm", "isagellm-comm version", "versions.comm", placeholder="0.5.4.15 or N/A"),
    _f("os", "Operating system", "environment.os", required=True, placeholder="Ubuntu 22.04",
       section="Environment"),
    _f("python_version", "Python version", "environment.python_version", required=True,
       placeholder="3.11.9"),
    _f("pytorch_version", "PyTorch version", "environment.pytorch_version", placeholder="2.5.1+cu124"),
    _f("cuda_version", "CUDA version", "environment.cuda_version", placeholder="12.4"),
    _f("cann_version", "CANN version", "environment.cann_version", placeholder="8.0.RC1"),
    _f("driver_version", "Driver version", "environment.driver_version", placeholder="550.90.07"),
    _f("reproducible_cmd", "Reproduce command", "metadata.reproducible_cmd", kind="textarea",
       required=True, render="shell", section="Provenance",
       placeholder="sagellm-benchmark run --workload Q2 --backend cuda --model Qwen/Qwen2.5-7B-Instruct"),
    _f("notes", "Notes", "metadata.notes", kind="textarea", placeholder="Anything reviewers should know."),
    CONFIRM,
)
# fmt: on
MANUAL = tuple(f for f in FIELDS if f not in (PASTE, CONFIRM))
BY_ID = {f.id: f for f in FIELDS}


@cache
def _entry_schema() -> dict[str, Any]:
    schema = load_schema()
    entry: dict[str, Any] = schema["definitions"]["entry"]
    return entry


def schema_node(pointer: Pointer) -> dict[str, Any]:
    """The schema of the value at ``pointer`` inside an entry ($ref resolved; KeyError if unknown)."""
    node = _entry_schema()
    for key in pointer:
        node = node["properties"][key]
    ref = node.get("$ref")
    if isinstance(ref, str):
        definitions = load_schema()["definitions"]
        node = {**definitions[ref.rsplit("/", 1)[1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def options(field: FormField) -> tuple[str, ...]:
    """The choices of a dropdown (the schema's enum) or of the checkboxes."""
    if field.kind == "checkboxes":
        return (CONFIRM_OPTION,)
    if field.pointer is None:
        return ()
    return tuple(schema_node(field.pointer).get("enum", ()))


def nullable(field: FormField) -> bool:
    """Whether the schema allows null at the field's place (an empty field then writes null)."""
    if field.pointer is None:
        return False
    kinds = schema_node(field.pointer).get("type", ())
    return "null" in kinds if isinstance(kinds, list) else False


def description(field: FormField) -> str:
    """The form's help text: the schema's description, the entry path and the form's notes."""
    text = field.description
    if not text and field.pointer is not None:
        text = str(schema_node(field.pointer).get("description", ""))
    parts = [REQUIRED if field.required else "", text]
    if field.pointer is not None and field not in (PASTE, CONFIRM):
        parts.append(f"(`{'.'.join(str(k) for k in field.pointer)}`)")
    parts.append(field.note)
    return " ".join(part for part in parts if part)
