"""A stand-in of the Hugging Face Hub's HTTP API on 127.0.0.1, for the dataset calls the real
huggingface_hub client makes when it reads files:

- ``GET /api/datasets/{repo}/revision/{rev}`` (``HfApi.dataset_info``): the commit ``sha`` and siblings;
- ``GET /api/datasets/{repo}/tree/{rev}/{path}`` (``HfApi.list_repo_tree``): the files of a folder;
- ``HEAD`` and ``GET /datasets/{repo}/resolve/{rev}/{path}`` (``hf_hub_download``): the file, with the
  ``X-Repo-Commit``, ``ETag`` and ``Content-Length`` headers the client keys its cache on.

Errors carry the Hub's ``X-Error-Code`` header (RepoNotFound, RevisionNotFound, EntryNotFound), which
the client turns into its typed exceptions. Every dataset is a list of commits with whole file trees;
``publish`` adds a commit on ``main``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest


@dataclass
class HubDataset:
    """One dataset: commits (sha → {path: bytes}) and branches (name → sha)."""

    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    token: str | None = None  # a private dataset: only this bearer token sees it


def serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubStandin]:
    """A running stand-in for a test, HF_ENDPOINT pointing at it, a fresh HF_HOME and no offline mode
    or token from the machine, so the real huggingface_hub client goes over HTTP to it (the body of
    each test module's ``hub_standin`` fixture)."""
    server = HubStandin()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    for name in ("HF_HUB_OFFLINE", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.close()


@contextlib.contextmanager
def unreachable_url() -> Iterator[str]:
    """An address where nothing answers: a port held bound but not listening (so no other test's
    server can take it meanwhile), which refuses every connection."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


def git_blob_sha(data: bytes) -> str:
    """The git blob id of a file, which the Hub reports as its ETag and oid."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class HubStandin:
    """The server and its datasets; ``url`` is what HF_ENDPOINT points at."""

    def __init__(self) -> None:
        self.datasets: dict[str, HubDataset] = {}
        self.requests: list[tuple[str, str]] = []
        self.fail_with: int | None = None  # answer every request with this status (e.g. 503)
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        """Stop serving (a second call does nothing)."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._server.server_close()

    def publish(
        self, repo_id: str, files: dict[str, bytes], *, replace: bool = False, token: str | None = None
    ) -> str:
        """A new commit on ``main`` with ``files`` added or changed (or, with ``replace``, only them);
        ``token`` makes the dataset private to that token."""
        with self.lock:
            dataset = self.datasets.setdefault(repo_id, HubDataset())
            dataset.token = token or dataset.token
            parent = dataset.branches.get("main", "")
            tree = {} if replace or not parent else dict(dataset.commits[parent])
            tree.update(files)
            digest = hashlib.sha1(parent.encode() + json.dumps(sorted(tree)).encode())
            for path in sorted(tree):
                digest.update(tree[path])
            sha = digest.hexdigest()
            dataset.commits[sha] = tree
            dataset.branches["main"] = sha
            return sha

    def resolve(
        self, repo_id: str, revision: str, authorization: str | None = None
    ) -> tuple[HubDataset | None, str | None]:
        """The dataset and the commit a revision (branch or full sha) names, as the caller may see them."""
        dataset = self.datasets.get(repo_id)
        if dataset is not None and dataset.token and authorization != f"Bearer {dataset.token}":
            dataset = None  # the Hub answers a private dataset's stranger as if it did not exist
        if dataset is None:
            return None, None
        sha = dataset.branches.get(revision, revision)
        return dataset, sha if sha in dataset.commits else None


def _handler(hub: HubStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def do_GET(self) -> None:
            self._route(body=True)

        def do_HEAD(self) -> None:
            self._route(body=False)

        def _route(self, *, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            with hub.lock:
                hub.requests.append((self.command, path))
            parts = path.strip("/").split("/")
            if hub.fail_with is not None:
                self._error(hub.fail_with, "", "the Hub is having a bad day", body=body)
            elif parts[:2] == ["api", "datasets"] and len(parts) >= 6 and parts[4] == "revision":
                self._info(f"{parts[2]}/{parts[3]}", "/".join(parts[5:]))
            elif parts[:2] == ["api", "datasets"] and len(parts) >= 6 and parts[4] == "tree":
                self._tree(f"{parts[2]}/{parts[3]}", parts[5], "/".join(parts[6:]))
            elif parts[0] == "datasets" and len(parts) >= 6 and parts[3] == "resolve":
                self._file(f"{parts[1]}/{parts[2]}", parts[4], "/".join(parts[5:]), body=body)
            else:
                self._error(404, "RepoNotFound", "Not Found", body=body)

        def _commit(
            self, repo_id: str, revision: str, *, body: bool = True
        ) -> tuple[str, dict[str, bytes]] | None:
            dataset, sha = hub.resolve(repo_id, revision, self.headers.get("Authorization"))
            if dataset is None:
                status = 401 if hub.datasets.get(repo_id) else 404
                self._error(status, "RepoNotFound", f"Repository {repo_id} not found", body=body)
                return None
            if sha is None:
                self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", body=body)
                return None
            return sha, dataset.commits[sha]

        def _info(self, repo_id: str, revision: str) -> None:
            found = self._commit(repo_id, revision)
            if found is not None:
                sha, tree = found
                siblings = [{"rfilename": name} for name in sorted(tree)]
                self._json(
                    {"_id": sha[:24], "id": repo_id, "sha": sha, "private": False, "siblings": siblings}
                )

        def _tree(self, repo_id: str, revision: str, folder: str) -> None:
            found = self._commit(repo_id, revision)
            if found is None:
                return
            _, tree = found
            prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
            items = [
                {"type": "file", "oid": git_blob_sha(data), "size": len(data), "path": name}
                for name, data in sorted(tree.items())
                if name.startswith(prefix) and "/" not in name[len(prefix) :]
            ]
            if not items:
                self._error(404, "EntryNotFound", f"{folder} does not exist on {revision}")
                return
            self._json(items)

        def _file(self, repo_id: str, revision: str, name: str, *, body: bool) -> None:
            found = self._commit(repo_id, revision, body=body)
            if found is None:
                return
            sha, tree = found
            data = tree.get(name)
            if data is None:
                self._error(404, "EntryNotFound", f"Entry not found: {name}", body=body)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", f'"{git_blob_sha(data)}"')
            self.send_header("X-Repo-Commit", sha)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _json(self, value: Any) -> None:
            data = json.dumps(value).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, code: str, message: str, *, body: bool = True) -> None:
            data = json.dumps({"error": message}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if code:
                self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler
