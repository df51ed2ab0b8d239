"""Shared pytest fixtures. Stand-in fixtures are namespaced ``github_standin*``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.hub_standin import HubStandin
    from tests.standin import GitHubStandin


@pytest.fixture
def github_standin() -> Iterator[GitHubStandin]:
    """A running GitHub REST stand-in on 127.0.0.1 (fresh state per test); see tests/standin/__init__.py."""
    from tests.standin import GitHubStandin  # imported here so other tests never depend on it

    with GitHubStandin() as server:
        yield server


@pytest.fixture
def hub_standin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubStandin]:
    """A running Hugging Face Hub stand-in on 127.0.0.1 (see tests/hub_standin.py), HF_ENDPOINT pointing
    at it, a fresh HF_HOME and no offline mode, so the real huggingface_hub client goes over HTTP."""
    from tests.hub_standin import HubStandin

    server = HubStandin()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    for name in ("HF_HUB_OFFLINE", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.close()
