"""Which release this installed package is: the repository, commit and tag that `leaderboard-bot init`
pins the Action to.

``bot/adopt/release.json`` is package data. In the repository it holds nulls (a development build has
no release commit: a commit cannot name its own SHA); the release workflow stamps it
(``python -m bot.adopt.release_tool stamp``) with the tag's commit just before it builds the sdist and
the wheel, so every published package names exactly the commit its Action runs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from bot import __version__

RELEASE_FILE = "release.json"
COMMIT = re.compile(r"[0-9a-f]{40}")
REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")
# How to name a build of the Action by hand: one shell word, the comment inside the quotes.
EXAMPLE_REF = "'OWNER/leaderboard-bot@<40-hex commit SHA> # vX.Y.Z'"
MSG_UNRELEASED = (
    "leaderboard-bot {version} is a development build and names no released commit: install a release "
    "(pip install leaderboard-bot), or pass the Action's release yourself: --action-ref " + EXAMPLE_REF
)


class UnreleasedError(Exception):
    """This package was not built by the release workflow, so it knows no commit to pin."""


@dataclass(frozen=True)
class Release:
    """A published release: the Action's repository (owner/name), its commit and its tag (vX.Y.Z)."""

    repository: str
    commit: str
    tag: str

    @property
    def uses(self) -> str:
        """The workflow reference to the Action: pinned to the full commit, the version as a comment."""
        return f"{self.repository}@{self.commit} # {self.tag}"


def tag_for(version: str) -> str:
    """The git tag of a version: v + the version (0.2.0 -> v0.2.0)."""
    return f"v{version}"


def parse_release(raw: str) -> Release | None:
    """The release named by a release.json text, or None for a development build."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not all(data.get(key) for key in ("repository", "commit", "tag")):
        return None
    repository, commit, tag = str(data["repository"]), str(data["commit"]), str(data["tag"])
    if not (REPOSITORY.fullmatch(repository) and COMMIT.fullmatch(commit) and tag == tag_for(__version__)):
        return None
    return Release(repository, commit, tag)


def installed_release() -> Release | None:
    """The release this package was built as, or None for a development build."""
    return parse_release(resources.files("bot.adopt").joinpath(RELEASE_FILE).read_text(encoding="utf-8"))


def current_release() -> Release:
    """The release this package was built as; raises UnreleasedError for a development build."""
    release = installed_release()
    if release is None:
        raise UnreleasedError(MSG_UNRELEASED.format(version=__version__))
    return release


def issue_tracker(release: Release | None) -> str | None:
    """Where a bug of this package is reported: its release repository's issues (None for a
    development build, which knows no repository)."""
    return f"https://github.com/{release.repository}/issues" if release else None
