"""The repository stands on its own: nothing tracked points outside it or at the development machine."""

from __future__ import annotations

import re
import subprocess

from tests.support.paths import FIXTURES, ROOT, SAGELLM_CORPUS, UPSTREAM, WEBHOOKS

# Assembled from pieces so that this file does not match itself.
OUTSIDE = re.compile("|".join([r"\.\./" + "shared", "/" + "work/", "LEADERBOARD_" + "SHARED"]))


def _tracked() -> list[str]:
    """The tracked files; outside a git checkout, every file but the local environment and caches."""
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if done.returncode == 0:
        return [name for name in done.stdout.decode().split("\0") if name]
    skip = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}
    files = (p for p in ROOT.rglob("*") if not skip.intersection(p.relative_to(ROOT).parts))
    return [str(p.relative_to(ROOT)) for p in files]


def test_no_tracked_file_names_a_path_outside_the_repository() -> None:
    offenders = []
    for name in _tracked():
        path = ROOT / name
        if path.is_symlink() or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        offenders += [f"{name}:{text.count(chr(10), 0, m.start()) + 1}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_fixtures_carry_their_upstream_licenses() -> None:
    assert (WEBHOOKS / "LICENSE.octokit-webhooks").is_file()
    assert (FIXTURES / "github" / "api-fixtures" / "LICENSE.octokit-fixtures").is_file()
    assert (FIXTURES / "github" / "openapi" / "LICENSE.octokit-openapi").is_file()
    assert (UPSTREAM / "LICENSE.sagellm-website").is_file()
    assert (SAGELLM_CORPUS / "README.md").is_file()
    assert "MIT" in (FIXTURES / "README.md").read_text(encoding="utf-8")


def test_benchmarks_import_the_test_helpers_as_a_package_not_through_sys_path() -> None:
    """Benchmarks run as ``python -m benchmarks.X`` from the root; none edits the import path."""
    benchmarks = sorted((ROOT / "benchmarks").glob("*.py"))
    assert (ROOT / "benchmarks" / "__init__.py") in benchmarks
    edits = [
        p.name
        for p in benchmarks
        if re.search(r"sys\.path\.(insert|append)|PYTHONPATH", p.read_text("utf-8"))
    ]
    assert edits == []
