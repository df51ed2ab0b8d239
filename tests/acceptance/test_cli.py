"""The command line as a user runs it: a real subprocess, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from bot import __version__
from tests.support.paths import ROOT

INVALID = ROOT / "tests" / "cases" / "invalid"


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_version() -> None:
    done = _run("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"leaderboard-bot {__version__}")


def test_version_does_not_import_the_heavy_modules() -> None:
    code = "import sys; from bot.cli.main import main\ntry: main(['--version'])\nexcept SystemExit: pass\n"
    heavy = "('jsonschema', 'jsonschema_rs', 'ruamel', 'github')"
    code += f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip().endswith("[]")


def test_validate_examples_and_data_passes() -> None:
    done = _run("validate", "examples", "data")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("OK: 6 files, 52 entries: 0 errors")


def test_readme_first_command_fits_on_one_screen_and_names_every_error(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    first = block.split("# 2.", 1)[0]
    assert "leaderboard-bot validate examples data" in first
    assert "leaderboard-bot submit examples --dry-run" in first
    validate, submit = _run("validate", "examples", "data"), _run("submit", "examples", "--dry-run")
    lines = (validate.stdout + submit.stdout + submit.stderr).splitlines()
    assert len(lines) <= 60, "\n".join(lines)
    assert lines[validate.stdout.count("\n") - 1].startswith("OK: 6 files, 52 entries")
    assert "✅ Ready to merge: 4 new entries." in submit.stdout
    # A broken copy of the data still names every error in full, one line each.
    broken = tmp_path / "data"
    broken.mkdir()
    entries = json.loads((ROOT / "data" / "leaderboard_single.json").read_text(encoding="utf-8"))
    for entry in entries[:12]:
        entry["metrics"]["error_rate"] = 7
    (broken / "leaderboard_single.json").write_text(json.dumps(entries, indent=2), encoding="utf-8")
    failed = _run("validate", str(broken))
    assert failed.returncode == 1
    assert failed.stdout.count("greater than the maximum of 1 [schema]") == 12
    verbose = _run("validate", "--verbose", str(broken))
    assert verbose.stdout.count("[LB111]") > 12


def test_validate_reports_every_file_and_exits_1() -> None:
    done = _run("validate", "--format", "json", str(INVALID / "nan.json"), str(INVALID / "enum-case.json"))
    assert done.returncode == 1
    findings = json.loads(done.stdout)
    assert {Path(f["file"]).name for f in findings} == {"nan.json", "enum-case.json"}
    assert "Traceback" not in done.stderr


def test_warnings_alone_exit_0() -> None:
    done = _run("validate", str(INVALID / "empty-strings.json"))
    assert done.returncode == 0
    assert "warnings (3) by rule" in done.stdout


def test_unreadable_paths_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    missing = _run("validate", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr
    assert _run("validate").returncode == 2
    assert _run("validate", "--format", "xml", "data").returncode == 2
    assert _run("validate", "--config", str(tmp_path / "cfg.yml"), "data").returncode == 2


def test_a_link_to_nothing_or_a_loop_of_links_is_named_as_such(tmp_path: Path) -> None:
    """Both were "no such file or directory", as if the name itself were wrong."""
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    (tmp_path / "gone.json").symlink_to(tmp_path / "deleted.json")
    for name, target in (("a.json", "b.json"), ("gone.json", "deleted.json")):
        done = _run("validate", str(tmp_path / name))
        assert done.returncode == 2
        assert (
            f"{tmp_path / name}: a symbolic link to {tmp_path / target}, which leads to no file"
            in done.stderr
        )


def test_config_errors_fail_the_run(tmp_path: Path) -> None:
    config = tmp_path / "cfg.yml"
    config.write_text("rulez: {}\n")
    done = _run("validate", "--config", str(config), "examples")
    assert done.returncode == 1
    assert 'unknown key "rulez" [LB010] (hint: did you mean "rules"?)' in done.stdout


def test_default_config_is_picked_up_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "leaderboard-bot.yml").write_text("rules: {LB111: 'off'}\n")
    target = INVALID / "empty-strings.json"
    done = _run("validate", str(target), cwd=tmp_path)
    assert done.returncode == 0
    assert "0 warnings" in done.stdout


def test_github_format_emits_workflow_commands() -> None:
    done = _run("validate", "--format", "github", str(INVALID / "all-failed.json"))
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=")


def test_directory_walk_skips_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.json").write_text("{")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "e.json").write_bytes((ROOT / "examples" / "single-gpu.json").read_bytes())
    (tmp_path / "a" / "notes.txt").write_text("not data")
    done = _run("validate", str(tmp_path))
    assert done.returncode == 0
    assert "1 file, 1 entry" in done.stdout


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    """A folder and a file in it, or a link to it: one file, so no entry is its own duplicate (LB301)."""
    (tmp_path / "link.json").symlink_to(ROOT / "examples" / "single-gpu.json")
    done = _run("validate", "examples", "examples/single-gpu.json", str(tmp_path / "link.json"))
    assert done.returncode == 0, done.stdout
    assert "OK: 4 files, 4 entries: 0 errors" in done.stdout


def test_a_pipe_is_refused_instead_of_read_forever(tmp_path: Path) -> None:
    pipe = tmp_path / "entry.json"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(pipe)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert f"{pipe}: not a regular file or folder" in done.stderr
    folder = _run("validate", str(tmp_path))  # inside a folder it is passed over: nothing is left to check
    assert folder.returncode == 2
    assert f"{tmp_path}: no .json, .yaml or .yml files in this folder" in folder.stderr


def _handle_event(tmp_path: Path, payload: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``handle-event`` as a workflow step runs it, on a pull_request event file holding ``payload``."""
    event = tmp_path / "event.json"
    event.write_text(payload)
    names = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "o/r"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "handle-event"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **names, **env},
        check=False,
    )


@pytest.mark.parametrize("payload", ["[]", '"push"', "null"])
def test_handle_event_refuses_an_event_file_that_is_no_payload(tmp_path: Path, payload: str) -> None:
    """A webhook payload is a JSON object; anything else once ended in an AttributeError traceback."""
    done = _handle_event(tmp_path, payload, GITHUB_TOKEN="t")
    assert done.returncode == 2
    assert f"{tmp_path / 'event.json'}: not a webhook payload (a JSON object)" in done.stderr
    assert "Traceback" not in done.stderr


def test_handle_event_names_an_event_file_it_cannot_read_or_parse(tmp_path: Path) -> None:
    missing = _handle_event(tmp_path, "{}", GITHUB_EVENT_PATH=str(tmp_path / "gone.json"))
    assert missing.returncode == 2
    assert missing.stderr == (
        f"leaderboard-bot: error: {tmp_path / 'gone.json'}: the event file cannot be read (No such file or "
        "directory); GITHUB_EVENT_PATH names it\n"
    )
    broken = _handle_event(tmp_path, "{not json")
    assert broken.returncode == 2
    assert f"{tmp_path / 'event.json'}: not a webhook payload (a JSON object)" in broken.stderr
    assert "Expecting" not in broken.stderr
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"action": "caf\xe9"}')
    undecodable = _handle_event(tmp_path, "{}", GITHUB_EVENT_PATH=str(latin1))
    assert undecodable.returncode == 2
    assert undecodable.stderr == (
        f"leaderboard-bot: error: {latin1}: not a webhook payload (a JSON object); GITHUB_EVENT_PATH names "
        "the event file\n"
    )


def test_handle_event_names_the_actions_config_input_when_the_config_file_is_missing(tmp_path: Path) -> None:
    """The command line's message told an Action's user to "leave --config out", which no Action has."""
    done = _handle_event(tmp_path, "{}", GITHUB_WORKSPACE=str(tmp_path), LEADERBOARD_CONFIG="ci/bot.yml")
    assert done.returncode == 2
    assert done.stderr == (
        f"leaderboard-bot: error: {tmp_path / 'ci' / 'bot.yml'}: no such config file in the checkout: commit"
        " one there (`leaderboard-bot init` writes a starter), or set the Action's `config` input to the path"
        " of yours\n"
    )


def test_a_full_disk_for_the_output_is_one_line_not_a_traceback() -> None:
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "validate", "examples"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=False,
        )
    assert done.returncode == 1
    assert "output could not be written (No space left on device); no data file was changed" in done.stderr
    assert "Traceback" not in done.stderr


# Registers an atexit handler (which a normal exit runs and os._exit skips), then runs the console
# script's entry point as the installed ``leaderboard-bot`` does.
CONSOLE = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))
from bot.cli.main import console_main
sys.argv = ["leaderboard-bot", *sys.argv[1:]]
console_main()
"""


def _console(*args: str, stdout: int | IO[str] = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", CONSOLE, *args]
    return subprocess.run(
        command, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env, check=False
    )


def test_a_console_validate_run_prints_its_whole_report_then_ends_without_teardown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The report of a console run is what main prints in-process, to the last byte, and its exit
    code is main's; the process then ends at once (bot.cli.fast_exit), so no atexit handler runs."""
    from bot.cli.main import main

    args = ["validate", "--format", "json", "data", str(INVALID)]
    code = main(args)  # in-process: main returns, nothing ends the test process
    in_process = capsys.readouterr().out
    done = _console(*args)
    assert (done.returncode, code) == (1, 1)
    assert done.stdout == in_process
    assert len(json.loads(done.stdout)) > 20
    assert "torn down" not in done.stderr
    version = _console("--version")  # a command that does not end the run itself exits as usual
    assert (version.returncode, version.stdout.strip()) == (0, f"leaderboard-bot {__version__}")
    assert "torn down" in version.stderr


def test_a_console_validate_run_into_a_closed_pipe_ends_quietly() -> None:
    """``| head`` closes the pipe long before the report ends: the flush before the fast exit fails,
    and main answers it as before (exit 0, no traceback, no message)."""
    reader, writer = os.pipe()
    os.close(reader)
    with os.fdopen(writer, "w") as closed:
        done = _console("validate", "--format", "json", "data", str(INVALID), stdout=closed)
    # Nothing on stderr but the atexit marker: main answered the closed pipe and the run ended as usual.
    assert (done.returncode, done.stderr) == (0, "torn down\n")


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_config_path_that_is_no_file_is_one_clear_line(tmp_path: Path, kind: str) -> None:
    """A folder given as --config answered "[Errno 21] Is a directory: 'cfg'", Python's words."""
    config = tmp_path / "cfg"
    if kind == "folder":
        config.mkdir()
    done = _run("validate", "--config", str(config), "examples")
    assert done.returncode == 2
    expected = {
        "missing": f"{config}: no such config file (check the path, or leave --config out to use "
        ".github/leaderboard-bot.yml when present, else the defaults)",
        "folder": f"{config}: cannot be read as the config file (Is a directory); name the YAML file itself",
    }
    assert done.stderr == f"leaderboard-bot: error: {expected[kind]}\n"
