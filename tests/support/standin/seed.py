"""Test-side helpers to seed and inspect state without going through HTTP (no log, no rate limit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from . import ghosts, protection
from .app import StandinApp
from .errors import ApiError
from .git import MODE_EXEC, MODE_FILE, MODE_SUBMODULE, MODE_SYMLINK, Person
from .model import DEFAULT_LABELS, ROLES, Label, Repo, Token
from .render import comment_json
from .world import World


@dataclass(frozen=True)
class Symlink:
    """A file value that seeds a symbolic link (mode 120000) pointing at ``target``."""

    target: str


@dataclass(frozen=True)
class Submodule:
    """A file value that seeds a submodule entry (mode 160000) at commit ``sha``."""

    sha: str


@dataclass(frozen=True)
class Executable:
    """A file value that seeds an executable file (mode 100755)."""

    data: bytes


FileValue = str | bytes | Symlink | Submodule | Executable | None


class DirectApi:
    """Calls the stand-in's handlers in-process as a given login (for seeding through real rules)."""

    def __init__(self, app: StandinApp, login: str, kind: str = "user") -> None:
        self.app = app
        self.token = Token("", login, kind=kind, limit=10**9)

    def call(self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None) -> Any:
        """Run one request; return the decoded body or raise :class:`ApiError`."""
        env = EnvironBuilder(method=method, path=path, json=body, query_string=query).get_environ()
        reply = self.app.dispatch(Request(env), path, self.token)
        if reply.status >= 400:
            raise ApiError(reply.status, reply.body.get("message", ""), reply.body.get("errors"))
        return reply.body

    def get(self, path: str, **query: str) -> Any:
        """GET ``path``."""
        return self.call("GET", path, query=query)

    def post(self, path: str, body: Any = None) -> Any:
        """POST ``path``."""
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        """PATCH ``path``."""
        return self.call("PATCH", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        """PUT ``path``."""
        return self.call("PUT", path, body)

    def delete(self, path: str, body: Any = None) -> Any:
        """DELETE ``path``."""
        return self.call("DELETE", path, body)


class SeedMixin:
    """Repository, content and tracker helpers of :class:`GitHubStandin`."""

    world: World
    app: StandinApp

    def api(self, login: str, kind: str = "user") -> DirectApi:
        """In-process API client acting as ``login`` (not logged, not rate limited, no faults)."""
        return DirectApi(self.app, login, kind)

    def _repo(self, full_name: str) -> Repo:
        owner, name = full_name.split("/")
        return self.world.repo(owner, name)

    def create_repo(
        self,
        full_name: str,
        files: dict[str, FileValue] | None = None,
        *,
        default_branch: str = "main",
        private: bool = False,
        allow_actions_prs: bool = False,
        owner_type: str | None = None,
        default_labels: bool = True,
    ) -> Repo:
        """Create a repository whose default branch holds ``files`` (empty repo when None).

        Like GitHub, a new repository starts with the nine default labels.
        """
        owner, name = full_name.split("/")
        with self.world.lock:
            self.world.user(owner, owner_type)
            repo = Repo(
                self.world.next_id(), owner, name, default_branch, private, created_at=self.world.now()
            )
            repo.allow_actions_prs = allow_actions_prs
            for name, color, description in DEFAULT_LABELS if default_labels else ():
                repo.labels[name] = Label(self.world.next_id(), name, color, description, default=True)
            self.world.repos[full_name.lower()] = repo
        if files is not None:
            self.commit(full_name, default_branch, files, message="Initial commit")
        return repo

    def fork(self, full_name: str, owner: str) -> Repo:
        """Fork a repository to ``owner`` (same objects, copied branches)."""
        base = self._repo(full_name)
        with self.world.lock:
            self.world.user(owner)
            fork = Repo(
                self.world.next_id(), owner, base.name, base.default_branch, base.private, base.full_name
            )
            fork.refs = {k: v for k, v in base.refs.items() if k.startswith("refs/heads/")}
            self.world.repos[fork.full_name.lower()] = fork
        return fork

    def set_role(self, full_name: str, login: str, role: str) -> None:
        """Give ``login`` a role: admin, maintain, write, triage, read or none."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self.world.lock:
            self.world.user(login)
            self._repo(full_name).roles[login.lower()] = role

    def set_draft(self, full_name: str, number: int, draft: bool) -> None:
        """Convert a pull request to a draft, or mark it ready for review: GitHub offers these as
        GraphQL mutations only (convertPullRequestToDraft, markPullRequestReadyForReview), not in REST."""
        with self.world.lock:
            pull = self._repo(full_name).issues[number].pull
            assert pull is not None, f"#{number} is an issue"
            pull.draft = draft

    def delete_user(self, login: str) -> None:
        """Delete an account: GitHub answers ``"user": null`` for its comments and reviews (ghosts.py)."""
        with self.world.lock:
            ghosts.delete_user(self.world, login, list(self.world.repos.values()))

    def protect(
        self, full_name: str, branch: str, kind: str = "protection", *, bypass: tuple[str, ...] = ()
    ) -> None:
        """Protect a branch: ``protection`` (classic), ``pull-request`` or ``signatures`` (rulesets);
        ``bypass`` names GitHub App slugs on the bypass list (see protection.py)."""
        with self.world.lock:
            protection.protect(self._repo(full_name), branch, kind, bypass)

    def commit(
        self,
        full_name: str,
        branch: str,
        files: dict[str, FileValue],
        message: str = "Update files",
        *,
        author: str | None = None,
        base: str | None = None,
        parents: list[str] | None = None,
        force: bool = False,
    ) -> str:
        """Commit file changes (None deletes) on ``branch``; a new branch starts from ``base``."""
        repo = self._repo(full_name)
        with self.world.lock:
            store = self.world.store
            tip = repo.refs.get(f"refs/heads/{branch}")
            start = tip if tip is not None else self.world.resolve(repo, base) if repo.refs else None
            if parents is None:
                parents = [start] if start else []
            base_tree = store.commit(parents[0]).tree if parents else None
            changes: list[tuple[str, str, str | None]] = []
            for path, value in files.items():
                changes.append(self._entry(path, value))
            tree = store.edit_tree(base_tree, changes)
            who: Person | None = self.world.person(author) if author else None
            sha = self.world.make_commit(tree, parents, message, who)
            self.world.set_ref(repo, f"refs/heads/{branch}", sha, None, force=force, create=tip is None)
            return sha

    def _entry(self, path: str, value: FileValue) -> tuple[str, str, str | None]:
        store = self.world.store
        if value is None:
            return path, MODE_FILE, None
        if isinstance(value, Symlink):
            return path, MODE_SYMLINK, store.put_blob(value.target.encode())
        if isinstance(value, Submodule):
            return path, MODE_SUBMODULE, value.sha
        if isinstance(value, Executable):
            return path, MODE_EXEC, store.put_blob(value.data)
        return path, MODE_FILE, store.put_blob(value.encode() if isinstance(value, str) else value)

    def create_branch(self, full_name: str, branch: str, from_ref: str | None = None) -> str:
        """Create ``branch`` at ``from_ref`` (default branch when None); return its SHA."""
        repo = self._repo(full_name)
        with self.world.lock:
            sha = self.world.resolve(repo, from_ref)
            if sha is None:
                raise KeyError(from_ref)
            self.world.set_ref(repo, f"refs/heads/{branch}", sha, None, create=True)
            return sha

    def ref_sha(self, full_name: str, ref: str = "") -> str | None:
        """Resolve a branch, ref or SHA (default branch when empty)."""
        repo = self._repo(full_name)
        with self.world.lock:
            return self.world.resolve(repo, ref or None)

    def commit_tree(self, full_name: str, sha: str) -> str:
        """The tree SHA of a commit (what `git rev-parse SHA^{tree}` prints in a checkout of it)."""
        self._repo(full_name)
        with self.world.lock:
            return self.world.store.commit(sha).tree

    def read_file(self, full_name: str, path: str, ref: str = "") -> bytes | None:
        """A file's bytes at ``ref`` (None when absent)."""
        repo = self._repo(full_name)
        with self.world.lock:
            sha = self.world.resolve(repo, ref or None)
            entry = self.world.store.lookup(self.world.store.commit(sha).tree, path) if sha else None
            if entry is None or entry.type != "blob":
                return None
            return self.world.store.blob(entry.sha).data

    def open_pr(
        self,
        full_name: str,
        head: str,
        base: str | None = None,
        *,
        title: str = "Test PR",
        body: str = "",
        author: str | None = None,
        draft: bool = False,
    ) -> int:
        """Open a pull request as ``author`` (through the real rules); return its number."""
        repo = self._repo(full_name)
        login = author or repo.owner
        data: dict[str, Any] = {
            "title": title,
            "head": head,
            "base": base or repo.default_branch,
            "body": body,
        }
        if draft:
            data["draft"] = True
        return int(self.api(login).post(f"/repos/{full_name}/pulls", data)["number"])

    def create_issue(self, full_name: str, title: str, body: str = "", *, author: str | None = None) -> int:
        """Open an issue as ``author``; return its number."""
        login = author or self._repo(full_name).owner
        return int(
            self.api(login).post(f"/repos/{full_name}/issues", {"title": title, "body": body})["number"]
        )

    def comment(self, full_name: str, number: int, body: str, *, author: str) -> int:
        """Comment on an issue or PR as ``author``; return the comment id."""
        return int(
            self.api(author).post(f"/repos/{full_name}/issues/{number}/comments", {"body": body})["id"]
        )

    def review(
        self,
        full_name: str,
        number: int,
        *,
        author: str,
        event: str = "APPROVE",
        commit_id: str | None = None,
        body: str = "",
    ) -> int:
        """Submit a review as ``author`` (APPROVE, REQUEST_CHANGES, COMMENT); return its id."""
        data: dict[str, Any] = {"event": event, "body": body}
        if commit_id:
            data["commit_id"] = commit_id
        return int(self.api(author).post(f"/repos/{full_name}/pulls/{number}/reviews", data)["id"])

    def pull(self, full_name: str, number: int) -> dict[str, Any]:
        """The pull request as ``GET /pulls/{n}`` would answer."""
        result: dict[str, Any] = self.api(self._repo(full_name).owner).get(
            f"/repos/{full_name}/pulls/{number}"
        )
        return result

    def issue(self, full_name: str, number: int) -> dict[str, Any]:
        """The issue as ``GET /issues/{n}`` would answer."""
        result: dict[str, Any] = self.api(self._repo(full_name).owner).get(
            f"/repos/{full_name}/issues/{number}"
        )
        return result

    def comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """All comments of an issue or PR, oldest first, as the API renders them."""
        repo = self._repo(full_name)
        with self.world.lock:
            found = sorted((c for c in repo.comments.values() if c.number == number), key=lambda c: c.id)
            return [comment_json(self.world, repo, c) for c in found]
