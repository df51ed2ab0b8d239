"""Building submissions from issue forms: pasted entries, entries from fields, and the rewording
of the pipeline's findings into the words of the form."""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Any

import pytest

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.form.entry import (
    FormSubmission,
    build_submission,
    entry_id_for_issue,
    field_for,
    file_text,
    reword,
    submission_path,
)
from bot.form.parse import parse_form
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from tests.support.form_render import MULTI_GPU, MULTI_NODE, SINGLE_GPU, Value, render_body
from tests.support.paths import REAL_EXPORT, ROOT
from tests.unit.ledger.test_evaluate import NOW, _base

REPO, NUMBER, AUTHOR = "intellistream/sagellm-leaderboard", 42, "octocat"
STABLE_ID = entry_id_for_issue(REPO, NUMBER)
CONFIRMED: dict[str, Value] = {"confirm": SINGLE_GPU["confirm"]}


def _build(body: str) -> FormSubmission:
    return build_submission(body, repo=REPO, number=NUMBER, author=AUTHOR)


def _manual(**changes: Value) -> FormSubmission:
    return _build(render_body({**SINGLE_GPU, **changes}))


def _paste(text: str) -> FormSubmission:
    return _build(render_body({"entry": text, **CONFIRMED}))


def _entry(submission: FormSubmission) -> Any:
    assert submission.document is not None, submission.findings
    return submission.document.data


def _messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


@cache
def _base_docs() -> dict[str, Document]:
    return _base()


def _evaluate(submission: FormSubmission) -> Outcome:
    assert submission.document is not None
    return evaluate(
        _base_docs(), Submission([submission.document], submitter=Submitter(AUTHOR)), Config(), now=NOW
    )


def _export_text() -> str:
    return REAL_EXPORT.read_text()


def test_stable_ids_per_issue() -> None:
    assert entry_id_for_issue("Intellistream/SageLLM-Leaderboard", NUMBER) == STABLE_ID
    assert entry_id_for_issue(REPO, NUMBER + 1) != STABLE_ID
    assert entry_id_for_issue(REPO, NUMBER, 1) != STABLE_ID
    assert uuid.UUID(STABLE_ID).version == 5
    assert submission_path(NUMBER) == "data/submissions/issue-42.json"


def _as_submitted(text: str) -> Any:
    """The export as the bot commits it: the issue's author is its submitter (not the tool's stand-in)."""
    export = json.loads(text)
    export["metadata"]["submitter"] = AUTHOR
    return export


def test_a_pasted_json_export_is_read_as_is_but_for_the_submitter() -> None:
    text = _export_text()
    submission = _paste(text)
    assert submission.mode == "paste"
    assert json.loads(text)["metadata"]["submitter"] == "sagellm-benchmark automated run"
    [claim] = submission.findings  # the exporter's stand-in is replaced by the issue's author
    assert (claim.rule, claim.severity, claim.path) == ("LB207", "warning", "$.metadata.submitter")
    assert submission.document is not None
    assert submission.document.file == "data/submissions/issue-42.json"
    assert submission.document.text == text.strip("\n")
    assert _entry(submission) == _as_submitted(text)
    assert file_text(submission) == json.dumps(_as_submitted(text), indent=2) + "\n"
    assert _evaluate(submission).errors == []


def test_a_pasted_yaml_entry_gets_the_stable_id() -> None:
    text = (ROOT / "examples" / "single-gpu.yaml").read_text()
    text = "\n".join(line for line in text.split("\n") if not line.startswith("entry_id:"))
    submission = _paste(text)
    assert submission.document is not None
    assert submission.document.kind == "yaml"
    assert _entry(submission)["entry_id"] == STABLE_ID
    assert json.loads(file_text(submission))["entry_id"] == STABLE_ID
    assert file_text(submission).endswith("}\n")


def test_a_paste_the_user_fenced_again_is_unwrapped() -> None:
    text = _export_text()
    submission = _paste(f"```json\n{text.strip()}\n```")
    assert _entry(submission) == _as_submitted(text)


def test_invalid_json_is_reported_at_its_line_in_the_paste() -> None:
    submission = _paste('{\n  "model": {\n    "name": "x",\n  }\n}')
    assert submission.document is None
    [finding] = submission.findings
    assert (finding.file, finding.rule, finding.line) == ("issue form", "LB001", 4)
    assert finding.message.startswith("Entry (JSON or YAML), line 4: invalid JSON")
    with pytest.raises(ValueError, match="no entry"):
        file_text(submission)


def test_paste_hygiene_applies() -> None:
    submission = _paste('{"a": 1,\n "a": 2}')
    assert [f.rule for f in submission.findings] == ["LB002"]
    assert [f.rule for f in _paste('{"a": NaN}').findings] == ["LB003"]
    assert [f.rule for f in _paste("just text").findings] == ["LB006"]
    assert _paste("just text").document is None


def test_schema_findings_of_a_paste_keep_their_line_in_the_paste() -> None:
    text = _export_text().replace('"error_rate": 0.0', '"error_rate": 15')
    submission = _paste(text)
    findings = reword(_evaluate(submission).errors, submission)
    [finding] = findings
    assert finding.file == "issue form"
    assert finding.line == text.split("\n").index('    "error_rate": 15,') + 1
    assert (
        finding.message == f"Entry (JSON or YAML), line {finding.line}: 15 is greater than the maximum of 1"
    )


def test_a_single_gpu_entry_from_fields() -> None:
    submission = _manual()
    assert submission.mode == "manual"
    assert submission.findings == []
    entry = _entry(submission)
    assert entry["entry_id"] == STABLE_ID
    assert entry["config_type"] == "single_gpu"
    assert entry["cluster"] is None
    assert entry["hardware"] == {
        "vendor": "NVIDIA",
        "chip_model": "H100-80GB-SXM",
        "chip_count": 1,
        "chips_per_node": 1,
        "interconnect": "None",
        "memory_per_chip_gb": 80,
        "total_memory_gb": 80,
    }
    assert entry["metrics"]["throughput_tps"] == 121.7
    assert entry["environment"]["cann_version"] is None
    assert entry["metadata"] == {
        "submitter": AUTHOR,
        "data_source": "community-contribution",
        "reproducible_cmd": SINGLE_GPU["reproducible_cmd"],
        "notes": SINGLE_GPU["notes"],
        "verified": False,
    }
    assert "submitted_at" not in entry["metadata"]
    assert submission.document is not None
    assert file_text(submission) == submission.document.text
    assert json.loads(file_text(submission)) == entry


def test_a_multi_gpu_entry_from_fields() -> None:
    entry = _entry(_manual(**MULTI_GPU))
    assert (entry["config_type"], entry["hardware"]["chips_per_node"]) == ("multi_gpu", 4)
    assert entry["hardware"]["total_memory_gb"] == 320
    assert entry["cluster"] is None


def test_a_multi_node_entry_from_fields() -> None:
    entry = _entry(_manual(**MULTI_NODE))
    assert entry["config_type"] == "multi_node"
    assert entry["cluster"] == {
        "node_count": 2,
        "comm_backend": "HCCL",
        "topology_type": "Ring",
        "inter_node_network": "RoCE",
    }
    assert entry["versions"]["comm"] == "0.5.4.15"
    assert entry["engine"] == "vllm-ascend"


def test_multi_node_needs_its_fields() -> None:
    values = {**MULTI_NODE, "chips_per_node": None, "comm_backend": None, "topology_type": None}
    submission = _build(render_body({**values, "version_comm": None}))
    assert _messages(submission.findings) == [
        "Chips per node: required for a multi-node entry (2 or more nodes)",
        "Communication backend: required for a multi-node entry (2 or more nodes)",
        "Topology: required for a multi-node entry (2 or more nodes)",
        "isagellm-comm version: required for a multi-node entry (2 or more nodes)",
    ]
    assert reword(_evaluate(submission).errors, submission) == []  # said once, by the form


def test_multi_node_fields_are_ignored_for_one_node() -> None:
    submission = _manual(comm_backend="nccl")
    assert [(f.severity, f.message) for f in submission.findings] == [
        ("warning", 'Communication backend: "NCCL" was ignored: the run used one node')
    ]
    assert _entry(submission)["cluster"] is None


def test_bad_numbers_name_the_field_and_its_line() -> None:
    body = render_body({**SINGLE_GPU, "throughput_tps": "fast", "chip_count": "2.5", "error_rate": "15%"})
    submission = _build(body)
    by_label = {f.message.split(":")[0]: f for f in submission.findings}
    assert by_label["Throughput (tokens/s)"].message == 'Throughput (tokens/s): "fast" is not a number'
    assert body.split("\n")[by_label["Throughput (tokens/s)"].line - 1] == "fast"  # type: ignore[operator]
    assert by_label["Chip count"].message == 'Chip count: "2.5" is not a whole number'
    assert "15 % is 0.15" in by_label["Error rate (0–1)"].hint
    assert all(f.file == "issue form" and f.rule == "form" for f in submission.findings)
    assert "throughput_tps" not in _entry(submission)["metrics"]


def test_numbers_in_other_spellings() -> None:
    entry = _entry(_manual(peak_mem_mb="17,210", ttft_ms="3.84e1", batch_size=" 8 "))
    assert (entry["metrics"]["peak_mem_mb"], entry["metrics"]["ttft_ms"]) == (17210, 38.4)
    assert entry["workload"]["batch_size"] == 8
    assert [f.message for f in _manual(ttft_ms="1e999").findings] == ['TTFT (ms): "1e999" is not a number']


def test_null_written_as_the_form_says_is_null() -> None:
    submission = _manual(cann_version="null", cuda_version="NULL")
    assert submission.findings == []
    environment = _entry(submission)["environment"]
    assert (environment["cann_version"], environment["cuda_version"]) == (None, None)
    assert _entry(_manual(model_name="null"))["model"]["name"] == "null"  # a required text keeps it


@pytest.mark.parametrize("value", ["0,125", "0,500", "0,000", "38,4", "-0,5"])
def test_a_decimal_comma_is_refused_never_read_as_thousands(value: str) -> None:
    (finding,) = _manual(tpot_ms=value).findings
    assert finding.message == f'TPOT (ms): "{value}" is not a number'
    assert finding.hint == f'write the decimal separator as a point: "{value}" is "{value.replace(",", ".")}"'


def test_required_fields_and_their_defaults() -> None:
    submission = _manual(model_name=None, reproducible_cmd=None, chip_count="2")
    assert _messages(submission.findings) == [
        "Model name: required when no entry is pasted",
        "Interconnect: required when no entry is pasted",
        "Reproduce command: required when no entry is pasted",
    ]
    assert _messages(_manual(node_count="0").findings) == ["Number of nodes: 0 is less than 1"]


def test_neither_or_both_parts_filled() -> None:
    neither = _build(render_body(CONFIRMED))
    assert neither.mode == "none"
    assert neither.document is None
    assert _messages(neither.findings) == [
        "Entry (JSON or YAML): the issue has neither a pasted entry nor the fields of an entry"
    ]
    both = _build(render_body({**SINGLE_GPU, "entry": _export_text()}))
    assert both.document is None
    [finding] = both.findings
    assert finding.message.startswith(
        'Entry (JSON or YAML): an entry is pasted and fields are filled in too ("Model name"'
    )
    assert finding.line == 4  # the first line of the paste, inside the fence


def test_the_confirmation_must_be_ticked() -> None:
    submission = _manual(confirm=[])
    assert _messages(submission.findings) == ["Confirmation: the confirmation is not ticked"]
    assert submission.document is not None  # every other problem is still reported


def test_dropdown_values_edited_by_hand() -> None:
    body = render_body(SINGLE_GPU).replace("### Hardware vendor\n\nNVIDIA", "### Hardware vendor\n\nnvidia")
    submission = _build(body)
    assert [(f.severity, f.message) for f in submission.findings] == [
        ("warning", 'Hardware vendor: read "nvidia" as "NVIDIA"')
    ]
    assert _entry(submission)["hardware"]["vendor"] == "NVIDIA"
    typo = _build(body.replace("nvidia", "nvdia"))
    [finding] = typo.findings
    assert finding.severity == "error"
    assert finding.message.startswith('Hardware vendor: "nvdia" is not one of Intel, AMD, NVIDIA')
    assert finding.hint.startswith('did you mean "NVIDIA"?')


def test_known_free_text_values_get_their_usual_case() -> None:
    entry = _entry(
        _manual(**{**MULTI_NODE, "interconnect": "hccs", "comm_backend": "hccl", "engine": "vLLM Ascend"})
    )
    assert (entry["hardware"]["interconnect"], entry["cluster"]["comm_backend"]) == ("HCCS", "HCCL")
    assert entry["engine"] == "vllm-ascend"


def test_crlf_bodies_build_the_same_entry() -> None:
    assert _entry(_build(render_body(SINGLE_GPU, newline="\r\n"))) == _entry(_manual())


def test_field_for_maps_entry_places_to_labels() -> None:
    assert field_for(("metrics", "error_rate")) == "Error rate (0–1)"
    assert field_for(("config_type",)) == "Chip count"
    assert field_for(("cluster",)) == "Number of nodes"
    assert field_for(("metadata", "submitter")) is None


@pytest.mark.parametrize(
    "values", [SINGLE_GPU, MULTI_GPU, MULTI_NODE], ids=["single", "multi-gpu", "multi-node"]
)
def test_valid_forms_pass_the_submission_pipeline(values: dict[str, Value]) -> None:
    submission = _manual(**values)
    outcome = _evaluate(submission)
    assert reword(outcome.errors, submission) == []
    assert outcome.submitted[0].entry["metadata"]["submitter"] == AUTHOR


def test_pipeline_findings_are_reworded_to_form_fields() -> None:
    body = render_body({**SINGLE_GPU, "error_rate": "15", "vendor": "Huawei"})
    submission = _build(body)
    outcome = _evaluate(submission)
    base_finding = Finding("data/leaderboard_single.json", (), "LB304", "warning", "elsewhere")
    findings = reword([*outcome.findings, base_finding], submission)
    by_path = {f.path: f for f in findings}
    error_rate = by_path["$.metrics.error_rate"]
    assert error_rate.message == "Error rate (0–1): 15 is greater than the maximum of 1"
    assert (error_rate.file, error_rate.column) == ("issue form", None)
    assert body.split("\n")[error_rate.line - 1] == "15"  # type: ignore[operator]
    assert by_path["$.environment.cuda_version"].message.startswith("CUDA version: ")
    assert findings[-1] is base_finding
    assert outcome.findings[0].file == submission.path  # the originals are not changed


def test_fields_with_form_errors_are_not_reported_twice() -> None:
    submission = _manual(chip_count="many", error_rate="oops")
    outcome = _evaluate(submission)
    assert {f.rule for f in outcome.errors} == {"schema"}
    assert reword(outcome.findings, submission) == []
    assert _messages(submission.findings) == [
        'Chip count: "many" is not a number',
        'Error rate (0–1): "oops" is not a number',
    ]


def test_parse_notes_reach_the_submission() -> None:
    submission = _build("Hi!\n\n" + render_body(SINGLE_GPU))
    assert submission.notes == parse_form("Hi!\n\n" + render_body(SINGLE_GPU)).notes != []


def test_a_pasted_array_gets_one_stable_id_per_entry() -> None:
    entry = json.loads(_export_text())
    del entry["entry_id"]
    submission = _paste(json.dumps([entry, {**entry, "workload": {**entry["workload"], "batch_size": 8}}]))
    ids = [item["entry_id"] for item in _entry(submission)]
    assert ids == [STABLE_ID, entry_id_for_issue(REPO, NUMBER, 1)]
    assert _evaluate(submission).errors == []
