"""The one module that talks to GitHub: a thin wrapper over PyGithub returning plain dataclasses.

Handlers get a ``GitHubAPI`` passed in and never build their own client. Objects are lazy, so
each method costs exactly the requests it names; the request counts per event are part of the
benchmark.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from github import Auth, Github, GithubException, GithubRetry
from github.Requester import Requester

from bot.adopt.release import installed_release, issue_tracker
from bot.github.approvals import Review
from bot.github.records import (
    GHOST,
    Annotation,
    Comment,
    Conflict,
    FileContent,
    PullFile,
    PullInfo,
    Refused,
    check_run_outputs,
    listed_at,
    pull_info,
)
from bot.github.refusals import describe, detailed_message, ref_refusal

__all__ = ["ApiError", "Client", "GitHubAPI", "api_error", "bot_retry", "client_from_env"]

MAX_RATE_LIMIT_WAIT = 120  # seconds; a longer wait fails the run with a clear error instead
REVIEW_BODY = "Suggested fixes from leaderboard-bot: apply them with *Commit suggestion*."
FILES_LISTED = 3000  # GET /pulls/{n}/files lists no more than this
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class BotRetry(GithubRetry):
    """GithubRetry that also retries 429 (honouring ``Retry-After``), but only for idempotent requests.

    PyGithub retries 403 rate limits and 5xx on GET and POST; a 429 is not retried at all. A request
    refused with 429 was not applied, but the bot still retries only requests that cannot create
    content twice, so a comment or commit is never sent twice because of a limit.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("status_forcelist", [*range(500, 600), 403, 429])
        super().__init__(**kwargs)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """429 only on idempotent methods; everything else as GithubRetry decides."""
        if status_code == 429 and method.upper() not in IDEMPOTENT:
            return False
        return bool(super().is_retry(method, status_code, has_retry_after))


def bot_retry(**kwargs: Any) -> BotRetry:
    """The retry policy of the bot's client (tests pass a shorter one)."""
    kwargs.setdefault("total", 5)
    kwargs.setdefault("max_rate_limit_wait", MAX_RATE_LIMIT_WAIT)
    return BotRetry(**kwargs)


# What PyGithub raises when GitHub refuses a request, and its client: named here so that no other
# module imports PyGithub.
ApiError = GithubException
Client = Github


def api_error(exc: GithubException) -> str:
    """A GitHub refusal in one line, with the fix when it is a known setting (a request GitHub found
    invalid is reported at the installed release's issue tracker)."""
    return describe(exc.status, exc.data, issue_tracker(installed_release()))


def client_from_env(env: Mapping[str, str], retry: GithubRetry | int | None = None) -> Github:
    """A PyGithub client for the Actions environment (GITHUB_API_URL makes GHES work)."""
    token = env.get("GITHUB_TOKEN") or env.get("INPUT_GITHUB_TOKEN") or ""
    return Github(
        auth=Auth.Token(token),
        base_url=env.get("GITHUB_API_URL", "https://api.github.com"),
        # A spent rate limit would otherwise sleep until it resets (up to an hour, holding the merge queue).
        retry=bot_retry() if retry is None else retry,
        per_page=100,
        lazy=True,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


class GitHubAPI:
    """Repository-level operations the bot needs, in GitHub's own terms."""

    def __init__(self, github: Github, repository: str) -> None:
        self.repository = repository
        self._repo = github.get_repo(repository)  # lazy: the client is built with lazy=True
        self._once: Requester | None = None

    def pull(self, number: int) -> PullInfo:
        """GET the pull request (fresh head SHA and state)."""
        return pull_info(self._repo.get_pull(number).raw_data)

    def open_pulls(self) -> list[PullInfo]:
        """Every open pull request (100 per page)."""
        return [_listed_pull(p) for p in self._repo.get_pulls(state="open")]

    def pulls_for_head(self, owner: str, branch: str) -> list[PullInfo]:
        """The open pull requests whose head is ``owner:branch`` (a fork's branch too; one request)."""
        return [_listed_pull(p) for p in self._repo.get_pulls(state="open", head=f"{owner}:{branch}")]

    def reviews(self, number: int) -> list[Review]:
        """Every review of a pull request, oldest first (a deleted reviewer has no login)."""
        reviews = self._repo.get_pull(number).get_reviews()
        return [
            Review(
                r.user.login if r.user else None,
                (r.user.type or "User") if r.user else "User",
                str(r.state or ""),
                r.commit_id or "",
            )
            for r in reviews
        ]

    def issue_author(self, number: int) -> str | None:
        """The login that opened an issue (None for a deleted account)."""
        user = self._repo.get_issue(number).raw_data.get("user")
        return str(user["login"]) if user else None

    def pull_files(self, number: int) -> tuple[list[PullFile], int]:
        """The changed files (100 per page; GitHub lists at most 3,000) and how many the PR changes.

        The count is asked (one more request) only when the list is full: a longer PR is cut silently.
        """
        pull = self._repo.get_pull(number)
        files = [
            PullFile(
                f.filename,
                f.status,
                f.sha,
                getattr(f, "previous_filename", None),
                f.patch,
                int(f.additions or 0),
                int(f.deletions or 0),
                listed_at(f.contents_url),
            )
            for f in pull.get_files()
        ]
        if len(files) < FILES_LISTED:
            return files, len(files)
        return files, int(self._repo.get_pull(number).raw_data.get("changed_files") or len(files))

    def read(self, path: str, ref: str) -> FileContent:
        """A file at a commit; contents over 1 MB are read through the blob API."""
        item = self._repo.get_contents(path, ref=ref)
        if isinstance(item, list):
            return FileContent(path, "dir", "", b"", 0)
        raw = item.raw_data
        kind, sha, size = raw.get("type", "file"), raw.get("sha", ""), int(raw.get("size") or 0)
        if kind != "file":
            return FileContent(path, kind, sha, b"", size)
        if raw.get("encoding") == "base64" and raw.get("content") is not None:
            return FileContent(path, kind, sha, base64.b64decode(raw["content"]), size)
        return FileContent(path, kind, sha, self.blob(sha), size)

    def blob(self, sha: str) -> bytes:
        """The bytes of a blob."""
        blob = self._repo.get_git_blob(sha)
        return base64.b64decode(blob.raw_data["content"])

    def comments(self, number: int) -> list[Comment]:
        """All comments of an issue or pull request, oldest first."""
        # Attributes, not raw_data: raw_data would complete each lazy list item with a GET.
        issue = self._repo.get_issue(number)
        return [Comment(c.id, c.user.login if c.user else GHOST, c.body or "") for c in issue.get_comments()]

    def create_comment(self, number: int, body: str) -> int:
        """POST a comment; returns its id."""
        return int(self._repo.get_issue(number).create_comment(body).id)

    def create_comment_once(self, number: int, body: str) -> int:
        """POST a comment exactly once: never re-sent after a 5xx or a dropped connection, which may
        come after GitHub stored it (the error fails the run; its re-run finds the comment)."""
        if self._once is None:  # the client's settings without its retry policy, built on first use
            self._once = Requester(**{**self._repo.requester.kwargs, "retry": None})
        _, data = self._once.requestJsonAndCheck(
            "POST", f"{self._repo.url}/issues/{number}/comments", input={"body": body}
        )
        return int(data["id"])

    def update_comment(self, comment_id: int, body: str) -> None:
        """PATCH a comment's body (one request: PyGithub's lazy comment would GET it first)."""
        self._send("PATCH", f"issues/comments/{comment_id}", {"body": body})

    def delete_comment(self, comment_id: int) -> None:
        """DELETE a comment; one already gone (another run cleaned up first) is not an error."""
        try:
            self._repo.requester.requestJsonAndCheck(
                "DELETE", f"{self._repo.url}/issues/comments/{comment_id}"
            )
        except GithubException as exc:
            if exc.status != 404:
                raise

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        """Add labels (GitHub creates missing ones)."""
        self._repo.get_issue(number).add_to_labels(*labels)

    def remove_label(self, number: int, label: str) -> None:
        """Remove a label; a label that is not there is not an error."""
        try:
            self._repo.get_issue(number).remove_from_labels(label)
        except GithubException as exc:
            if exc.status != 404:
                raise

    def permission(self, login: str) -> str:
        """admin, write, read or none (maintain counts as write, triage as read)."""
        return str(self._repo.get_collaborator_permission(login))

    def check_run(
        self,
        sha: str,
        name: str,
        conclusion: str,
        output: Mapping[str, str],
        annotations: Sequence[Annotation],
    ) -> None:
        """Create a completed check run; annotations go in batches of 50, texts cut to GitHub's limit."""
        first, *more = check_run_outputs(output, annotations)
        run = self._repo.create_check_run(name, sha, status="completed", conclusion=conclusion, output=first)
        for payload in more:
            run.edit(output=payload)

    def branch_head(self, branch: str) -> tuple[str, str]:
        """(commit SHA, tree SHA) of a branch tip, in one request."""
        raw = self._repo.get_commit(branch).raw_data
        return str(raw["sha"]), str(raw["commit"]["tree"]["sha"])

    def commit_message(self, sha: str) -> str:
        """The message of a commit (GET /git/commits/{sha}: one request, no file list)."""
        _, data = self._repo.requester.requestJsonAndCheck("GET", f"{self._repo.url}/git/commits/{sha}")
        return str(data.get("message") or "")

    def merge_base(self, base: str, head: str) -> str:
        """The merge-base commit of two refs or SHAs (what a pull request's diff is against)."""
        comparison = self._repo.compare(base, head)
        return str(comparison.raw_data["merge_base_commit"]["sha"])

    def create_commit(
        self, message: str, base_tree: str, files: Mapping[str, str], parents: Sequence[str]
    ) -> str:
        """A commit whose tree is ``base_tree`` with ``files`` replaced; returns its SHA (two requests)."""
        # Plain requests: PyGithub's tree and commit helpers first GET the objects they are given.
        entries = [
            {"path": path, "mode": "100644", "type": "blob", "content": text} for path, text in files.items()
        ]
        tree = self._post("git/trees", {"base_tree": base_tree, "tree": entries})
        commit = self._post(
            "git/commits", {"message": message, "tree": tree["sha"], "parents": list(parents)}
        )
        return str(commit["sha"])

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._send("POST", path, body)

    def _send(self, verb: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        _, data = self._repo.requester.requestJsonAndCheck(verb, f"{self._repo.url}/{path}", input=body)
        return dict(data)

    def move_branch(self, branch: str, sha: str, *, force: bool = False) -> None:
        """Point a branch at a commit; without ``force`` only as a fast-forward (else Conflict)."""
        try:
            # A plain request: a lazy GitRef would PATCH the singular /git/ref/ path, which 404s.
            self._send("PATCH", f"git/refs/heads/{branch}", {"sha": sha, "force": force})
        except GithubException as exc:
            message = _message(exc)
            meaning = ref_refusal(exc.status, message)
            if meaning == "conflict":
                raise Conflict(message) from exc
            if meaning == "refused":
                raise Refused(message) from exc
            raise

    def create_branch(self, branch: str, sha: str) -> None:
        """Create a branch (Conflict if it already exists)."""
        try:
            self._repo.create_git_ref(f"refs/heads/{branch}", sha)
        except GithubException as exc:
            if exc.status == 422:
                raise Conflict("reference already exists") from exc
            raise

    def open_pull_for(self, branch: str) -> PullInfo | None:
        """The open pull request whose head is ``branch`` of this repository (one request)."""
        owner = self.repository.split("/", 1)[0]
        for pull in self._repo.get_pulls(state="open", head=f"{owner}:{branch}"):
            return _listed_pull(pull)
        return None

    def default_branch(self) -> str:
        """The repository's default branch (one request)."""
        return str(self._repo.default_branch)

    def latest_pull_and_body(self, branch: str) -> tuple[PullInfo, str] | None:
        """The newest pull request (open or closed) whose head is ``branch``, with its body (one request)."""
        owner = self.repository.split("/", 1)[0]
        pulls = self._repo.get_pulls(state="all", head=f"{owner}:{branch}", sort="created", direction="desc")
        for pull in pulls:
            return _listed_pull(pull), pull.body or ""
        return None

    def create_pull(self, title: str, body: str, head: str, base: str) -> int:
        """Open a pull request; returns its number (Conflict if one is open for ``head`` already)."""
        try:
            return int(self._repo.create_pull(base=base, head=head, title=title, body=body).number)
        except GithubException as exc:
            if exc.status == 422 and "already exists" in str(exc.data):
                raise Conflict("a pull request already exists for the branch") from exc
            raise

    def issue_body(self, number: int) -> tuple[str, str, tuple[str, ...]]:
        """(body, state, label names) of an issue as it is now."""
        raw = self._repo.get_issue(number).raw_data
        return raw.get("body") or "", raw["state"], tuple(label["name"] for label in raw.get("labels", []))

    def edit_pull(self, number: int, title: str, body: str) -> None:
        """Update a pull request's title and body."""
        self._repo.get_pull(number).edit(title=title, body=body)

    def close_pull(self, number: int) -> None:
        """Close a pull request without merging it (its branch stays)."""
        self._repo.get_pull(number).edit(state="closed")

    def review_comments(self, number: int, sha: str, comments: Sequence[Mapping[str, Any]]) -> str | None:
        """One review (event COMMENT) carrying line comments, e.g. suggested changes.

        Returns None when posted, else GitHub's reason for refusing the review (422: a line outside
        the diff refuses the whole review), so the caller can carry on without the suggestions.
        """
        try:
            self._repo.get_pull(number).create_review(
                commit=self._repo.get_commit(sha),
                body=REVIEW_BODY,  # the API requires a body for a COMMENT review
                event="COMMENT",
                comments=list(comments),  # type: ignore[arg-type]
            )
        except GithubException as exc:
            if exc.status != 422:
                raise
            return _message(exc)
        return None


def _message(exc: GithubException) -> str:
    return detailed_message(exc.data, str(exc))


def _listed_pull(p: Any) -> PullInfo:
    """A pull request of a list, from its attributes (raw_data would GET each item again)."""
    return PullInfo(
        number=p.number,
        author=p.user.login if p.user else GHOST,
        head_sha=p.head.sha,
        head_ref=p.head.ref,
        head_repo=p.head.repo.full_name if p.head.repo else "",
        base_ref=p.base.ref,
        state=p.state,
        merged=p.merged_at is not None,  # a list item has no `merged`, but its merged_at says it
        labels=tuple(label.name for label in p.labels),
        draft=bool(p.draft),
        opened_at=p.created_at.strftime("%Y-%m-%dT%H:%M:%SZ") if p.created_at else None,
    )
