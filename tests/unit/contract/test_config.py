"""The configuration file: defaults, overrides, waivers and precise errors."""

from __future__ import annotations

import pytest

from bot.contract.config import HINT_RULE_IDS, MSG_WAIVER, Config, load_config
from bot.contract.hints import one_edit_apart
from bot.contract.validate import validate_inputs
from bot.ledger.data_files import DATA_FILES
from tests.support.cases_support import INVALID, NOW, case_inputs
from tests.support.paths import ROOT


def _load(text: str) -> tuple[Config, list[tuple[str, int | None, str, str]]]:
    config, findings = load_config("cfg.yml", text.encode())
    return config, [(f.path, f.line, f.message, f.hint) for f in findings]


def test_empty_file_means_defaults() -> None:
    config, problems = _load("{}\n")
    assert problems == []
    assert config.max_submission_bytes == 5 * 1024 * 1024
    assert config.same_config_policy == "keep-both"


def test_all_sections_are_read() -> None:
    text = """
rules:
  LB205: "off"
  LB304: error
limits: {max_submission_bytes: 100, max_depth: 8}
checks: {memory_tolerance: 0.1, clock_skew_minutes: 0}
merge: {same_config_policy: reject}
waivers:
  - {entry_id: 3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d, rule: LB201, reason: known upstream zero run}
"""
    config, problems = _load(text)
    assert problems == []
    assert config.severities == {"LB205": "off", "LB304": "error"}
    assert (config.max_submission_bytes, config.max_depth) == (100, 8)
    assert config.options.memory_tolerance == 0.1
    assert config.same_config_policy == "reject"
    assert config.waivers[0].rule == "LB201"
    assert config.waivers[0].line == 9


def test_unknown_keys_and_rules_are_errors_with_hints() -> None:
    text = "rule:\n  LB205: warning\nrules:\n  LB2O5: warning\n  LB201: fatal\n  LB001: warning\n"
    text += "limits:\n  max_depht: 3\n"
    _, problems = _load(text)
    assert problems == [
        ("$.rule", 1, 'unknown key "rule"', 'did you mean "rules"?'),
        ("$.rules.LB2O5", 4, 'unknown rule id "LB2O5"', 'did you mean "LB205"?'),
        (
            "$.rules.LB201",
            5,
            '"fatal" is not a valid value for LB201: expected error | warning | off',
            problems[2][3],
        ),
        (
            "$.rules.LB001",
            6,
            "rule LB001 guards the parser or the merge and cannot be changed",
            problems[3][3],
        ),
        ("$.limits.max_depht", 8, 'unknown key "max_depht"', 'did you mean "max_depth"?'),
    ]


def test_a_rule_id_is_guessed_only_for_a_one_character_slip() -> None:
    """LB999 once got 'did you mean "LB309"?', which is no closer to it than LB901 is."""
    text = "rules:\n  lb111: warning\n  LB2055: warning\n  LB999: warning\n"
    text += "waivers:\n  - {entry_id: x, rule: LB20, reason: r}\n"
    _, problems = _load(text)
    assert [(path, hint) for path, _, _, hint in problems] == [
        ("$.rules.lb111", 'did you mean "LB111"?'),
        ("$.rules.LB2055", 'did you mean "LB205"?'),
        ("$.rules.LB999", HINT_RULE_IDS),
        ("$.waivers[0].rule", HINT_RULE_IDS),  # LB201, LB202, ...: no one guess
    ]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("LB205", "LB205", True),
        ("LB2O5", "LB205", True),
        ("LB2055", "LB205", True),
        ("LB20", "LB205", True),
        ("LB999", "LB309", False),
        ("LB502", "LB205", False),
        ("LB2", "LB205", False),
    ],
)
def test_one_edit_apart(first: str, second: str, expected: bool) -> None:
    assert one_edit_apart(first, second) is expected
    assert one_edit_apart(second, first) is expected


def test_bad_waivers_are_reported() -> None:
    _, problems = _load(
        "waivers:\n  - entry_id: x\n    rule: LB201\n  - {entry_id: y, rule: LB999, reason: r}\n"
    )
    assert [p[0] for p in problems] == ["$.waivers[0]", "$.waivers[1].rule"]


def test_a_waiver_whose_rule_is_not_text_is_reported_not_a_crash() -> None:
    _, problems = _load(
        "waivers:\n  - {entry_id: x, rule: [LB201], reason: r}\n  - {entry_id: y, rule: 5, reason: r}\n"
    )
    assert [p[0] for p in problems] == ["$.waivers[0].rule", "$.waivers[1].rule"]  # at the bad part


def test_broken_yaml_is_a_finding_not_a_crash() -> None:
    config, findings = load_config("cfg.yml", b"rules: [\n")
    assert [f.rule for f in findings] == ["LB001"]
    assert config == Config(source="cfg.yml")


def test_severity_override_and_off() -> None:
    inputs = case_inputs(INVALID / "git-commit.json")
    default = validate_inputs(inputs, Config(), NOW)
    assert {(f.rule, f.severity) for f in default.findings} == {("LB204", "error"), ("LB205", "warning")}
    tuned = validate_inputs(inputs, Config(severities={"LB204": "warning", "LB205": "off"}), NOW)
    assert [(f.rule, f.severity) for f in tuned.findings] == [("LB204", "warning")]
    assert tuned.errors == []


def test_waiver_moves_findings_aside_and_stale_waivers_are_reported() -> None:
    config, _ = load_config(
        "cfg.yml",
        b"waivers:\n"
        b"  - {entry_id: 3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d, rule: LB201, reason: known}\n"
        b"  - {entry_id: 3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d, rule: LB202, reason: stale}\n",
    )
    report = validate_inputs(case_inputs(INVALID / "zero-metrics.json"), config, NOW)
    assert report.errors == []
    assert len(report.waived) == 4
    (stale,) = report.warnings
    assert (stale.rule, stale.file, stale.line) == ("LB010", "cfg.yml", 3)


def test_a_waiver_for_an_entry_the_data_files_do_not_hold_is_reported() -> None:
    """Checked against both data files, a waiver naming no entry is a typo or outlived its entry;
    checked against one submission, it may well name a published entry and is left alone."""
    missing = "00000000-0000-4000-8000-000000000000"
    config, _ = load_config(
        "cfg.yml", f"waivers:\n  - {{entry_id: {missing}, rule: LB201, reason: typo}}\n".encode()
    )
    data = [(f"data/{name}", (ROOT / "data" / name).read_bytes()) for name in DATA_FILES]
    (orphan,) = [f for f in validate_inputs(data, config, NOW).warnings if f.rule == "LB010"]
    assert (orphan.file, orphan.line) == ("cfg.yml", 2)
    assert orphan.message == f"the waiver for entry {missing} and rule LB201 names no entry of the data files"
    assert "typo" in orphan.hint
    alone = validate_inputs(case_inputs(INVALID / "zero-metrics.json"), config, NOW)
    assert [f for f in alone.warnings if f.rule == "LB010"] == []


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("merge: {same_config_policy: keep_both}\n", "keep-both"),
        ("rules: {LB304: warn}\n", "warning"),
        ("rules: {LB205: of}\n", "off"),
        ("sync: {dataset: a/b, source: agregate}\n", "aggregate"),
    ],
)
def test_a_misspelt_choice_names_the_one_meant(text: str, meant: str) -> None:
    _, problems = _load(text)
    ((_, _, message, _),) = problems
    assert message.endswith(f"(did you mean {meant!r}?)")


@pytest.mark.parametrize("text", [b"", b"# every setting commented out\n# rules: {LB205: off}\n", b"\n\n"])
def test_an_empty_config_file_means_the_defaults(text: bytes) -> None:
    """It was LB005 with the hint to "put an entry object or an array of entries in the file"."""
    assert load_config("cfg.yml", text) == (Config(source="cfg.yml"), [])


def test_a_waivers_missing_or_malformed_parts_are_each_named() -> None:
    _, problems = _load("waivers:\n  - {entry_id: x, rule: [LB201], reason: ''}\n  - {rule: LB201}\n")
    assert [(path, line, message) for path, line, message, _ in problems] == [
        ("$.waivers[0].rule", 2, "rule must be one rule id as text, such as LB201 (one waiver per rule)"),
        ("$.waivers[0].reason", 2, "reason must say, as text, why the finding is excused"),
        ("$.waivers[1]", 3, "this waiver has no entry_id: " + MSG_WAIVER),
        ("$.waivers[1]", 3, "this waiver has no reason: " + MSG_WAIVER),
    ]
