"""`leaderboard-bot submit` and `diff` as a user runs them, on real files in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SAGELLM_CORPUS


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "bot", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, check=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in ("leaderboard_single.json", "leaderboard_multi.json"):
        shutil.copy(ROOT / "data" / name, target / name)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_dry_run_prints_the_comment_and_writes_nothing(data_dir: Path) -> None:
    before = _snapshot(data_dir)
    done = _run("submit", "examples", "--data-dir", str(data_dir), "--dry-run", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!-- leaderboard-bot:summary -->")
    assert "4 new entries" in done.stdout
    assert "dry run: nothing written" in done.stderr
    assert _snapshot(data_dir) == before


def test_merging_one_entry_touches_only_the_appended_lines(data_dir: Path) -> None:
    subprocess.run(["git", "init", "-q", str(data_dir)], check=True)
    subprocess.run(["git", "-C", str(data_dir), "add", "."], check=True)
    done = _run("submit", "examples/single-gpu.json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    numstat = subprocess.run(
        ["git", "-C", str(data_dir), "diff", "--numstat"], capture_output=True, text=True, check=True
    ).stdout.split()
    entry_lines = len(
        json.dumps(json.loads((ROOT / "examples/single-gpu.json").read_text()), indent=2).splitlines()
    )
    assert numstat[2] == "leaderboard_single.json"
    added, deleted = int(numstat[0]), int(numstat[1])
    # Only the appended entry, plus at most the separator line ("}" -> "},") counted as rewritten.
    assert added - deleted == entry_lines
    assert deleted <= 1
    assert len(numstat) == 3  # the multi-node file is untouched
    assert _run("validate", str(data_dir)).returncode in (0, 1)


def test_errors_write_nothing_and_exit_1(data_dir: Path, tmp_path: Path) -> None:
    before = _snapshot(data_dir)
    bad = tmp_path / "bad.json"
    entry = json.loads((ROOT / "examples/single-gpu.json").read_text())
    entry["metrics"]["error_rate"] = 15
    bad.write_text(json.dumps(entry, indent=2))
    done = _run("submit", str(bad), str(ROOT / "examples/multi-node.json"), "--data-dir", str(data_dir))
    assert done.returncode == 1
    assert "15 is greater than the maximum of 1" in done.stdout
    assert "nothing written" in done.stderr
    assert _snapshot(data_dir) == before


def test_json_format_and_resubmission_is_refused(data_dir: Path) -> None:
    first = _run("submit", "examples/multi-node.json", "--data-dir", str(data_dir), "--format", "json")
    result = json.loads(first.stdout)
    assert result["valid"] is True
    assert result["added"] == ["c47d2b18-5e9a-4f63-b0d1-2a8e7f6c5b4a"]
    again = _run("submit", "examples/multi-node.json", "--data-dir", str(data_dir), "--format", "json")
    assert again.returncode == 1
    (finding,) = json.loads(again.stdout)["findings"]
    assert finding["rule"] == "LB302"
    assert finding["hint"].startswith("this very entry is already there, so it was merged before")
    changed = json.loads((ROOT / "examples/multi-node.json").read_text())
    changed["metadata"]["notes"] = "a different run that reused the id"
    (data_dir / "other.json").write_text(json.dumps(changed))
    other = _run("submit", str(data_dir / "other.json"), "--data-dir", str(data_dir), "--format", "json")
    (finding,) = [f for f in json.loads(other.stdout)["findings"] if f["rule"] == "LB302"]
    assert finding["hint"].endswith("give the new entry a fresh UUID")  # another entry: the usual fix


def test_edited_data_files_are_submissions_too(data_dir: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    head.mkdir()
    entries = json.loads((data_dir / "leaderboard_single.json").read_text())
    entries.append(json.loads((ROOT / "examples/single-gpu.json").read_text()))
    (head / "leaderboard_single.json").write_text(json.dumps(entries, indent=2))
    done = _run("submit", str(head / "leaderboard_single.json"), "--data-dir", str(data_dir), "--dry-run")
    assert done.returncode == 0, done.stdout
    assert "added 3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d" in done.stdout


def test_missing_data_dir_exits_2(tmp_path: Path) -> None:
    done = _run("submit", "examples", "--data-dir", str(tmp_path / "none"))
    assert done.returncode == 2
    assert "data file not found" in done.stderr


def test_diff_between_two_data_directories(data_dir: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(data_dir, head)
    assert _run("submit", "examples/single-gpu.json", "--data-dir", str(head)).returncode == 0
    done = _run("diff", str(data_dir), str(head), "--format", "json")
    assert json.loads(done.stdout) == {
        "added": ["3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d"],
        "removed": [],
        "changed": [],
        "changes": {},
    }
    text = _run("diff", str(data_dir), str(head)).stdout
    assert text.splitlines() == [
        "+ 3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d (leaderboard_single.json)",
        "1 added, 0 removed, 0 changed",
    ]
    assert _run("diff", str(data_dir), str(tmp_path / "nope")).returncode == 2


def test_diff_reports_a_second_copy_of_an_entry(data_dir: Path, tmp_path: Path) -> None:
    """A push that bypassed the bot can publish an entry twice: the diff says so (path `copies`)."""
    head = tmp_path / "head"
    shutil.copytree(data_dir, head)
    entries = json.loads((head / "leaderboard_single.json").read_text(encoding="utf-8"))
    copied = entries[0]["entry_id"]
    (head / "leaderboard_single.json").write_text(json.dumps([*entries, entries[0]], indent=2))
    result = json.loads(_run("diff", str(data_dir), str(head), "--format", "json").stdout)
    assert result["changed"] == [copied]
    assert result["changes"][copied] == [{"path": "copies", "old": 1, "new": 2}]
    back = json.loads(_run("diff", str(head), str(data_dir), "--format", "json").stdout)
    assert back["changes"][copied] == [{"path": "copies", "old": 2, "new": 1}]
    assert "    copies: 1 -> 2" in _run("diff", str(data_dir), str(head)).stdout


def test_diff_names_items_that_are_not_entries_instead_of_calling_the_rest_removed(
    data_dir: Path, tmp_path: Path
) -> None:
    """[1, "x", null] as the head's single-node file was "0 added, 47 removed, 0 changed", exit 0."""
    head = tmp_path / "head"
    shutil.copytree(data_dir, head)
    (head / "leaderboard_single.json").write_text('[1,\n {"entry_id": 7},\n {"a": 1}]\n')
    done = _run("diff", str(data_dir), str(head))
    assert done.returncode == 2
    assert done.stdout == ""
    name = head / "leaderboard_single.json"
    assert f"{name}:1:2: error: $[0]: a number, not an entry with a text entry_id" in done.stderr
    assert f"{name}:2:2: error: $[1]: an object whose entry_id is a number" in done.stderr
    assert f"{name}:3:2: error: $[2]: an object without entry_id" in done.stderr
    assert f"run `leaderboard-bot validate {head}`" in done.stderr


@pytest.mark.parametrize("broken", ["[", "{}", "null", ""])
def test_a_data_file_that_does_not_load_is_named_and_nothing_is_written(data_dir: Path, broken: str) -> None:
    """A data file that cannot be read as an array of entries is reported with its own error, the
    entries bound for it are refused, and no file changes (it once ended in a KeyError traceback)."""
    (data_dir / "leaderboard_single.json").write_text(broken, encoding="utf-8")
    before = _snapshot(data_dir)
    for mode in (("--dry-run",), ()):
        done = _run("submit", "examples/single-gpu.json", "--data-dir", str(data_dir), *mode)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert f"{data_dir}/leaderboard_single.json:1:" in done.stdout
        assert "belongs in leaderboard_single.json, which could not be read" in done.stdout
        assert _snapshot(data_dir) == before


def test_a_data_file_holding_one_object_is_not_read_as_an_entry(data_dir: Path) -> None:
    """A submission file may hold one entry object; a data file must be an array."""
    entry = (ROOT / "examples/single-gpu.json").read_text(encoding="utf-8")
    (data_dir / "leaderboard_single.json").write_text(entry, encoding="utf-8")
    done = _run("validate", str(data_dir))
    assert done.returncode == 1
    assert "leaderboard_single.json:1:1: error: $: a data file holds an array of entries" in done.stdout
    assert "wrap the entry in [ ]" in done.stdout


def test_a_submitter_that_is_not_utf8_is_refused_before_anything_runs(data_dir: Path) -> None:
    """argv bytes that are not UTF-8 decode to lone surrogates: they passed the dry run and then failed the
    real write with a UnicodeEncodeError traceback."""
    entry = json.loads((ROOT / "examples/single-gpu.json").read_text(encoding="utf-8"))
    del entry["metadata"]["submitter"]
    submission = data_dir.parent / "entry.json"
    submission.write_text(json.dumps(entry), encoding="utf-8")
    before = _snapshot(data_dir)
    done = _run("submit", str(submission), "--data-dir", str(data_dir), "--submitter", "a\udcffb")
    assert done.returncode == 2
    assert "argument --submitter: not valid UTF-8 text" in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("name", "why"),
    [("   ", "blank"), ("Ann\nLee", "holds a line break"), ("Ann\x1b[2J", "a control character")],
)
def test_a_blank_or_multi_line_submitter_is_refused(data_dir: Path, name: str, why: str) -> None:
    """Blanks and line breaks were written into metadata.submitter ("Ready to merge")."""
    before = _snapshot(data_dir)
    done = _run("submit", "examples/single-gpu.json", "--data-dir", str(data_dir), "--submitter", name)
    assert done.returncode == 2
    assert "argument --submitter: " in done.stderr
    assert why in done.stderr
    assert _snapshot(data_dir) == before


def test_a_data_file_that_is_a_link_stays_a_link(data_dir: Path, tmp_path: Path) -> None:
    """Merging writes the link's target (atomically, beside it); the link itself is not replaced."""
    real = tmp_path / "elsewhere" / "leaderboard_single.json"
    real.parent.mkdir()
    (data_dir / "leaderboard_single.json").rename(real)
    (data_dir / "leaderboard_single.json").symlink_to(real)
    done = _run("submit", "examples/single-gpu.json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (data_dir / "leaderboard_single.json").is_symlink()
    entries = json.loads(real.read_text(encoding="utf-8"))
    assert entries[-1]["entry_id"] == json.loads((ROOT / "examples/single-gpu.json").read_text())["entry_id"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["leaderboard_single.json"]  # no temporary left


def test_an_unwritable_data_file_is_an_error_not_a_traceback(data_dir: Path, tmp_path: Path) -> None:
    """A place the merge cannot write (here: a name too long for the temporary file beside it; a
    read-only folder is the same for a user who is not root) exits 2 and leaves the data as it was."""
    real = tmp_path / ("x" * 250 + ".json")
    (data_dir / "leaderboard_single.json").rename(real)
    (data_dir / "leaderboard_single.json").symlink_to(real)
    before = real.read_bytes()
    done = _run("submit", "examples/single-gpu.json", "--data-dir", str(data_dir))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{data_dir / 'leaderboard_single.json'}: cannot be written (File name too long)" in done.stderr
    assert "nothing was written" in done.stderr
    assert real.read_bytes() == before


HOSTILE_ID = "\x1b]0;pwned\x07\n::error file=data/x.json::forged\r"


def test_a_hostile_entry_id_reaches_no_terminal_as_itself(data_dir: Path, tmp_path: Path) -> None:
    """An entry id is any text until the schema refuses it, and LB302 and the plan name it: an escape,
    a carriage return or a newline in it must not act on the terminal, nor start a forged log line."""
    entry = json.loads((ROOT / "examples" / "single-gpu.json").read_text(encoding="utf-8"))
    entry["entry_id"] = HOSTILE_ID
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(entry), encoding="utf-8")
    runs = [
        _run("validate", str(tmp_path / "a.json"), str(tmp_path / "b.json")),
        _run("validate", "--format", "github", str(tmp_path / "a.json"), str(tmp_path / "b.json")),
        _run("submit", str(tmp_path / "a.json"), "--data-dir", str(data_dir), "--dry-run"),
    ]
    head = tmp_path / "head"
    shutil.copytree(data_dir, head)
    single = json.loads((head / "leaderboard_single.json").read_text(encoding="utf-8"))
    (head / "leaderboard_single.json").write_text(json.dumps([*single, entry], indent=2), encoding="utf-8")
    runs.append(_run("diff", str(data_dir), str(head)))
    for done in runs:
        assert "⟨U+001B⟩]0;pwned⟨U+0007⟩⟨U+000A⟩::error file=data/x.json::forged⟨U+000D⟩" in done.stdout
        assert not any(ord(c) < 0x20 and c != "\n" for c in done.stdout), done.args
        assert not [line for line in done.stdout.splitlines() if line.startswith("::error file=data/x.json")]


def test_a_run_directory_among_submissions_is_left_to_the_pr_check(data_dir: Path, tmp_path: Path) -> None:
    """pre-commit and `submit data/submissions` see a committed run directory's files: they are not
    entries (config.json, *_metrics.json, import.yaml), so they are skipped with a note saying how
    to check the run, and the entry files beside them are checked as before."""
    submissions = tmp_path / "submissions"
    run = submissions / "run1"
    shutil.copytree(SAGELLM_CORPUS / "outputs" / "cpu" / "tiny-gpt2" / "Q3_20261202_001", run)
    (run / "import.yaml").write_text("set:\n  model.parameters: 1M\n")
    shutil.copy(ROOT / "examples" / "single-gpu.json", submissions / "h100.json")
    for command in ("validate", "submit"):
        options = ("--data-dir", str(data_dir), "--dry-run") if command == "submit" else ()
        done = _run(command, str(submissions), *options)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"note: {run}: a benchmark run directory (it holds config.json)" in done.stderr
        assert f"`leaderboard-bot import {run} --submitter NAME" in done.stderr
        assert "Q3_metrics.json" not in done.stdout
    done = _run("submit", str(submissions), "--data-dir", str(data_dir), "--dry-run", "--format", "json")
    written = [Path(name).name for name in json.loads(done.stdout)["files"]]
    assert written == ["leaderboard_single.json"]
