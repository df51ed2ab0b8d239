"""bot.importer.hub_api against the Hub stand-in, through the real huggingface_hub client: every failure is
one line that says what to do, files are read at the resolved commit, a token is sent only when given."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.importer.hub_api import Dataset, HubError, HubReader
from tests.support.hub_standin import HubStandin, serve, unreachable_url
from tests.support.paths import ROOT

DATASET = "intellistream/sagellm-benchmark-results"
FILES = {"leaderboard_single.json": b"[]\n", "canonical/a_leaderboard.json": b"{}\n", "README.md": b"# r\n"}


@pytest.fixture
def hub_standin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubStandin]:
    yield from serve(monkeypatch, tmp_path)


def reader(hub: HubStandin, revision: str = "main", token: str | None = None) -> HubReader:
    return HubReader(Dataset(DATASET, revision, hub.url, token))


def error_of(call: object) -> str:
    with pytest.raises(HubError) as caught:
        call()  # type: ignore[operator]
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_a_revision_resolves_to_its_commit_and_files_are_read_there(hub_standin: HubStandin) -> None:
    first = hub_standin.publish(DATASET, FILES)
    second = hub_standin.publish(DATASET, {"leaderboard_single.json": b'[{"a": 1}]\n'})
    assert reader(hub_standin).commit() == second
    assert reader(hub_standin, first).commit() == first
    snapshot = reader(hub_standin).read(first, ["leaderboard_single.json"])
    assert snapshot.files == {"leaderboard_single.json": b"[]\n"}  # the old commit's bytes, not main's
    assert reader(hub_standin).listing(first, "canonical") == ["canonical/a_leaderboard.json"]


def test_env_names_the_endpoint_and_the_token() -> None:
    dataset = Dataset.from_env(DATASET, "main", {"HF_ENDPOINT": "http://mirror.example/", "HF_TOKEN": "hf_x"})
    assert (dataset.endpoint, dataset.token) == ("http://mirror.example", "hf_x")
    assert Dataset.from_env(DATASET, "main", {}).endpoint == "https://huggingface.co"
    assert Dataset.from_env(DATASET, "main", {"HF_TOKEN": ""}).token is None


def test_an_unknown_dataset(hub_standin: HubStandin) -> None:
    text = error_of(reader(hub_standin).commit)
    assert text.startswith(f"dataset {DATASET} was not found at {hub_standin.url}")
    assert "a private dataset needs HF_TOKEN" in text


def test_a_private_dataset_needs_its_token(hub_standin: HubStandin) -> None:
    sha = hub_standin.publish(DATASET, FILES, token="hf_secret")
    assert "was not found" in error_of(reader(hub_standin).commit)
    assert "was not found" in error_of(reader(hub_standin, token="hf_wrong").commit)
    assert reader(hub_standin, token="hf_secret").commit() == sha
    files = reader(hub_standin, token="hf_secret").read(sha, ["README.md"]).files
    assert files == {"README.md": b"# r\n"}


def test_an_unknown_revision(hub_standin: HubStandin) -> None:
    hub_standin.publish(DATASET, FILES)
    text = error_of(reader(hub_standin, "v9").commit)
    hint = "(hint: check the revision, --revision or sync.revision: a branch, tag or commit of the dataset)"
    assert text == f"dataset {DATASET} has no revision v9 {hint}"


def test_a_missing_file_and_a_missing_folder(hub_standin: HubStandin) -> None:
    sha = hub_standin.publish(DATASET, FILES)
    missing = error_of(lambda: reader(hub_standin).read(sha, ["leaderboard_multi.json"]))
    assert missing.startswith(f"dataset {DATASET} has no file leaderboard_multi.json at {sha[:12]}")
    assert "--source or sync.source" in missing
    assert "has no file upload" in error_of(lambda: reader(hub_standin).listing(sha, "upload"))


def test_a_failing_hub_is_one_line(hub_standin: HubStandin) -> None:
    hub_standin.publish(DATASET, FILES)
    hub_standin.fail_with = 403
    text = error_of(reader(hub_standin).commit)
    assert text.startswith(f"the Hugging Face Hub answered 403 for {DATASET}")
    assert "nothing was changed" in text


def test_an_unreachable_hub_is_one_line() -> None:
    with unreachable_url() as url:
        text = error_of(HubReader(Dataset(DATASET, "main", url)).commit)
    assert text.startswith(f"could not reach the Hugging Face Hub at {url}: ")
    assert "refused" in text.lower()


def test_only_the_adapter_imports_huggingface_hub() -> None:
    """The Hub's client stays behind one module (as PyGithub stays behind bot/github/api.py)."""
    bot = ROOT / "bot"
    importers = {
        path.relative_to(bot).as_posix()
        for path in bot.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+(huggingface_hub|httpx2)\b", path.read_text("utf-8"), re.M)
    }
    assert importers == {"importer/hub_api.py"}
