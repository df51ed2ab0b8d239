"""Shared pytest fixtures. Stand-in fixtures are namespaced ``github_standin*``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.standin import GitHubStandin


@pytest.fixture
def github_standin() -> Iterator[GitHubStandin]:
    """A running GitHub REST stand-in on 127.0.0.1 (fresh state per test); see tests/standin/__init__.py."""
    from tests.standin import GitHubStandin  # imported here so other tests never depend on it

    with GitHubStandin() as server:
        yield server
