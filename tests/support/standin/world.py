"""The stand-in's whole state behind one lock, with the git-level rules (refs, merges, PR tracking)."""

from __future__ import annotations

import itertools
import re
import threading
import time
from typing import Any

from . import gitops, protection
from .errors import ApiError, not_found
from .git import Commit, ObjectStore, Person
from .model import ACTIONS_BOT, ROLE_RANK, Event, Issue, Repo, Token, User

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
CLOSING_RE = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:([\w.-]+/[\w.-]+))?#(\d+)", re.I
)
WORKFLOWS_DIR = ".github/workflows"
DISPATCH_EVENTS = ("workflow_dispatch", "repository_dispatch")


class World:
    """Users, tokens, repositories and the shared object store; mutate only while holding ``lock``."""

    def __init__(self, default_rate_limit: int = 1000) -> None:
        self.lock = threading.RLock()
        self.store = ObjectStore()
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, Repo] = {}
        self.events: list[Event] = []
        self.api_url = "http://127.0.0.1"
        self.time_offset = 0.0
        self.default_rate_limit = default_rate_limit
        self._ids = itertools.count(1000)

    def now(self) -> float:
        """Current time (wall clock plus any offset a test advanced)."""
        return time.time() + self.time_offset

    def next_id(self) -> int:
        """A fresh numeric id (unique across all object kinds)."""
        return next(self._ids)

    def user(self, login: str, kind: str | None = None) -> User:
        """Return the account, creating it on first use (``[bot]`` logins become Bots)."""
        found = self.users.get(login.lower())
        if found is None:
            if kind is None:
                kind = "Bot" if login.endswith("[bot]") else "User"
            uid = 41898282 if login == ACTIONS_BOT else self.next_id()
            found = self.users[login.lower()] = User(login, uid, kind)
        return found

    def repo(self, owner: str, name: str) -> Repo:
        """Find a repository (case-insensitive) or raise 404."""
        found = self.repos.get(f"{owner}/{name}".lower())
        if found is None:
            raise not_found()
        return found

    def repo_by_id(self, repo_id: int) -> Repo | None:
        """Find a repository by numeric id."""
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def role(self, repo: Repo, login: str | None) -> str:
        """A user's role: owner is admin, then explicit roles, then ``read`` on public repos."""
        if login is None:
            return "none" if repo.private else "read"
        if login.lower() == repo.owner.lower():
            return "admin"
        explicit = repo.roles.get(login.lower())
        if explicit is not None:
            return explicit
        return "none" if repo.private else "read"

    def token_role(self, token: Token | None, repo: Repo) -> str:
        """The effective role a token has on a repository."""
        if token is None:
            return self.role(repo, None)
        if token.installation:
            return "read" if token.read_only else "write"
        return self.role(repo, token.login)

    def require(self, token: Token | None, repo: Repo, needed: str) -> None:
        """Raise the error GitHub gives when the token lacks ``needed`` on the repository."""
        have = self.token_role(token, repo)
        if ROLE_RANK[have] >= ROLE_RANK[needed]:
            return
        if have == "none":
            raise not_found()
        if token is None:
            raise ApiError(401, "Requires authentication")
        if token.installation:
            raise ApiError(403, "Resource not accessible by integration")
        raise ApiError(403, "Must have push access to repository")

    def resolve(self, repo: Repo, ref: str | None) -> str | None:
        """Resolve a branch, tag, full ref, ``pull/N/head`` or commit SHA to a commit SHA."""
        ref = ref or repo.default_branch
        if SHA_RE.match(ref) and self.store.kind(ref) == "commit":
            return ref
        for candidate in (ref, f"refs/{ref}", f"refs/heads/{ref}", f"refs/tags/{ref}"):
            if candidate in repo.refs:
                return repo.refs[candidate]
        return None

    def make_commit(self, tree: str, parents: list[str], message: str, author: Person | None = None) -> str:
        """Store a commit (author defaults to a fixed identity at the current time)."""
        now = int(self.now())
        author = author or Person("Stand-in", "standin@example.com", now)
        committer = Person(author.name, author.email, now)
        return self.store.put(Commit(tree, tuple(parents), author, committer, message))

    def person(self, login: str) -> Person:
        """The git identity GitHub uses for a user's web commits."""
        user = self.user(login)
        return Person(login, f"{user.id}+{login}@users.noreply.github.com", int(self.now()))

    def emit(self, name: str, action: str | None, actor: str, repo: Repo, **data: Any) -> None:
        """Record an event; events caused by GITHUB_TOKEN start no workflow runs (except dispatch)."""
        triggers = actor != ACTIONS_BOT or name in DISPATCH_EVENTS
        self.events.append(Event(name, action, actor, repo.full_name, triggers, dict(data)))

    def _workflow_changes(self, repo: Repo, new: str) -> bool:
        known: set[str] = set()
        for name, sha in repo.refs.items():
            if not name.startswith("refs/pull/") and self.store.kind(sha) == "commit":
                known |= gitops.ancestors(self.store, sha)
        for sha in gitops.ancestors(self.store, new) - known:
            commit = self.store.commit(sha)
            mine = self.store.lookup(commit.tree, WORKFLOWS_DIR)
            theirs = [self.store.lookup(self.store.commit(p).tree, WORKFLOWS_DIR) for p in commit.parents]
            if not theirs:
                theirs = [None]
            if all(mine != t for t in theirs) and (mine is not None or any(theirs)):
                return True
        return False

    def set_ref(
        self, repo: Repo, ref: str, sha: str, token: Token | None, force: bool = False, create: bool = False
    ) -> str | None:
        """Create or move a ref atomically (caller holds the lock); return the previous SHA."""
        if self.store.kind(sha) != "commit":
            raise ApiError(422, "Object does not exist")
        old = repo.refs.get(ref)
        if create and old is not None:
            raise ApiError(422, "Reference already exists")
        if not create and old is None:
            raise ApiError(422, "Reference does not exist")
        if old is not None and not force and not gitops.is_ancestor(self.store, old, sha):
            raise ApiError(422, "Update is not a fast forward")
        protection.check_update(repo, ref, token)
        if token is not None and not token.workflows and self._workflow_changes(repo, sha):
            message = f"Refusing to allow a token without `workflows` permission to update {WORKFLOWS_DIR}"
            raise ApiError(403, message)
        repo.refs[ref] = sha
        if old != sha:
            self._after_ref_update(repo, ref, sha, token.login if token else repo.owner)
        return old

    def delete_ref(self, repo: Repo, ref: str) -> None:
        """Delete a ref or raise 422 like GitHub."""
        if ref not in repo.refs:
            raise ApiError(422, "Reference does not exist")
        del repo.refs[ref]

    def _after_ref_update(self, repo: Repo, ref: str, sha: str, actor: str) -> None:
        if not ref.startswith("refs/heads/"):
            return
        branch = ref[len("refs/heads/") :]
        self.emit("push", None, actor, repo, ref=ref, after=sha)
        for base in self.repos.values():
            for issue in base.issues.values():
                pull = issue.pull
                if pull is None or issue.state != "open":
                    continue
                if pull.head_repo == repo.full_name and pull.head_ref == branch and pull.head_sha != sha:
                    pull.head_sha = sha
                    base.refs[f"refs/pull/{issue.number}/head"] = sha
                    self.emit("pull_request", "synchronize", actor, base, number=issue.number, head_sha=sha)
        for issue in list(repo.issues.values()):
            pull = issue.pull
            if not pull or issue.state != "open" or pull.base_ref != branch:
                continue
            if gitops.is_ancestor(self.store, pull.head_sha, sha):
                self.mark_merged(repo, issue, actor, sha)

    def mark_merged(self, repo: Repo, issue: Issue, actor: str, merge_sha: str) -> None:
        """Close a PR as merged and close the issues its body says it closes (default branch only)."""
        assert issue.pull is not None
        now = self.now()
        issue.pull.merged, issue.pull.merged_at, issue.pull.merged_by = True, now, actor
        issue.pull.merge_commit_sha = merge_sha
        issue.state, issue.closed_at, issue.closed_by, issue.updated_at = "closed", now, actor, now
        self.emit("pull_request", "closed", actor, repo, number=issue.number, merged=True)
        if issue.pull.base_ref != repo.default_branch:
            return
        for other, number in CLOSING_RE.findall(issue.body or ""):
            if other and other.lower() != repo.full_name.lower():
                continue
            target = repo.issues.get(int(number))
            if target is not None and target.pull is None and target.state == "open":
                target.state, target.state_reason = "closed", "completed"
                target.closed_at, target.closed_by, target.updated_at = now, actor, now
                self.emit("issues", "closed", actor, repo, number=target.number)

    def charge(self, token: Token) -> bool:
        """Count one request against the token's hourly budget; False when it is exhausted."""
        now = self.now()
        if now - token.window_start >= 3600:
            token.window_start, token.used = now, 0
        if token.used >= token.limit:
            return False
        token.used += 1
        return True
