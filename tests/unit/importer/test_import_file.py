"""import.yaml beside a run directory: what it may give, what it may not, and the author's place."""

from __future__ import annotations

from typing import Any

import pytest

from bot.importer.import_file import AUTHOR_SOURCE, read_import_file
from bot.importer.model import Fields


def _applied(data: Any, author: str = "alice") -> dict[str, Any]:
    """The values the layers leave, applied lowest priority first as the importer does."""
    fields = Fields()
    for layer in read_import_file("run/import.yaml", data, author).layers:
        for path, value in layer.values:
            fields.put(path, value, layer.source)
    return {path: item.value for path, item in fields.items()}


def _problems(data: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    read = read_import_file("run/import.yaml", data, "alice")
    return [(p.pointer, p.severity, p.message) for p in read.problems]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"set": {"model.parameters": "7B"}},
        {"set": {"metadata.submitter": "mallory"}},
        {"set": {"metadata": {"submitter": "mallory", "notes": "x"}}},
        {"hardware": {"vendor": "NVIDIA"}, "set": {"metadata.submitter": "mallory"}},
    ],
)
def test_the_submitter_is_always_the_pull_request_author(data: Any) -> None:
    assert _applied(data)["metadata.submitter"] == "alice"
    assert read_import_file("f", data, "alice").layers[-1].source == AUTHOR_SOURCE


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"set": {"metadata.submitter": "mallory"}}, ("set", "metadata.submitter")),
        ({"set": {"metadata": {"submitter": "mallory"}}}, ("set", "metadata")),
    ],
)
def test_setting_the_submitter_is_refused(data: Any, pointer: tuple[str, ...]) -> None:
    read = read_import_file("f", data, "alice")
    assert not read.ok
    assert [(p.pointer, p.severity) for p in read.problems] == [(pointer, "error")]
    assert "author" in read.problems[0].message


@pytest.mark.parametrize("path", ["metrics.ttft_ms", "metrics"])
def test_measurements_cannot_be_set(path: str) -> None:
    value: Any = 0.001 if path != "metrics" else {"ttft_ms": 0.001}
    read = read_import_file("f", {"set": {path: value}}, "alice")
    assert not read.ok
    (problem,) = read.problems
    assert problem.pointer == ("set", path)
    assert "measurement" in problem.message
    assert "re-run the benchmark" in problem.hint
    assert all(p != path for layer in read.layers for p, _ in layer.values)


def test_what_a_run_does_not_record_is_applied_in_order() -> None:
    applied = _applied(
        {
            "hardware": {"vendor": "NVIDIA", "chip_model": "A100-80GB"},
            "set": {"hardware.chip_model": "H100-80GB", "model.parameters": "7B"},
            "engine": "sagellm",
        }
    )
    assert applied["hardware.vendor"] == "NVIDIA"
    assert applied["hardware.chip_model"] == "H100-80GB"  # set: wins over hardware:
    assert applied["model.parameters"] == "7B"
    assert applied["engine"] == "sagellm"


@pytest.mark.parametrize(
    ("data", "pointer", "words"),
    [
        (["set"], (), "top level is a list"),
        ({"hardwre": {}}, ("hardwre",), "did you mean 'hardware'?"),
        ({"hardware": ["NVIDIA"]}, ("hardware",), "hardware: must be a mapping, but it is a list"),
        ({"hardware": {"vendr": "NVIDIA"}}, ("hardware",), "did you mean 'vendor'?"),
        ({"set": ["model.parameters=7B"]}, ("set",), "set: must be a mapping, but it is a list"),
        ({"engine_version": 0.5}, ("engine_version",), "must be text, but it is a number"),
        ({"set": {"Q1:model.parameters": "7B"}}, ("set", "Q1:model.parameters"), "names a workload"),
        ({"set": {"modl.parameters": "7B"}}, ("set", "modl.parameters"), "did you mean 'model'?"),
        ({"set": {"model parameters": "7B"}}, ("set", "model parameters"), "not a dotted path"),
        ({"set": {"environment.python_version": 3.1}}, ("set", "environment.python_version"), "must be text"),
    ],
)
def test_each_mistake_is_an_error_at_its_key(data: Any, pointer: tuple[str, ...], words: str) -> None:
    problems = _problems(data)
    assert [(p, s) for p, s, _ in problems] == [(pointer, "error")], problems
    assert words in problems[0][2]


def test_a_misspelt_field_is_a_warning_and_is_still_applied() -> None:
    data = {"set": {"model.paramters": "7B"}}
    assert _problems(data) == [
        (
            ("set", "model.paramters"),
            "warning",
            "set: model.paramters: model has no standard field 'paramters' (did you mean 'parameters'?); "
            "it is written as an extra field",
        )
    ]
    assert read_import_file("f", data, "alice").ok
    assert _applied(data)["model.paramters"] == "7B"


def test_every_problem_is_collected() -> None:
    data = {"hardwre": 1, "engine": 2, "set": {"metrics.ttft_ms": 1, "metadata.submitter": "m"}}
    pointers = [p for p, _, _ in _problems(data)]
    assert pointers == [("hardwre",), ("engine",), ("set", "metrics.ttft_ms"), ("set", "metadata.submitter")]
