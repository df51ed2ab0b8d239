"""The one module that talks to the Hugging Face Hub: read a dataset's files at one commit.

Everything goes through huggingface_hub (``HfApi.dataset_info`` resolves the revision to its
commit, ``list_repo_tree`` lists ``canonical/``, ``hf_hub_download`` fetches each file by that
commit, into a cache folder of this run only, so nothing stale is read). ``HF_ENDPOINT`` and
``HF_TOKEN`` are read when a sync starts, not when the library is imported. Every failure becomes a
``HubError`` whose text is one line that says what to do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx2
from huggingface_hub import HfApi, constants, hf_hub_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

DEFAULT_ENDPOINT = "https://huggingface.co"
MSG_UNREACHABLE = "could not reach the Hugging Face Hub at {endpoint}: {error} (hint: {hint})"
HINT_RETRY = "check the network or HF_ENDPOINT, then run the sync again; nothing was changed"
MSG_NO_DATASET = "dataset {dataset} was not found at {endpoint} (hint: {hint})"
HINT_NO_DATASET = (
    "check the dataset id (--dataset, or sync.dataset in the config file); a private dataset needs HF_TOKEN"
)
MSG_GATED = (
    "dataset {dataset} is gated: its terms must be accepted (hint: accept them for the token's account)"
)
MSG_NO_REVISION = (
    "dataset {dataset} has no revision {revision} (hint: check the revision, --revision or sync.revision: "
    "a branch, tag or commit of the dataset)"
)
MSG_NO_FILE = "dataset {dataset} has no file {path} at {sha} (hint: {hint})"
HINT_NO_FILE = (
    "check the source (--source or sync.source: aggregate reads leaderboard_single.json and "
    "leaderboard_multi.json, canonical reads canonical/*.json), or publish the file"
)
MSG_HTTP = "the Hugging Face Hub answered {status} for {dataset}: {message} (hint: {hint})"
MSG_OFFLINE = "HF_HUB_OFFLINE is set, but a sync reads the Hub (hint: unset HF_HUB_OFFLINE)"
TIMEOUT = 30.0  # seconds per request


class HubError(Exception):
    """The Hub could not be read: the text is the one line to show."""


@dataclass(frozen=True)
class Dataset:
    """Which dataset, at which revision, through which endpoint, with which token (optional)."""

    repo_id: str
    revision: str = "main"
    endpoint: str = DEFAULT_ENDPOINT
    token: str | None = None

    @classmethod
    def from_env(cls, repo_id: str, revision: str, env: Mapping[str, str]) -> Dataset:
        """HF_ENDPOINT and HF_TOKEN from the environment (HUGGING_FACE_HUB_TOKEN, the old name, too)."""
        endpoint = (env.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        token = env.get("HF_TOKEN") or env.get("HUGGING_FACE_HUB_TOKEN") or None
        return cls(repo_id, revision, endpoint, token)


@dataclass(frozen=True)
class Snapshot:
    """Files of a dataset at one commit: their paths and bytes."""

    dataset: Dataset
    sha: str
    files: dict[str, bytes]


class HubReader:
    """Reads one dataset; each method turns the library's errors into one-line ``HubError``s."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        # token=False: never fall back to a token stored on the machine; only the one we were given.
        self._token: str | bool = dataset.token or False
        self._api = HfApi(endpoint=dataset.endpoint, token=self._token)

    def commit(self) -> str:
        """The commit SHA the configured revision points at."""
        name, revision = self.dataset.repo_id, self.dataset.revision
        with self._errors():
            info = self._api.dataset_info(name, revision=revision, timeout=TIMEOUT)
        if not info.sha:
            raise HubError(MSG_NO_REVISION.format(dataset=name, revision=revision))
        return str(info.sha)

    def listing(self, sha: str, folder: str) -> list[str]:
        """Paths of the files directly inside ``folder`` at ``sha`` (a missing folder is a HubError)."""
        with self._errors(path=folder, sha=sha):
            items = self._api.list_repo_tree(
                self.dataset.repo_id, folder or None, revision=sha, repo_type="dataset"
            )
            return sorted(item.path for item in items if getattr(item, "size", None) is not None)

    def read(self, sha: str, paths: list[str]) -> Snapshot:
        """The bytes of ``paths`` at ``sha``, downloaded into a cache folder of this call."""
        files: dict[str, bytes] = {}
        with tempfile.TemporaryDirectory(prefix="leaderboard-hub-") as cache:
            for path in paths:
                with self._errors(path=path, sha=sha):
                    local = hf_hub_download(
                        self.dataset.repo_id,
                        path,
                        repo_type="dataset",
                        revision=sha,
                        cache_dir=cache,
                        endpoint=self.dataset.endpoint,
                        token=self._token,
                        etag_timeout=TIMEOUT,
                    )
                files[path] = Path(local).read_bytes()
        return Snapshot(self.dataset, sha, files)

    def _errors(self, path: str | None = None, sha: str | None = None) -> _Translate:
        return _Translate(self.dataset, path, sha)


class _Translate:
    """A context manager: the library's exceptions in, one-line HubErrors out."""

    def __init__(self, dataset: Dataset, path: str | None, sha: str | None) -> None:
        self.dataset, self.path, self.sha = dataset, path, sha

    def __enter__(self) -> None:
        if constants.HF_HUB_OFFLINE:
            raise HubError(MSG_OFFLINE)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if exc is None or isinstance(exc, HubError):
            return
        error = _translate(exc, self.dataset, self.path, self.sha)
        if error is not None:
            raise error from exc


def _translate(exc: BaseException, dataset: Dataset, path: str | None, sha: str | None) -> HubError | None:
    name, endpoint = dataset.repo_id, dataset.endpoint
    if isinstance(exc, GatedRepoError):
        return HubError(MSG_GATED.format(dataset=name))
    if isinstance(exc, RepositoryNotFoundError):
        return HubError(MSG_NO_DATASET.format(dataset=name, endpoint=endpoint, hint=HINT_NO_DATASET))
    if isinstance(exc, RevisionNotFoundError):
        return HubError(MSG_NO_REVISION.format(dataset=name, revision=dataset.revision))
    if isinstance(exc, EntryNotFoundError) and not isinstance(exc, LocalEntryNotFoundError):
        return HubError(MSG_NO_FILE.format(dataset=name, path=path, sha=(sha or "")[:12], hint=HINT_NO_FILE))
    if isinstance(exc, HfHubHTTPError) and exc.response is not None and exc.response.status_code == 404:
        return HubError(MSG_NO_FILE.format(dataset=name, path=path, sha=(sha or "")[:12], hint=HINT_NO_FILE))
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "an error"
        message = _one_line(str(exc).split("\n", 1)[0])
        return HubError(MSG_HTTP.format(status=status, dataset=name, message=message, hint=HINT_RETRY))
    if isinstance(exc, OfflineModeIsEnabled):
        return HubError(MSG_OFFLINE)
    if isinstance(exc, (LocalEntryNotFoundError, httpx2.TransportError, OSError)):
        cause = exc.__cause__ or exc.__context__ or exc
        return HubError(MSG_UNREACHABLE.format(endpoint=endpoint, error=_reason(cause), hint=HINT_RETRY))
    return None


def _reason(exc: BaseException) -> str:
    """The innermost cause's words (e.g. 'Connection refused'), without the library's advice."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    text = _one_line(str(exc)) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())
