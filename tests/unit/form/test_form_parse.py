"""Reading submitted issue forms back from the issue body, including bodies edited by hand."""

from __future__ import annotations

import json

from bot.form.fields import CONFIRM_OPTION, FIELDS
from bot.form.parse import NO_RESPONSE, checked, missing_notes, parse_form
from tests.support.form_render import SINGLE_GPU, render_body


def _line_of(body: str, line: int) -> str:
    return body.replace("\r\n", "\n").split("\n")[line - 1]


def test_a_rendered_body_reads_back_every_value_and_its_line() -> None:
    body = render_body(SINGLE_GPU)
    parsed = parse_form(body)
    for field in FIELDS:
        expected = SINGLE_GPU.get(field.id, field.default)
        if field.id == "confirm":
            assert checked(parsed.values["confirm"]) == [CONFIRM_OPTION]
        elif field.render and expected:
            assert parsed.values[field.id] == expected
            assert _line_of(body, parsed.lines[field.id] - 1).startswith("```")
        else:
            assert parsed.values[field.id] == (expected or None), field.id
        if expected and field.id != "confirm":
            assert _line_of(body, parsed.lines[field.id]) == str(expected).split("\n")[0]
    assert parsed.notes == []
    assert missing_notes(parsed) == []


def test_crlf_and_trailing_spaces_are_tolerated() -> None:
    body = render_body(SINGLE_GPU, newline="\r\n").replace("\r\n", "  \r\n")
    parsed = parse_form(body)
    assert parsed.values["model_name"] == "Qwen2.5-7B-Instruct"
    assert parsed.values["quantization"] is None
    assert parsed.lines == parse_form(render_body(SINGLE_GPU)).lines


def test_headings_inside_a_textarea_value_do_not_split_fields() -> None:
    notes = "Setup:\n### Details\nran twice\n### Model name\nnot a field"
    parsed = parse_form(render_body({**SINGLE_GPU, "notes": notes}))
    assert parsed.values["notes"] == notes
    assert parsed.values["model_name"] == "Qwen2.5-7B-Instruct"
    assert parsed.notes == []


def test_no_response_inside_a_value_is_kept() -> None:
    notes = "first try\n_No response_ from the server twice, then fine"
    assert parse_form(render_body({**SINGLE_GPU, "notes": notes})).values["notes"] == notes
    assert parse_form(render_body({**SINGLE_GPU, "notes": "  _No response_ "})).values["notes"] is None


def test_reordered_and_missing_fields() -> None:
    sections = ("\n\n" + render_body(SINGLE_GPU)).split("\n\n### ")[1:]
    notes = next(s for s in sections if s.startswith("Notes"))
    kept = [s for s in sections if not s.startswith(("Notes", "Dataset"))]
    body = "\n\n".join(f"### {s}" for s in [notes, *kept])
    parsed = parse_form(body)
    assert parsed.values["notes"] == SINGLE_GPU["notes"]
    assert parsed.values["model_name"] == SINGLE_GPU["model_name"]
    assert parsed.values["dataset"] is None
    assert not parsed.present("dataset")
    assert missing_notes(parsed) == ['the field "Dataset" is missing from the issue']


def test_unknown_sections_are_ignored_with_a_note() -> None:
    body = "Hello maintainers!\n\n" + render_body(SINGLE_GPU)
    body = body.replace("### Batch size\n\n1", "### Batch size\n\n1\n\n### My cluster\n\nbig one")
    body += "\n\n### Extra\n\nthanks"
    parsed = parse_form(body)
    assert parsed.values["batch_size"] == "1"
    assert checked(parsed.values["confirm"]) == [CONFIRM_OPTION]
    assert len(parsed.notes) == 3
    assert parsed.notes[0].startswith("the text before the first field (line 1)")
    assert '"### My cluster"' in parsed.notes[1]
    assert '"### Extra"' in parsed.notes[2]


def test_headings_are_matched_loosely() -> None:
    body = render_body(SINGLE_GPU).replace("### Model name", "###   model   NAME  ##")
    assert parse_form(body).values["model_name"] == "Qwen2.5-7B-Instruct"


def test_a_fenced_paste_is_unwrapped_and_its_headings_ignored() -> None:
    paste = "model:\n  name: x\nmetadata:\n  notes: |\n    ### Notes\n    inside"
    body = render_body({"entry": paste, "notes": "real notes"})
    parsed = parse_form(body)
    assert parsed.values["entry"] == paste
    assert parsed.values["notes"] == "real notes"
    assert _line_of(body, parsed.lines["entry"]) == "model:"


def test_a_paste_that_was_already_fenced_is_unwrapped_twice() -> None:
    text = json.dumps({"a": 1}, indent=2)
    body = render_body({"entry": f"```json\n{text}\n```", "notes": "n"})
    parsed = parse_form(body)
    assert parsed.values["entry"] == text
    assert _line_of(body, parsed.lines["entry"]) == "{"
    assert parsed.values["notes"] == "n"


def test_a_known_heading_only_inside_a_broken_fence_still_counts() -> None:
    body = render_body({"entry": "```\n{}\n```\n```", "notes": "n"})
    assert parse_form(body).values["notes"] == "n"


def test_checkboxes_accept_either_case_and_report_unticked() -> None:
    assert checked(f"- [x] {CONFIRM_OPTION}") == [CONFIRM_OPTION]
    assert checked(f"* [X]   {CONFIRM_OPTION}  ") == [CONFIRM_OPTION]
    assert checked(f"- [ ] {CONFIRM_OPTION}") == []
    assert checked(None) == []


def test_an_empty_body_has_no_values() -> None:
    parsed = parse_form("")
    assert set(parsed.values.values()) == {None}
    assert parsed.lines == {}
    assert parsed.notes == []
    assert parse_form(NO_RESPONSE).notes != []
