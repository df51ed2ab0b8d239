"""`leaderboard-bot init`: real files in temporary repositories, the real GitHub schemas and zizmor on what
it writes, and this repository's own workflows as the templates' source of truth."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot import __version__
from bot.adopt.files import CONFIG_PATH, DATA_FILES, WORKFLOW_DIR, WORKFLOWS, plan, template
from bot.adopt.release import MSG_UNRELEASED, Release
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


def test_what_init_writes_passes_the_github_schemas_and_zizmor(repo: Path) -> None:
    assert init(str(repo), "--action-ref", RELEASE.uses) == 0
    workflows = sorted((repo / WORKFLOW_DIR).glob("*.yml"))
    assert len(workflows) == 3
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


@pytest.mark.parametrize("name", WORKFLOWS)
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


@pytest.mark.parametrize("name", WORKFLOWS)
def test_pinned_workflows_differ_from_this_repositorys_only_in_the_action_reference(name: str) -> None:
    ours = (ROOT / WORKFLOW_DIR / name).read_text(encoding="utf-8").splitlines()
    pinned = next(p.text for p in plan(RELEASE.uses) if p.path.endswith(f"/{name}")).splitlines()
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
