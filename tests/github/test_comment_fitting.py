"""Issue 12, case 7: when the comment must be shortened, the problems stay.

End to end through the stand-in (which refuses comment bodies over GitHub's 65,536 characters): a
301-file results PR whose one error used to be cut while "1 error" stayed, and a PR with so many
errors that not even they fit. Every error's ``file:line:col`` is in the comment (or, beyond what
fits, counted there and listed in the job summary); tables, the JSON and warnings go first.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.contract.findings import Finding
from bot.render.fitting import Draft, fit
from tests.support.bot_stage import REPO, Run, Stage, as_file, entry
from tests.support.standin import GitHubStandin

GITHUB_LIMIT = 65_536
WHERE = re.compile(r"`(data/submissions/[^`:]+:\d+:\d+)`")


@pytest.fixture
def stage(github_standin: GitHubStandin, tmp_path: Path) -> Stage:
    return Stage(github_standin, tmp_path)


def _fresh(index: int, **changes: Any) -> dict[str, Any]:
    """A valid entry of its own configuration (no LB304 between them), with a warning: no command."""
    return entry(
        entry_id=str(uuid.UUID(int=index + 1, version=4)),
        workload__batch_size=index + 2,
        metadata__reproducible_cmd=None,
        **changes,
    )


def _errors_in(text: str) -> list[str]:
    """The file:line:col of every error line of a report."""
    return [
        m.group(1) for line in text.splitlines() if line.startswith("- ❌") for m in [WHERE.search(line)] if m
    ]


def _checked(stage: Stage, number: int) -> tuple[Run, str]:
    """Deliver the PR's event: the check fails, and its one comment fits GitHub's limit."""
    run = stage.pr_event(number)
    assert run.code == 1
    (comment,) = stage.bot_comments(number)
    body = str(comment["body"])
    assert len(body) <= GITHUB_LIMIT
    return run, body


def _check_run_summary(stage: Stage, number: int) -> str:
    head = stage.srv.pull(REPO, number)["head"]["sha"]
    (check,) = stage.srv.api("admin").get(f"/repos/{REPO}/commits/{head}/check-runs")["check_runs"]
    return str(check["output"]["summary"])


def test_a_301_file_pr_keeps_its_one_error_and_cuts_tables_json_and_warnings(stage: Stage) -> None:
    files = {f"data/submissions/run{i:03d}.json": as_file(_fresh(i)) for i in range(300)}
    files["data/submissions/bad.json"] = as_file(_fresh(300, metrics__error_rate=12))
    number = stage.open_pr(files)
    assert stage.srv.pull(REPO, number)["changed_files"] == 301
    run, body = _checked(stage, number)
    assert "❌ **1 error** must be fixed" in body
    line = next(
        n for n, text in enumerate(files["data/submissions/bad.json"].splitlines(), 1) if "error_rate" in text
    )
    assert _errors_in(body) == [f"data/submissions/bad.json:{line}:19"]
    assert "12 is greater than the maximum of 1" in body.replace("\\", "")
    assert "> [!NOTE]" in body
    assert (
        "the normalized JSON, the table of new entries, the plausibility lines and the warnings are left out"
        in body
    )
    assert "every error is listed with its place" in body
    assert "full report is in the [job summary](https://github.example/" in body
    assert "#### New entries" not in body
    assert "LB205" not in body
    # The job summary holds what was cut: the table, every warning, the JSON.
    assert "#### New entries" in run.summary
    assert run.summary.count("(LB205)") == 301
    assert _errors_in(run.summary) == _errors_in(body)
    assert _check_run_summary(stage, number) == body


def test_when_even_the_errors_do_not_fit_the_first_ones_stay_whole_and_the_rest_are_counted(
    stage: Stage,
) -> None:
    bad = [_fresh(i, metrics__error_rate=12 + i, hardware__vendor="nvidia") for i in range(400)]
    run, body = _checked(stage, stage.open_pr({"data/submissions/many.json": as_file(bad)}))
    assert "❌ **800 errors** must be fixed" in body
    everything = _errors_in(run.summary)
    assert len(everything) == 800  # the job summary lists every error
    shown = _errors_in(body)
    assert 50 < len(shown) < 800
    assert shown == everything[: len(shown)]  # the first errors, in report order, each one whole
    assert f"the first {len(shown)} of 800 errors are listed with their places" in body
    assert f"- … and {800 - len(shown)} more errors, listed in the full report in the [job summary]" in body
    error_lines = [line for line in body.splitlines() if line.startswith("- ❌")]
    assert all(line.endswith(")") for line in error_lines)  # no line cut in the middle


def _finding(index: int, severity: str) -> Finding:
    level: Any = severity
    finding = Finding("data/submissions/x.json", ("metrics",), "LB201", level, "m" * 200)
    finding.line, finding.column = index + 1, 3
    return finding


def _problems(findings: Any) -> str:
    return "\n".join(
        f"- {'❌' if f.severity == 'error' else '⚠️'} `{f.file}:{f.line}:{f.column}` {f.message}"
        for f in findings
    )


def test_the_cut_order_is_json_tables_warnings_then_the_lists_of_changes() -> None:
    findings = [_finding(0, "error"), *(_finding(i, "warning") for i in range(1, 40))]
    parts = {"added": "a" * 3000, "changed": "c" * 3000, "problems": "", "details": "d" * 3000}
    draft = Draft("head", parts, findings, "footer", _problems)
    assert fit(draft, None, "in the job summary").count("⚠️") == 39
    steps = [fit(draft, limit, "in the job summary") for limit in (17_000, 14_000, 11_000, 3_000)]
    assert ["d" * 3000 in s for s in steps] == [False] * 4
    assert ["a" * 3000 in s for s in steps] == [True, False, False, False]
    assert ["⚠️" in s for s in steps] == [True, True, False, False]
    assert ["c" * 3000 in s for s in steps] == [True, True, True, False]
    assert all("`data/submissions/x.json:1:3`" in s for s in steps)
    assert all(len(s) <= limit for s, limit in zip(steps, (17_000, 14_000, 11_000, 3_000), strict=True))
