"""The release workflow's helper (``python -m bot.adopt.release_tool``), run from the repository root:

- ``stamp REPOSITORY COMMIT TAG`` checks that the tag is v + the package version and that CHANGELOG.md has
  that version's section, then writes bot/adopt/release.json, so that the sdist and wheel built next name the
  release's commit (``leaderboard-bot init`` pins the Action to it);
- ``notes TAG`` prints that version's CHANGELOG.md section, the body of the GitHub release.

Standard library only: it runs before anything is installed."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.adopt.release import COMMIT, RELEASE_FILE, REPOSITORY, tag_for
from bot.fs import write_atomically

CHANGELOG = Path("CHANGELOG.md")
USAGE = "usage: python -m bot.adopt.release_tool stamp REPOSITORY COMMIT TAG | notes TAG"
MSG_TAG = (
    "tag {tag} does not match the package version {version} (bot/__init__.py): set __version__, "
    "move CHANGELOG.md's Unreleased section under that version, commit, and tag that commit"
)
MSG_COMMIT = "{commit!r} is not a full 40-hex commit SHA (use `git rev-parse HEAD`)"
MSG_REPOSITORY = "{repository!r} is not OWNER/NAME (use $GITHUB_REPOSITORY)"
MSG_NO_SECTION = (
    "{path} has no section for {version}: add `## [{version}] - YYYY-MM-DD` with the release's changes "
    "(Keep a Changelog)"
)


class ReleaseError(Exception):
    """The release cannot go ahead; the message says how to fix it."""


def changelog_section(text: str, version: str) -> str:
    """The body of the `## [version]` section of a Keep a Changelog file ('' when absent or empty)."""
    # From the heading to the next section, the link references at the end, or the end of the file.
    end = r"(?=^## \[|^\[[^\]]+\]: |\Z)"
    match = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?){end}", text, re.M | re.S)
    return match.group(1).strip() if match else ""


def check_tag(tag: str, changelog: str) -> str:
    """The release notes of ``tag``, after checking it names this version and has a CHANGELOG section."""
    if tag != tag_for(__version__):
        raise ReleaseError(MSG_TAG.format(tag=tag, version=__version__))
    notes = changelog_section(changelog, __version__)
    if not notes:
        raise ReleaseError(MSG_NO_SECTION.format(path=CHANGELOG, version=__version__))
    return notes


def stamp(repository: str, commit: str, tag: str, changelog: str, package_dir: Path) -> Path:
    """Write package_dir/release.json naming the release; returns its path."""
    if not REPOSITORY.fullmatch(repository):
        raise ReleaseError(MSG_REPOSITORY.format(repository=repository))
    if not COMMIT.fullmatch(commit):
        raise ReleaseError(MSG_COMMIT.format(commit=commit))
    check_tag(tag, changelog)
    target = package_dir / RELEASE_FILE
    text = json.dumps({"repository": repository, "commit": commit, "tag": tag}) + "\n"
    write_atomically({str(target): text})  # the build never sees half a file
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``stamp`` or ``notes``; 0 done, 1 the release cannot go ahead, 2 bad usage."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        changelog = CHANGELOG.read_text(encoding="utf-8")
        if len(args) == 4 and args[0] == "stamp":
            path = stamp(args[1], args[2], args[3], changelog, Path(__file__).resolve().parent)
            print(f"wrote {path}: {args[1]}@{args[2]} {args[3]}")
        elif len(args) == 2 and args[0] == "notes":
            print(check_tag(args[1], changelog))
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except (ReleaseError, OSError) as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
