"""The report order: by file, line, column, rule and message, stable for findings equal in all five."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.contract.findings import Finding, in_report_order

# Few values each, so that many findings share a file, a position, a rule or a message (the ties).
FILES = st.sampled_from(["data/leaderboard_single.json", "data/leaderboard_multi.json", "a.yaml"])
RULES = st.sampled_from(["LB111", "LB201", "LB304", "schema", "LB010"])
MESSAGES = st.sampled_from(["", "x is 0", 'x is ""', "same configuration as entry 1", "é", "Z"])


@st.composite
def findings(draw: st.DrawFn, located: bool = True) -> Finding:
    line = draw(st.integers(1, 40) if located else st.none() | st.integers(1, 40))
    column = draw(st.integers(1, 6) if located else st.none() | st.integers(1, 6))
    finding = Finding(draw(FILES), (), draw(RULES), "warning", draw(MESSAGES))
    finding.line, finding.column = line, column
    return finding


def _identities(found: list[Finding]) -> list[int]:
    return [id(f) for f in found]


@settings(max_examples=300)
@given(st.lists(findings(), max_size=80))
def test_located_findings_come_exactly_in_sort_key_order(found: list[Finding]) -> None:
    expected = sorted(found, key=Finding.sort_key)  # stable: equal findings keep their order
    assert _identities(in_report_order(found)) == _identities(expected)


@settings(max_examples=200)
@given(st.lists(findings(located=False), max_size=40))
def test_findings_without_a_position_yet_sort_as_line_and_column_zero(found: list[Finding]) -> None:
    assert _identities(in_report_order(found)) == _identities(sorted(found, key=Finding.sort_key))


def test_a_later_rule_at_an_earlier_column_comes_first_and_files_sort_by_name() -> None:
    def at(file: str, line: int, column: int, rule: str, message: str = "m") -> Finding:
        finding = Finding(file, (), rule, "error", message)
        finding.line, finding.column = line, column
        return finding

    found = [at("b.json", 1, 1, "LB001"), at("a.json", 3, 9, "LB001"), at("a.json", 3, 2, "LB999")]
    found += [at("a.json", 3, 2, "LB100", "z"), at("a.json", 3, 2, "LB100", "a")]
    ordered = [(f.file, f.line, f.column, f.rule, f.message) for f in in_report_order(found)]
    assert ordered == [
        ("a.json", 3, 2, "LB100", "a"),
        ("a.json", 3, 2, "LB100", "z"),
        ("a.json", 3, 2, "LB999", "m"),
        ("a.json", 3, 9, "LB001", "m"),
        ("b.json", 1, 1, "LB001", "m"),
    ]
