"""Pull requests: create/list/get/update, files, merge and reviews."""

from __future__ import annotations

from . import gitops
from .errors import ApiError, missing_field, not_found
from .git import Commit, Person
from .model import Issue, Pull, Repo
from .render_git import commit_json
from .render_pulls import file_json, pr_changes, pull_json
from .routing import Ctx, Reply, route
from .world import World

R = "/repos/<owner>/<repo>"
MAX_FILES = 3000
NOT_MERGEABLE = "Pull Request is not mergeable"
GITHUB = Person("GitHub", "noreply@github.com", 0)


def get_pull(ctx: Ctx, repo: Repo) -> Issue:
    """The pull request numbered in the URL, or 404."""
    issue = repo.issues.get(ctx.issue_number())
    if issue is None or issue.pull is None:
        raise not_found()
    return issue


def head_repo(world: World, base: Repo, owner: str | None) -> Repo:
    """The repository a ``head`` of ``owner:branch`` lives in (the base itself or a fork of it)."""
    if owner is None or owner.lower() == base.owner.lower():
        return base
    for repo in world.repos.values():
        if (
            repo.owner.lower() == owner.lower()
            and repo.parent
            and repo.parent.lower() == base.full_name.lower()
        ):
            return repo
    raise ApiError(
        422, "Validation Failed", [{"resource": "PullRequest", "field": "head", "code": "invalid"}]
    )


@route(f"{R}/pulls", "POST")
def create_pull(ctx: Ctx) -> Reply:
    """POST /pulls: one open PR per head/base; GITHUB_TOKEN needs the repository setting."""
    repo = ctx.repo()
    world = ctx.world
    if ctx.token is not None and ctx.token.kind == "actions" and not repo.allow_actions_prs:
        raise ApiError(403, "GitHub Actions is not permitted to create or approve pull requests.")
    title, head, base = ctx.field("title"), ctx.need("head", "PullRequest"), ctx.need("base", "PullRequest")
    if not title:
        raise missing_field("PullRequest", "title")
    owner, _, branch = str(head).rpartition(":")
    source = head_repo(world, repo, owner or None)
    head_sha = source.refs.get(f"refs/heads/{branch}")
    if head_sha is None:
        raise ApiError(
            422, "Validation Failed", [{"resource": "PullRequest", "field": "head", "code": "invalid"}]
        )
    base_sha = repo.refs.get(f"refs/heads/{base}")
    if base_sha is None:
        raise ApiError(
            422, "Validation Failed", [{"resource": "PullRequest", "field": "base", "code": "invalid"}]
        )
    for other in repo.issues.values():
        pull = other.pull
        if (
            pull is None
            or other.state != "open"
            or (pull.head_repo, pull.head_ref) != (source.full_name, branch)
        ):
            continue
        if pull.base_ref == base:
            message = f"A pull request already exists for {source.owner}:{branch}."
            raise ApiError(
                422, "Validation Failed", [{"resource": "PullRequest", "code": "custom", "message": message}]
            )
    if gitops.is_ancestor(world.store, head_sha, base_sha):
        message = f"No commits between {base} and {branch}"
        raise ApiError(
            422, "Validation Failed", [{"resource": "PullRequest", "code": "custom", "message": message}]
        )
    now = world.now()
    number = max(repo.issues, default=0) + 1
    pull = Pull(world.next_id(), source.full_name, branch, head_sha, str(base), bool(ctx.field("draft")))
    pull.maintainer_can_modify = bool(ctx.field("maintainer_can_modify"))
    login = ctx.login or repo.owner
    issue = Issue(number, world.next_id(), str(title), ctx.field("body"), login, now, now, pull=pull)
    repo.issues[number] = issue
    repo.refs[f"refs/pull/{number}/head"] = head_sha
    world.emit("pull_request", "opened", login, repo, number=number)
    return Reply(201, pull_json(world, repo, issue))


@route(f"{R}/pulls", "GET")
def list_pulls(ctx: Ctx) -> Reply:
    """GET /pulls?state=&head=owner:branch&base=."""
    repo = ctx.repo()
    state = ctx.arg("state") or "open"
    head, base = ctx.arg("head"), ctx.arg("base")
    found = []
    for issue in sorted(repo.issues.values(), key=lambda i: -i.number):
        pull = issue.pull
        if pull is None or (state != "all" and issue.state != state):
            continue
        if base and pull.base_ref != base:
            continue
        if head:
            owner, _, branch = head.rpartition(":")
            if pull.head_ref != branch or (owner and pull.head_repo.split("/")[0].lower() != owner.lower()):
                continue
        found.append(issue)
    return Reply(200, [pull_json(ctx.world, repo, i, detail=False) for i in ctx.paginate(found)])


@route(f"{R}/pulls/<int:number>", "GET")
def read_pull(ctx: Ctx) -> Reply:
    """GET /pulls/{n}."""
    repo = ctx.repo()
    return Reply(200, pull_json(ctx.world, repo, get_pull(ctx, repo)))


@route(f"{R}/pulls/<int:number>", "PATCH")
def update_pull(ctx: Ctx) -> Reply:
    """PATCH /pulls/{n}: title, body, state, base."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    if ctx.login != issue.user:
        ctx.repo("triage")
    world = ctx.world
    actor = ctx.login or repo.owner
    for name in ("title", "body"):
        if isinstance(ctx.body, dict) and name in ctx.body:
            setattr(issue, name, ctx.body[name])
    base = ctx.field("base")
    if base:
        if f"refs/heads/{base}" not in repo.refs:
            raise ApiError(
                422, "Validation Failed", [{"resource": "PullRequest", "field": "base", "code": "invalid"}]
            )
        assert issue.pull is not None
        issue.pull.base_ref = base
    state = ctx.field("state")
    if state in ("open", "closed") and state != issue.state:
        assert issue.pull is not None
        if issue.pull.merged:
            raise ApiError(
                422, "Validation Failed", [{"resource": "PullRequest", "code": "custom", "field": "state"}]
            )
        issue.state = state
        issue.closed_at, issue.closed_by = (world.now(), actor) if state == "closed" else (None, None)
        world.emit(
            "pull_request", "closed" if state == "closed" else "reopened", actor, repo, number=issue.number
        )
    issue.updated_at = world.now()
    world.emit("pull_request", "edited", actor, repo, number=issue.number)
    return Reply(200, pull_json(world, repo, issue))


@route(f"{R}/pulls/<int:number>/files", "GET")
def pull_files(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/files: at most 3,000 files, 100 per page, diffed from the merge base."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    assert issue.pull is not None
    changes = pr_changes(ctx.world, repo, issue)
    page = ctx.paginate(changes, cap=MAX_FILES)
    return Reply(200, [file_json(ctx.world, repo, issue.pull.head_sha, ch) for ch in page])


@route(f"{R}/pulls/<int:number>/commits", "GET")
def pull_commits(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/commits (at most 250)."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    assert issue.pull is not None
    base_tip = repo.refs.get(f"refs/heads/{issue.pull.base_ref}")
    shas = gitops.commits_between(ctx.world.store, base_tip, issue.pull.head_sha)[:250]
    return Reply(200, [commit_json(ctx.world, repo, s, None) for s in ctx.paginate(shas)])


@route(f"{R}/pulls/<int:number>/merge", "GET")
def is_merged(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/merge: 204 when merged, else 404."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    if issue.pull is None or not issue.pull.merged:
        raise not_found()
    return Reply(204)


def _build_merge(ctx: Ctx, repo: Repo, issue: Issue, method: str) -> str:
    world, store = ctx.world, ctx.world.store
    pull = issue.pull
    assert pull is not None
    tip = repo.refs[f"refs/heads/{pull.base_ref}"]
    base = gitops.merge_base(store, tip, pull.head_sha)
    base_tree = store.commit(base).tree if base else None
    merged = gitops.three_way(store, base_tree, store.commit(tip).tree, store.commit(pull.head_sha).tree)
    if merged is None:
        raise ApiError(405, NOT_MERGEABLE)
    now = int(world.now())
    author = world.person(ctx.login or repo.owner)
    committer = Person(GITHUB.name, GITHUB.email, now)
    title = ctx.field("commit_title")
    body = ctx.field("commit_message")
    if method == "merge":
        title = (
            title or f"Merge pull request #{issue.number} from {pull.head_repo.split('/')[0]}/{pull.head_ref}"
        )
        message = f"{title}\n\n{issue.title if body is None else body}"
        return store.put(Commit(merged, (tip, pull.head_sha), author, committer, message))
    commits = gitops.commits_between(store, tip, pull.head_sha)
    if method == "squash":
        title = title or f"{issue.title} (#{issue.number})"
        details = "\n\n".join(f"* {store.commit(c).message}" for c in commits)
        return store.put(
            Commit(merged, (tip,), author, committer, f"{title}\n\n{details if body is None else body}")
        )
    current = tip
    for sha in commits:
        commit = store.commit(sha)
        if len(commit.parents) != 1:
            raise ApiError(405, "This branch can't be rebased")
        parent_tree = store.commit(commit.parents[0]).tree
        tree = gitops.three_way(store, parent_tree, store.commit(current).tree, commit.tree)
        if tree is None:
            raise ApiError(405, "This branch can't be rebased")
        current = store.put(Commit(tree, (current,), commit.author, committer, commit.message))
    return current


@route(f"{R}/pulls/<int:number>/merge", "PUT")
def merge_pull(ctx: Ctx) -> Reply:
    """PUT /pulls/{n}/merge: 409 when ``sha`` is not the head, 405 when not mergeable."""
    repo = ctx.repo("write")
    issue = get_pull(ctx, repo)
    pull = issue.pull
    assert pull is not None
    if pull.merged or issue.state != "open":
        raise ApiError(405, NOT_MERGEABLE)
    sha = ctx.field("sha")
    if sha and sha != pull.head_sha:
        raise ApiError(409, "Head branch was modified. Review and try the merge again.")
    method = ctx.field("merge_method") or "merge"
    if method not in ("merge", "squash", "rebase"):
        raise ApiError(
            422,
            "Validation Failed",
            [{"resource": "PullRequest", "field": "merge_method", "code": "invalid"}],
        )
    new = _build_merge(ctx, repo, issue, method)
    ctx.world.set_ref(repo, f"refs/heads/{pull.base_ref}", new, ctx.token)
    if not pull.merged:
        ctx.world.mark_merged(repo, issue, ctx.login or repo.owner, new)
    return Reply(200, {"sha": new, "merged": True, "message": "Pull Request successfully merged"})
