"""Reporters: one line per finding in text, a list of objects in JSON, workflow commands for GitHub."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.contract.findings import Finding
from bot.contract.validate import Report
from bot.render.report import (
    github_line,
    json_line,
    render_github,
    render_json,
    render_text,
    summary_line,
    text_line,
    write_json,
)


def _finding(**changes: object) -> Finding:
    finding = Finding(
        "sub/a.json", ("metrics", "error_rate"), "schema", "error", "1.5 is greater than the maximum of 1"
    )
    finding.hint, finding.line, finding.column = "ratios are 0.0–1.0", 35, 19
    for key, value in changes.items():
        setattr(finding, key, value)
    return finding


def test_text_line_shape() -> None:
    assert text_line(_finding()) == (
        "sub/a.json:35:19: error: $.metrics.error_rate: 1.5 is greater than the maximum of 1 [schema]"
        " (hint: ratios are 0.0–1.0)"
    )


def test_text_groups_errors_warnings_and_waived() -> None:
    report = Report([_finding(), _finding(severity="warning"), _finding(waived="known")], files=1, entries=1)
    text = render_text(report)
    assert text.index("errors (1):") < text.index("warnings (1) by rule") < text.index("waived (1) by rule")
    assert "(waiver: known)" in text
    assert text.rstrip().endswith("FAILED: 1 file, 1 entry: 1 error, 1 warning, 1 waived")


@pytest.mark.parametrize(
    ("errors", "warnings", "counts"),
    [(0, 0, "0 errors, 0 warnings"), (1, 1, "1 error, 1 warning"), (2, 3, "2 errors, 3 warnings")],
)
def test_the_summary_counts_in_the_singular_only_for_one(errors: int, warnings: int, counts: str) -> None:
    findings = [_finding(line=n) for n in range(errors)]
    findings += [_finding(severity="warning", line=n) for n in range(warnings)]
    line = summary_line(Report(findings, files=2, entries=2))
    assert line == f"{'FAILED' if errors else 'OK'}: 2 files, 2 entries: {counts}, 0 waived"


def test_text_lists_every_error_but_groups_warnings_by_rule() -> None:
    errors = [_finding(line=n, entry_id=f"e{n}") for n in range(1, 6)]
    warnings = [
        _finding(rule="LB111", severity="warning", line=10 + n, entry_id=f"e{n % 3}") for n in range(7)
    ]
    warnings += [_finding(rule="LB304", severity="warning", line=40, entry_id="e9")]
    text = render_text(Report(errors + warnings, files=1, entries=9))
    assert all(text_line(f) in text for f in errors)
    assert "  LB111 empty-string ×7 in 3 entries: An empty string where null is meant\n" in text
    assert f"    first: {text_line(warnings[0])}\n" in text
    assert text.index("LB111 empty-string ×7") < text.index("LB304 same-configuration ×1")
    assert text_line(warnings[1]) not in text
    verbose = render_text(Report(errors + warnings, files=1, entries=9), verbose=True)
    assert all(text_line(f) in verbose for f in errors + warnings)
    assert "by rule" not in verbose


def test_json_has_exactly_the_documented_keys() -> None:
    (item,) = json.loads(render_json(Report([_finding()])))
    assert set(item) == {"file", "line", "column", "path", "rule", "severity", "message", "hint"}
    assert item["path"] == "$.metrics.error_rate"
    assert item["line"] == 35


def test_github_annotations_escape_properties_and_data() -> None:
    finding = _finding(file="a,b:c.json", message="50%\nbad")
    line = github_line(finding)
    assert line.startswith("::error file=a%2Cb%3Ac.json,line=35,col=19,title=schema::")
    assert "50%25⟨U+000A⟩bad" in line  # a newline in a value is shown, as in the text format
    assert "\n" not in line
    carriage = github_line(_finding(file="x\r.json", message="ok\rFAILED"))
    assert carriage.startswith("::error file=x⟨U+000D⟩.json,")
    assert "ok⟨U+000D⟩FAILED" in carriage
    waived = render_github(Report([_finding(rule="LB201", waived="ok")]))
    assert waived.startswith("::notice ")
    assert "title=LB201 metric-positive" in waived


def test_json_lines_are_exactly_what_json_dumps_writes() -> None:
    tricky = [
        Finding('a"b\\.json', ("x", 1, "é\n"), "LB100", "error", 'm "q" \u2028 \x01 \ud83d', "h"),
        Finding("f.json", (), "LB201", "warning", "m", "", 3, 4, "id", "known"),
        Finding("d.json", (7, 'k"\\\u2028', 0, "é"), "LB111", "warning", "m", "h", 9, 1, "id"),
        Finding("d.json", (12, 3), "LB100", "error", "m", "h", 9, 1),
    ]
    for finding in tricky:
        assert json_line(finding) == json.dumps(finding.as_dict(), ensure_ascii=False)


@given(
    st.lists(st.one_of(st.integers(0, 10**6), st.text(max_size=8)), max_size=5),
    st.text(max_size=20),
)
def test_json_lines_of_any_pointer_and_message_are_json_dumps(pointer: list[str | int], message: str) -> None:
    # Items of a data file (a leading index) encode their repeated steps once: the same bytes.
    finding = Finding("d.json", tuple(pointer), "LB111", "warning", message, "h", 1, 2)
    assert json_line(finding) == json.dumps(finding.as_dict(), ensure_ascii=False)


def test_written_json_is_the_rendered_json() -> None:
    for findings in ([], [_finding(), _finding(severity="warning", waived="known")]):
        stream = io.StringIO()
        write_json(Report(findings), stream)
        assert stream.getvalue() == render_json(Report(findings))
