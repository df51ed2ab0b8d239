"""`leaderboard-bot init`: real files in temporary repositories, the real GitHub schemas and zizmor on what
it writes, and this repository's own workflows as the templates' source of truth."""

from __future__ import annotations

import difflib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot import __version__
from bot.adopt.files import (
    CONFIG_PATH,
    DATA_FILES,
    SYNC_PATH,
    SYNC_WORKFLOW,
    WORKFLOW_DIR,
    WORKFLOWS,
    plan,
    template,
)
from bot.adopt.release import EXAMPLE_REF, MSG_UNRELEASED, Release
from bot.cli.main import main
from bot.contract.config import load_config
from bot.form.generator import FORM_PATH
from tests.support.paths import ROOT

SHA = "0123456789abcdef0123456789abcdef01234567"
NEWER = "fedcba9876543210fedcba9876543210fedcba98"
RELEASE = Release("acme/leaderboard-bot", SHA, "v0.1.0")
REF = f"acme/leaderboard-bot@{SHA}"
ZIZMOR = Path(sys.executable).with_name("zizmor")
MANAGED = [*(f"{WORKFLOW_DIR}/{name}" for name in WORKFLOWS), FORM_PATH, ".github/ISSUE_TEMPLATE/config.yml"]
STARTERS = [CONFIG_PATH, *DATA_FILES]
# The starter config's commented-out example, turned on.
SYNC_SECTION = "sync:\n  dataset: acme/benchmark-results\n"
# A file of a repository named in a text: `.github/leaderboard-bot.yml`, `bot/form/fields.py`.
NAMED_FILE = re.compile(r"(?<![\w./-])\.?[\w-]+(?:/[\w.-]+)+\.(?:py|md|json|ya?ml|toml)\b")


def init(*args: str) -> int:
    """Run `leaderboard-bot init` in-process."""
    return main(["init", *args])


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository folder."""
    path = tmp_path / "site"
    path.mkdir()
    return path


def test_fresh_directory_gets_every_file_and_the_settings_to_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"leaderboard-bot {__version__}, the Action as `uses: {RELEASE.uses}`:\n")
    for path in [*MANAGED, *STARTERS]:
        assert (repo / path).is_file(), path
        assert f"wrote     {path}" in out
    for setting in ('Source: "GitHub Actions"', "Allow GitHub Actions to create and approve", "bypass"):
        assert setting in out
    for name in WORKFLOWS:
        text = (repo / WORKFLOW_DIR / name).read_text(encoding="utf-8")
        assert f"- uses: {REF} # v0.1.0\n" in text, name
        assert "uses: ./" not in text, name
    assert [json.loads((repo / path).read_text()) for path in DATA_FILES] == [[], []]
    config, problems = load_config(CONFIG_PATH, (repo / CONFIG_PATH).read_bytes())
    assert problems == []
    assert config.waivers == ()


def with_sync(repo: Path) -> None:
    """The repository's config names a dataset to sync from (as the starter config's example shows)."""
    (repo / CONFIG_PATH).parent.mkdir(parents=True, exist_ok=True)
    (repo / CONFIG_PATH).write_text(SYNC_SECTION, encoding="utf-8")


@pytest.mark.parametrize("sync", [False, True], ids=["no-dataset", "dataset"])
def test_what_init_writes_passes_the_github_schemas_and_zizmor(repo: Path, sync: bool) -> None:
    if sync:
        with_sync(repo)
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    workflows = sorted((repo / WORKFLOW_DIR).glob("*.yml"))
    assert len(workflows) == 3 + sync
    checks = [
        ("vendor.github-workflows", workflows),
        ("vendor.github-issue-forms", [repo / FORM_PATH]),
        ("vendor.github-issue-config", [repo / ".github/ISSUE_TEMPLATE/config.yml"]),
    ]
    for schema, paths in checks:
        result = tool(sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *paths)
        assert result.returncode == 0, result.stdout + result.stderr
    for persona in ("regular", "pedantic"):
        result = tool(ZIZMOR, "--offline", "--persona", persona, repo / WORKFLOW_DIR)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout


def test_existing_different_files_are_refused_and_nothing_is_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = repo / WORKFLOW_DIR / "leaderboard.yml"
    mine.parent.mkdir(parents=True)
    mine.write_text("name: mine\n", encoding="utf-8")
    assert init(str(repo), "--action-ref", REF) == 1
    err = capsys.readouterr().err
    assert f"{WORKFLOW_DIR}/leaderboard.yml: exists and differs" in err
    assert "--force" in err
    assert mine.read_text(encoding="utf-8") == "name: mine\n"
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()) == [
        f"{WORKFLOW_DIR}/leaderboard.yml"
    ]


def test_force_replaces_managed_files_but_never_the_config_or_the_data(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", REF) == 0
    (repo / WORKFLOW_DIR / "pages.yml").write_text("name: edited\n", encoding="utf-8")
    (repo / CONFIG_PATH).write_text("rules:\n  LB205: error\n", encoding="utf-8")
    (repo / DATA_FILES[0]).write_text('[{"entry_id": "kept"}]\n', encoding="utf-8")
    capsys.readouterr()
    assert init(str(repo), "--action-ref", REF, "--force") == 0
    out = capsys.readouterr().out
    assert f"replaced  {WORKFLOW_DIR}/pages.yml" in out
    assert f"kept      {CONFIG_PATH}" in out
    assert f"unchanged {WORKFLOW_DIR}/leaderboard.yml" in out
    pages = next(p.text for p in plan(REF) if p.path.endswith("/pages.yml"))
    assert (repo / WORKFLOW_DIR / "pages.yml").read_text(encoding="utf-8") == pages
    assert (repo / CONFIG_PATH).read_text(encoding="utf-8") == "rules:\n  LB205: error\n"
    assert (repo / DATA_FILES[0]).read_text(encoding="utf-8") == '[{"entry_id": "kept"}]\n'


def test_data_files_are_created_only_when_missing(repo: Path) -> None:
    single = repo / DATA_FILES[0]
    single.parent.mkdir()
    single.write_text('[{"entry_id": "published"}]\n', encoding="utf-8")
    assert init(str(repo), "--action-ref", REF) == 0
    assert single.read_text(encoding="utf-8") == '[{"entry_id": "published"}]\n'
    assert (repo / DATA_FILES[1]).read_text(encoding="utf-8") == "[]\n"


def test_check_is_clean_after_init_and_reports_each_drift(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", REF) == 0
    capsys.readouterr()
    assert init(str(repo), "--action-ref", REF, "--check") == 0
    assert "up to date with leaderboard-bot" in capsys.readouterr().out
    relay = repo / WORKFLOW_DIR / "leaderboard-approval-relay.yml"
    relay.write_text(relay.read_text(encoding="utf-8").replace("timeout-minutes: 15", "timeout-minutes: 99"))
    (repo / FORM_PATH).unlink()
    (repo / CONFIG_PATH).write_text("rules: {}\n", encoding="utf-8")  # the config is the repository's own
    assert init(str(repo), "--action-ref", REF, "--check") == 1
    out = capsys.readouterr().out
    assert f"{WORKFLOW_DIR}/leaderboard-approval-relay.yml: differs" in out
    assert "-    timeout-minutes: 99\n+    timeout-minutes: 15\n" in out
    assert f"{FORM_PATH}: missing" in out
    assert CONFIG_PATH not in out
    assert "2 file(s) differ" in out
    assert not (repo / FORM_PATH).exists()  # --check writes nothing


def test_check_reports_an_upgrade_as_the_pinned_reference_changing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    newer = Release("acme/leaderboard-bot", NEWER, "v0.2.0").uses
    capsys.readouterr()
    assert init(str(repo), "--action-ref", newer, "--check") == 1
    changed = [
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    assert changed
    assert {" ".join(line.split()) for line in changed} == {f"- - uses: {RELEASE.uses}", f"+ - uses: {newer}"}
    assert init(str(repo), "--action-ref", newer, "--force") == 0
    assert init(str(repo), "--action-ref", newer, "--check") == 0


@pytest.mark.parametrize("name", [*WORKFLOWS, SYNC_WORKFLOW])
def test_the_packaged_templates_are_copies_of_this_repositorys_workflows(name: str) -> None:
    assert template(f"workflows/{name}") == (ROOT / WORKFLOW_DIR / name).read_text(encoding="utf-8"), (
        f"bot/adopt/templates/workflows/{name} is not a copy of {WORKFLOW_DIR}/{name}: after a change, "
        f"`cp {WORKFLOW_DIR}/{name} bot/adopt/templates/workflows/` "
        "(init writes the template to every adopter)"
    )


def test_this_repository_is_what_init_writes_with_the_action_as_dot_slash(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The packaged templates are this repository's workflows: a change to one without the other fails."""
    assert init(str(ROOT), "--action-ref", "./", "--check") == 0, capsys.readouterr().out


@pytest.mark.parametrize("name", [*WORKFLOWS, SYNC_WORKFLOW])
def test_pinned_workflows_differ_from_this_repositorys_only_in_the_action_reference(name: str) -> None:
    ours = (ROOT / WORKFLOW_DIR / name).read_text(encoding="utf-8").splitlines()
    pinned = next(p.text for p in plan(RELEASE.uses, sync=True) if p.path.endswith(f"/{name}")).splitlines()
    changes = [
        line
        for line in difflib.ndiff(ours, pinned)
        if line.startswith(("- ", "+ "))  # "? " lines are ndiff's hints
    ]
    removed = {line[2:].strip() for line in changes if line.startswith("- ")}
    added = {line[2:].strip() for line in changes if line.startswith("+ ")}
    assert removed == {"- uses: ./ # zizmor: ignore[self-repository]"}
    assert added == {f"- uses: {RELEASE.uses}"}


def test_the_starter_config_is_this_repositorys_without_its_waivers() -> None:
    """A key added to .github/leaderboard-bot.yml must reach the starter config (and so every adopter);
    waivers and the sync section are this repository's own."""
    yaml = YAML(typ="safe", pure=True)
    ours = yaml.load((ROOT / CONFIG_PATH).read_text(encoding="utf-8"))
    starter = yaml.load(template("leaderboard-bot.yml"))
    # The sync reads one dataset (upstream's): an adopter opts in by adding the section (shown commented out).
    assert "\n# sync:\n#   dataset: " in template("leaderboard-bot.yml")
    ours.pop("sync", None)
    assert starter == {**ours, "waivers": []}, (
        "bot/adopt/templates/leaderboard-bot.yml is the starter config init writes: give it every key of "
        f"{CONFIG_PATH} (with its default value and comment), without the waivers"
    )


def test_a_development_build_asks_for_a_release_or_an_action_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The checkout's bot/adopt/release.json names no commit (the release workflow stamps it)."""
    assert init(str(repo)) == 2
    assert MSG_UNRELEASED.split("{")[0] in capsys.readouterr().err
    assert list(repo.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--action-ref", "leaderboard-bot"], "expected OWNER/NAME@<40-hex commit SHA>"),
        (["--action-ref", "acme/x@v1; rm -rf /"], "expected OWNER/NAME@<40-hex commit SHA>"),
    ],
)
def test_bad_action_refs_are_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert init(str(repo), *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert list(repo.iterdir()) == []


def test_an_unpinned_ref_is_written_with_a_note(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(str(repo), "--action-ref", "acme/leaderboard-bot@v1") == 0
    assert "not a full commit SHA" in capsys.readouterr().err
    assert "- uses: acme/leaderboard-bot@v1\n" in (repo / WORKFLOW_DIR / "leaderboard.yml").read_text()


def test_unusable_targets_get_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(str(tmp_path / "nowhere"), "--action-ref", REF) == 2
    assert "not a directory (create the repository first" in capsys.readouterr().err
    (tmp_path / WORKFLOW_DIR / "pages.yml").mkdir(parents=True)  # a folder where a workflow belongs
    assert init(str(tmp_path), "--action-ref", REF) == 2
    err = capsys.readouterr().err
    assert "pages.yml: cannot be read" in err
    assert "Traceback" not in err
    assert not (tmp_path / WORKFLOW_DIR / "leaderboard.yml").exists()


# --- the Hugging Face sync: written only where the config names a dataset --------------------------------


def test_without_a_dataset_no_hourly_sync_is_written_and_the_starter_config_says_how_to_turn_it_on(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sync workflow fails every run without `sync.dataset`: a fresh repository does not get it, and the
    starter config, which mentions the hourly sync, says how to get it."""
    assert init(str(repo), "--action-ref", REF) == 0
    assert not (repo / SYNC_PATH).exists()
    assert "leaderboard-sync" not in capsys.readouterr().out
    lines = (repo / CONFIG_PATH).read_text(encoding="utf-8").splitlines()
    prose = " ".join(line.lstrip("# ") for line in lines)
    assert (
        f"To turn it on, add the section, then run `leaderboard-bot init` again: it writes {SYNC_PATH}"
        in prose
    )


def test_a_config_with_a_dataset_gets_the_sync_workflow_pinned_like_the_others(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    config = repo / CONFIG_PATH
    config.write_text(
        config.read_text(encoding="utf-8").replace("\n# sync:\n#   dataset: ", "\nsync:\n  dataset: ")
    )
    capsys.readouterr()
    assert init(str(repo), "--action-ref", RELEASE.uses, "--check") == 1
    assert f"{SYNC_PATH}: missing (init writes it)" in capsys.readouterr().out
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    out = capsys.readouterr().out
    assert f"wrote     {SYNC_PATH}" in out
    assert "HF_TOKEN" in out
    text = (repo / SYNC_PATH).read_text(encoding="utf-8")
    assert f"- uses: {RELEASE.uses}\n" in text
    assert "uses: ./" not in text
    assert init(str(repo), "--action-ref", RELEASE.uses, "--check") == 0


def test_a_sync_workflow_left_without_a_dataset_is_still_kept_in_step_and_named(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Removing the config's sync section does not delete the workflow: init says it now fails every hour, and
    an upgrade still re-pins it."""
    with_sync(repo)
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    (repo / CONFIG_PATH).write_text("rules: {}\n", encoding="utf-8")
    capsys.readouterr()
    newer = Release("acme/leaderboard-bot", NEWER, "v0.2.0").uses
    assert init(str(repo), "--action-ref", newer, "--check") == 1
    captured = capsys.readouterr()
    assert f"note: {SYNC_PATH} runs every hour, but {CONFIG_PATH} has no sync section" in captured.err
    assert f"{SYNC_PATH}: differs" in captured.out


# --- --action-ref: what is refused, and what the message says -------------------------------------------


@pytest.mark.parametrize("value", ["it's bad", "acme/x@v1; rm -rf /", "", "acme/leaderboard-bot@v1 # latest"])
def test_a_refused_action_ref_is_named_as_the_shell_takes_it_with_the_fix(
    repo: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert init(str(repo), "--action-ref", value) == 2
    err = capsys.readouterr().err
    prefix, expected = (
        "leaderboard-bot init: error: --action-ref ",
        ": expected OWNER/NAME@<40-hex commit SHA>",
    )
    assert err.startswith(prefix), err
    assert shlex.split(err[len(prefix) : err.index(expected)]) == [value], err
    assert f"pass --action-ref {EXAMPLE_REF}" in err
    assert shlex.split(EXAMPLE_REF) == ["OWNER/leaderboard-bot@<40-hex commit SHA> # vX.Y.Z"]
    assert list(repo.iterdir()) == []


def test_a_refused_action_ref_cannot_drive_the_terminal(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", "acme/x@\x1b]0;owned\x07\n::error::x") == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert err.count("\n") == 1
    assert "⟨U+001B⟩" in err


def test_an_unpinned_ref_note_names_the_flag_and_the_commit_to_pass(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo), "--action-ref", "acme/leaderboard-bot@main") == 0
    err = capsys.readouterr().err
    assert err.startswith("note: --action-ref acme/leaderboard-bot@main: main is not a full commit SHA")
    assert "--action-ref 'acme/leaderboard-bot@<40-hex commit SHA> # vX.Y.Z'" in err


def test_a_development_build_says_how_to_pass_the_action_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(repo)) == 2
    assert f"--action-ref {EXAMPLE_REF}" in capsys.readouterr().err


def test_dot_slash_is_refused_in_a_repository_without_the_action(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`uses: ./` loads the Action from the repository's own checkout: elsewhere every workflow would fail."""
    (repo / "README.md").write_text("mine\n", encoding="utf-8")
    for extra in ([], ["--check"], ["--force"]):
        assert init(str(repo), "--action-ref", "./", *extra) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"leaderboard-bot init: error: --action-ref ./: {repo} has no action.yml"), err
        assert f"--action-ref {EXAMPLE_REF}" in err
        assert "pip install leaderboard-bot" in err
        assert sorted(p.name for p in repo.iterdir()) == ["README.md"]


def test_dot_slash_is_accepted_where_the_action_is(repo: Path) -> None:
    (repo / "action.yml").write_text("name: leaderboard-bot\n", encoding="utf-8")
    assert init(str(repo), "--action-ref", "./") == 0
    assert (
        "- uses: ./ # zizmor: ignore[self-repository]"
        in (repo / WORKFLOW_DIR / "leaderboard.yml").read_text()
    )


# --- what the written files refer to --------------------------------------------------------------------


def test_what_init_writes_names_only_files_the_adopting_repository_has(repo: Path) -> None:
    """Every file a written text names is one init writes there too: none of this repository's own
    (bot/form/fields.py), and no link to this repository (the project's page instead)."""
    with_sync(repo)
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    files = [path for path in repo.rglob("*") if path.is_file()]
    written = {path.relative_to(repo).as_posix(): path.read_text(encoding="utf-8") for path in files}
    assert {p.path for p in plan(RELEASE.uses, sync=True)} == set(written)
    for path, text in written.items():
        assert "sagellm-leaderboard" not in text, path
        for named in NAMED_FILE.findall(text):
            assert named in written, f"{path} names {named}, which the adopting repository does not have"
    form = written[FORM_PATH]
    assert "`leaderboard-bot issue-form`" in form
    assert "(https://pypi.org/project/leaderboard-bot/)" in form


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ("sync: {datset: acme/results}\n", '$.sync.datset: unknown key "datset"'),  # and no sync workflow
        ("rules: [[[\n", "LB001"),
    ],
)
def test_a_kept_config_with_errors_is_named_and_the_run_fails(
    repo: Path, capsys: pytest.CaptureFixture[str], config: str, error: str
) -> None:
    """init kept such a config without a word (exit 0); every later run of the bot then stopped on it."""
    (repo / CONFIG_PATH).parent.mkdir(parents=True)
    (repo / CONFIG_PATH).write_text(config, encoding="utf-8")
    assert init(str(repo), "--action-ref", RELEASE.uses) == 1
    captured = capsys.readouterr()
    assert f"kept      {CONFIG_PATH}" in captured.out
    assert re.search(rf"^{re.escape(CONFIG_PATH)}:\d+:\d+: error: ", captured.err, re.MULTILINE)
    assert error in captured.err
    assert "every run of the bot stops on them" in captured.err
    assert (repo / CONFIG_PATH).read_text(encoding="utf-8") == config  # still never replaced
    assert init(str(repo), "--action-ref", RELEASE.uses, "--check") == 1
