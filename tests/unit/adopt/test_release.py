"""Releases: the release metadata, the release workflow's helper (stamp, notes), CHANGELOG.md, and the built
wheel installed into a clean venv and used from outside the checkout, as `pip install leaderboard-bot` does.

The wheel is built and installed offline from the wheelhouse that ``tests/run.sh`` builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot import __version__
from bot.adopt.files import WORKFLOWS
from bot.adopt.release import Release, installed_release, issue_tracker, parse_release, tag_for
from bot.adopt.release_tool import ReleaseError, changelog_section, check_tag, main, stamp
from tests.support.paths import ROOT

WHEELHOUSE = ROOT / ".venv" / "wheelhouse"
MSG_NO_WHEELHOUSE = f"{WHEELHOUSE} is missing: `bash tests/run.sh` builds it (pip wheel -w it . setuptools)"
SHA = "89abcdef0123456789abcdef0123456789abcdef"
TAG = tag_for(__version__)
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_version_is_tagged_with_a_v() -> None:
    assert tag_for("0.2.0") == "v0.2.0"


def test_release_metadata_is_empty_in_the_checkout_and_pins_when_stamped() -> None:
    assert parse_release((ROOT / "bot" / "adopt" / "release.json").read_text(encoding="utf-8")) is None
    stamped = json.dumps({"repository": "acme/leaderboard-bot", "commit": SHA, "tag": TAG})
    assert parse_release(stamped) == Release("acme/leaderboard-bot", SHA, TAG)
    assert Release("acme/leaderboard-bot", SHA, TAG).uses == f"acme/leaderboard-bot@{SHA} # {TAG}"
    for broken in ({"tag": "v9.9.9"}, {"commit": SHA[:7]}, {"repository": "no-slash"}):
        data = {"repository": "acme/leaderboard-bot", "commit": SHA, "tag": TAG, **broken}
        assert parse_release(json.dumps(data)) is None, broken


def test_a_bug_is_reported_at_the_release_repository_and_a_development_build_names_none() -> None:
    assert installed_release() is None  # this checkout: release.json holds nulls
    assert issue_tracker(None) is None
    release = Release("acme/leaderboard-bot", SHA, TAG)
    assert issue_tracker(release) == "https://github.com/acme/leaderboard-bot/issues"


def test_the_changelog_has_the_current_version_and_an_unreleased_section() -> None:
    assert CHANGELOG.startswith("# Changelog\n")
    assert "## [Unreleased]\n" in CHANGELOG
    assert f"## [{__version__}] - " in CHANGELOG
    notes = check_tag(TAG, CHANGELOG)
    assert notes.startswith("The development line")
    assert "## [" not in notes  # stops before the next section


def test_changelog_sections_end_at_the_next_section_or_the_link_list() -> None:
    text = "# Changelog\n\n## [1.1.0] - 2027-01-02\n### Fixed\n- a\n\n"
    text += "## [1.0.0] - 2027-01-01\n- b\n\n[1.1.0]: x\n"
    assert changelog_section(text, "1.1.0") == "### Fixed\n- a"
    assert changelog_section(text, "1.0.0") == "- b"
    assert changelog_section(text, "0.9.0") == ""


def test_stamp_refuses_a_tag_that_is_not_the_package_version(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match=r"tag v99\.0\.0 does not match the package version"):
        stamp("acme/leaderboard-bot", SHA, "v99.0.0", CHANGELOG, tmp_path)
    with pytest.raises(ReleaseError, match="has no section for"):
        stamp("acme/leaderboard-bot", SHA, TAG, "# Changelog\n\n## [Unreleased]\n- x\n", tmp_path)
    with pytest.raises(ReleaseError, match="not a full 40-hex commit SHA"):
        stamp("acme/leaderboard-bot", "main", TAG, CHANGELOG, tmp_path)
    with pytest.raises(ReleaseError, match="is not OWNER/NAME"):
        stamp("leaderboard-bot", SHA, TAG, CHANGELOG, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_stamp_writes_the_release_file(tmp_path: Path) -> None:
    path = stamp("acme/leaderboard-bot", SHA, TAG, CHANGELOG, tmp_path)
    assert path == tmp_path / "release.json"
    assert parse_release(path.read_text(encoding="utf-8")) == Release("acme/leaderboard-bot", SHA, TAG)


def test_the_release_tool_prints_notes_and_explains_its_usage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["notes", TAG]) == 0
    assert capsys.readouterr().out.startswith("The development line")
    assert main(["notes", "v99.0.0"]) == 1
    assert "release: error: tag v99.0.0" in capsys.readouterr().err
    assert main(["publish"]) == 2
    assert "usage:" in capsys.readouterr().err


# --- the built wheel ------------------------------------------------------------------------------------


def _offline_env() -> dict[str, str]:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE)}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    return env


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(arg) for arg in args]
    done = subprocess.run(
        command, cwd=cwd, env=_offline_env(), capture_output=True, text=True, timeout=600, check=False
    )
    return done


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the source stamped as a release, built into a wheel, installed into a clean venv."""
    assert WHEELHOUSE.is_dir(), MSG_NO_WHEELHOUSE
    base = tmp_path_factory.mktemp("release")
    source = base / "source"
    shutil.copytree(ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, source / name)
    stamped = _run(
        sys.executable, "-m", "bot.adopt.release_tool", "stamp", "acme/leaderboard-bot", SHA, TAG, cwd=source
    )
    assert stamped.returncode == 0, stamped.stderr
    # the copy was stamped, not the checkout
    assert (
        str(source / "bot" / "adopt" / "release.json") in stamped.stdout
    )  # the copy was stamped, not the checkout
    built = _run(
        sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", base / "dist", source, cwd=base
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (base / "dist").glob("leaderboard_bot-*.whl")
    venv = base / "venv"
    created = _run(sys.executable, "-m", "venv", venv, cwd=base)
    assert created.returncode == 0, created.stderr
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=base)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return wheel, venv


def test_the_wheel_carries_the_schema_the_templates_and_the_stamped_release(
    released: tuple[Path, Path],
) -> None:
    wheel, _ = released
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        release = json.loads(archive.read("bot/adopt/release.json"))
    assert wheel.name == f"leaderboard_bot-{__version__}-py3-none-any.whl"
    expected = {
        "bot/py.typed",
        "bot/contract/schemas/leaderboard_v1.schema.json",
        "bot/adopt/templates/leaderboard-bot.yml",
        *(f"bot/adopt/templates/workflows/{name}" for name in WORKFLOWS),
    }
    assert expected <= names
    assert any(name.startswith("bot/site/assets/") for name in names)
    assert release == {"repository": "acme/leaderboard-bot", "commit": SHA, "tag": TAG}


def test_the_installed_wheel_works_from_outside_the_checkout(
    released: tuple[Path, Path], tmp_path: Path
) -> None:
    _, venv = released
    bot = venv / "bin" / "leaderboard-bot"
    where = _run(venv / "bin" / "python", "-c", "import bot; print(bot.__file__)", cwd=tmp_path)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr
    version = _run(bot, "--version", cwd=tmp_path)
    assert version.stdout.strip() == f"leaderboard-bot {__version__}"
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    valid = _run(bot, "validate", "examples", cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "0 errors" in valid.stdout
    broken = json.loads((tmp_path / "examples" / "single-gpu.json").read_text(encoding="utf-8"))
    broken["metrics"]["error_rate"] = 15
    (tmp_path / "broken.json").write_text(json.dumps(broken, indent=2), encoding="utf-8")
    invalid = _run(bot, "validate", "broken.json", cwd=tmp_path)
    assert invalid.returncode == 1
    assert "$.metrics.error_rate: 15 is greater than the maximum of 1" in invalid.stdout
    # A request GitHub found invalid names the stamped release's issue tracker in its hint.
    refusal = "from github import GithubException; from bot.github.api import api_error; "
    refusal += "print(api_error(GithubException(422, {'message': 'Validation Failed'}, None)))"
    line = _run(venv / "bin" / "python", "-c", refusal, cwd=tmp_path).stdout.strip()
    assert line.startswith("GitHub answered 422: Validation Failed (hint: "), line
    assert line.endswith("as a bug of leaderboard-bot at https://github.com/acme/leaderboard-bot/issues)")


def test_init_from_the_installed_wheel_pins_the_stamped_release(
    released: tuple[Path, Path], tmp_path: Path
) -> None:
    _, venv = released
    (tmp_path / "site").mkdir()
    done = _run(venv / "bin" / "leaderboard-bot", "init", "site", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = (tmp_path / "site" / ".github" / "workflows" / "leaderboard.yml").read_text(encoding="utf-8")
    assert f"- uses: acme/leaderboard-bot@{SHA} # {TAG}\n" in workflow
    check = _run(venv / "bin" / "leaderboard-bot", "init", "--check", "site", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
