"""Test helper: issue bodies rendered the way GitHub renders a submitted form, from the generated
form itself (so the tests follow the form), plus the values of valid manual entries."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from bot.form.fields import CONFIRM_OPTION
from bot.form.generator import render_form

NO_RESPONSE = "_No response_"
Value = str | list[str] | None

SINGLE_GPU: dict[str, Value] = {
    "model_name": "Qwen2.5-7B-Instruct",
    "parameters": "7B",
    "precision": "BF16",
    "vendor": "NVIDIA",
    "chip_model": "H100-80GB-SXM",
    "chip_count": "1",
    "memory_per_chip_gb": "80",
    "input_length": "512",
    "output_length": "128",
    "batch_size": "1",
    "concurrent_requests": "1",
    "dataset": "ShareGPT",
    "ttft_ms": "38.4",
    "tpot_ms": "8.1",
    "tbt_ms": "7.9",
    "throughput_tps": "121.7",
    "peak_mem_mb": "17210",
    "error_rate": "0.0",
    "engine": "sagellm",
    "engine_version": "0.5.4.14",
    "sagellm_version": "0.5.4.14",
    "version_protocol": "0.5.2.11",
    "version_backend": "0.5.3.13",
    "version_core": "0.5.4.2",
    "os": "Ubuntu 22.04",
    "python_version": "3.11.9",
    "pytorch_version": "2.5.1+cu124",
    "cuda_version": "12.4",
    "driver_version": "550.90.07",
    "reproducible_cmd": "sagellm-benchmark run --workload Q2 --backend cuda --model Qwen/Qwen2.5-7B-Instruct",
    "notes": "Measured on a quiet machine.",
    "confirm": [CONFIRM_OPTION],
}
MULTI_GPU: dict[str, Value] = {**SINGLE_GPU, "chip_count": "4", "interconnect": "NVLink"}
MULTI_NODE: dict[str, Value] = {
    **SINGLE_GPU,
    "vendor": "Huawei",
    "chip_model": "Ascend 910B",
    "chip_count": "16",
    "node_count": "2",
    "chips_per_node": "8",
    "interconnect": "HCCS",
    "memory_per_chip_gb": "64",
    "comm_backend": "HCCL",
    "topology_type": "Ring",
    "inter_node_network": "RoCE",
    "version_comm": "0.5.4.15",
    "cuda_version": None,
    "cann_version": "8.0.RC1",
    "pytorch_version": "2.1.0",
    "driver_version": "24.1.rc2",
    "engine": "vllm-ascend",
    "engine_version": "0.7.3",
}


@cache
def form() -> Any:
    """The generated issue form, parsed."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(render_form())


def render_body(values: Mapping[str, Value], newline: str = "\n") -> str:
    """The issue body GitHub writes for a form submitted with ``values`` (field id → value)."""
    parts = []
    for item in form()["body"]:
        if item["type"] == "markdown":
            continue
        attributes = item["attributes"]
        value = values.get(item["id"], attributes.get("value"))
        parts.append(f"### {attributes['label']}\n\n{_render_value(item, value)}")
    return "\n\n".join(parts).replace("\n", newline)


def _render_value(item: Any, value: Value) -> str:
    attributes = item["attributes"]
    if item["type"] == "checkboxes":
        ticked = value or []
        return "\n".join(
            f"- [{'X' if option['label'] in ticked else ' '}] {option['label']}"
            for option in attributes["options"]
        )
    if not value:
        return NO_RESPONSE
    assert isinstance(value, str)
    if item["type"] == "dropdown":
        assert value in attributes["options"], f"{value!r} is not an option of {item['id']}"
    if attributes.get("render"):
        return f"```{attributes['render']}\n{value}\n```"
    return value
