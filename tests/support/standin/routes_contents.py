"""Contents API (read, create/update, delete), raw downloads, commits and branches."""

from __future__ import annotations

import base64
import binascii
import posixpath

from .errors import ApiError, missing_field, not_found, validation
from .git import MODE_FILE, MODE_SYMLINK, MODE_TREE, TreeEntry
from .gitops import commits_between, diff_trees, merge_base
from .model import Repo
from .render import HTML, api
from .render_git import commit_json, content_json, git_commit_json
from .render_pulls import file_json
from .routing import Ctx, Reply, route
from .world import World

R = "/repos/<owner>/<repo>"
MAX_LISTING = 1000


def _follow(world: World, tree: str, path: str, entry: TreeEntry) -> tuple[str, TreeEntry]:
    """A symlink whose target is a normal file in the repo answers as that file."""
    if entry.mode != MODE_SYMLINK:
        return path, entry
    target = world.store.blob(entry.sha).data.decode("utf-8", errors="replace")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    found = None if resolved.startswith("..") else world.store.lookup(tree, resolved)
    if found is not None and found.mode not in (MODE_TREE, MODE_SYMLINK) and found.type == "blob":
        return resolved, found
    return path, entry


@route(f"{R}/contents", "GET")
@route(f"{R}/contents/", "GET")
@route(f"{R}/contents/<path:path>", "GET")
def get_contents(ctx: Ctx) -> Reply:
    """GET /contents/{path}?ref=: file object, directory listing, symlink or submodule."""
    repo = ctx.repo()
    world = ctx.world
    ref = ctx.arg("ref") or repo.default_branch
    commit = world.resolve(repo, ref)
    if commit is None:
        raise ApiError(404, f"No commit found for the ref {ref}")
    tree = world.store.commit(commit).tree
    path = ctx.values.get("path", "").strip("/")
    entry = world.store.lookup(tree, path)
    if entry is None:
        raise not_found()
    if entry.mode == MODE_TREE:
        items = [
            content_json(world, repo, ref, f"{path}/{e.name}".lstrip("/"), e, full=False)
            for e in world.store.tree(entry.sha).entries
        ]
        return Reply(200, sorted(items, key=lambda i: i["name"])[:MAX_LISTING])
    path, entry = _follow(world, tree, path, entry)
    if ctx.raw and entry.type == "blob":
        return ctx.raw_reply(world.store.blob(entry.sha).data)
    return Reply(200, content_json(world, repo, ref, path, entry, full=True))


@route("/_raw/<owner>/<repo>/<path:rest>", "GET")
def raw_download(ctx: Ctx) -> Reply:
    """The ``download_url`` of contents items (served here instead of raw.githubusercontent.com)."""
    repo = ctx.repo()
    parts = ctx.values["rest"].split("/")
    for i in range(1, len(parts)):
        commit = ctx.world.resolve(repo, "/".join(parts[:i]))
        if commit is None:
            continue
        tree = ctx.world.store.commit(commit).tree
        entry = ctx.world.store.lookup(tree, "/".join(parts[i:]))
        if entry is not None and entry.type == "blob":
            return Reply(200, ctx.world.store.blob(entry.sha).data)
    raise not_found()


def _branch_tip(ctx: Ctx, repo: Repo) -> tuple[str, str | None]:
    branch = ctx.field("branch") or repo.default_branch
    tip = repo.refs.get(f"refs/heads/{branch}")
    if tip is None and any(r.startswith("refs/heads/") for r in repo.refs):
        raise ApiError(404, f"Branch {branch} not found")
    return branch, tip


def _commit_change(ctx: Ctx, repo: Repo, path: str, mode: str, blob: str | None) -> tuple[str, str]:
    world = ctx.world
    branch, tip = _branch_tip(ctx, repo)
    base_tree = world.store.commit(tip).tree if tip else None
    tree = world.store.edit_tree(base_tree, [(path, mode, blob)])
    message = ctx.need("message", "Commit")
    author = world.person(ctx.login or repo.owner)
    sha = world.make_commit(tree, [tip] if tip else [], str(message), author)
    world.set_ref(repo, f"refs/heads/{branch}", sha, ctx.token, create=tip is None)
    return branch, sha


def _check_sha(ctx: Ctx, repo: Repo, path: str, entry: TreeEntry | None) -> None:
    sent = ctx.field("sha")
    if entry is not None and not sent:
        raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if entry is not None and sent != entry.sha:
        raise ApiError(409, f"{path} does not match {sent}")


@route(f"{R}/contents/<path:path>", "PUT")
def put_contents(ctx: Ctx) -> Reply:
    """PUT /contents/{path}: needs the current blob ``sha`` for existing files (missing 422, stale 409)."""
    repo = ctx.repo("write")
    world = ctx.world
    path = ctx.values["path"].strip("/")
    content = ctx.field("content")
    if not isinstance(content, str):
        raise missing_field("Content", "content")
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise validation("Content", "content", "invalid", "content is not valid Base64") from exc
    branch, tip = _branch_tip(ctx, repo)
    entry = world.store.lookup(world.store.commit(tip).tree, path) if tip else None
    if entry is not None and entry.mode == MODE_TREE:
        raise ApiError(422, f"{path} is a directory")
    _check_sha(ctx, repo, path, entry)
    mode = entry.mode if entry is not None else MODE_FILE
    blob = world.store.put_blob(data)
    branch, sha = _commit_change(ctx, repo, path, mode, blob)
    item = content_json(world, repo, branch, path, TreeEntry(mode, path.rsplit("/", 1)[-1], blob), full=False)
    return Reply(
        201 if entry is None else 200, {"content": item, "commit": git_commit_json(world, repo, sha)}
    )


@route(f"{R}/contents/<path:path>", "DELETE")
def delete_contents(ctx: Ctx) -> Reply:
    """DELETE /contents/{path} with the file's current ``sha``."""
    repo = ctx.repo("write")
    world = ctx.world
    path = ctx.values["path"].strip("/")
    _, tip = _branch_tip(ctx, repo)
    entry = world.store.lookup(world.store.commit(tip).tree, path) if tip else None
    if entry is None or entry.mode == MODE_TREE:
        raise not_found()
    if not ctx.field("sha"):
        raise missing_field("Content", "sha")
    _check_sha(ctx, repo, path, entry)
    _, sha = _commit_change(ctx, repo, path, entry.mode, None)
    return Reply(200, {"content": None, "commit": git_commit_json(world, repo, sha)})


def commit_files(world: World, repo: Repo, sha: str) -> list[dict[str, object]]:
    """The files of a commit, diffed against its first parent."""
    commit = world.store.commit(sha)
    parent_tree = world.store.commit(commit.parents[0]).tree if commit.parents else None
    return [file_json(world, repo, sha, ch) for ch in diff_trees(world.store, parent_tree, commit.tree)]


@route(f"{R}/commits/<ref>", "GET")
def get_repo_commit(ctx: Ctx) -> Reply:
    """GET /commits/{ref} with ``files`` and ``stats``."""
    repo = ctx.repo()
    sha = ctx.world.resolve(repo, ctx.values["ref"])
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ctx.values['ref']}")
    return Reply(200, commit_json(ctx.world, repo, sha, commit_files(ctx.world, repo, sha)))


@route(f"{R}/commits", "GET")
def list_commits(ctx: Ctx) -> Reply:
    """GET /commits?sha=&path= (newest first)."""
    repo = ctx.repo()
    store = ctx.world.store
    tip = ctx.world.resolve(repo, ctx.arg("sha"))
    if tip is None:
        return Reply(200, [])
    shas = list(reversed(commits_between(store, None, tip)))
    path = ctx.arg("path")
    if path:

        def touches(sha: str) -> bool:
            commit = store.commit(sha)
            mine = store.lookup(commit.tree, path)
            return all(store.lookup(store.commit(p).tree, path) != mine for p in commit.parents) or (
                not commit.parents and mine is not None
            )

        shas = [s for s in shas if touches(s)]
    return Reply(200, [commit_json(ctx.world, repo, s, None) for s in ctx.paginate(shas)])


def branch_json(world: World, repo: Repo, name: str) -> dict[str, object]:
    """A branch object."""
    sha = repo.refs[f"refs/heads/{name}"]
    url = f"{api(world, repo)}/branches/{name}"
    return {
        "name": name,
        "commit": commit_json(world, repo, sha, None),
        "_links": {"self": url, "html": f"https://github.com/{repo.full_name}/tree/{name}"},
        "protected": False,
        "protection": {
            "enabled": False,
            "required_status_checks": {"enforcement_level": "off", "contexts": []},
        },
        "protection_url": f"{url}/protection",
    }


@route(f"{R}/branches", "GET")
def list_branches(ctx: Ctx) -> Reply:
    """GET /branches."""
    repo = ctx.repo()
    names = sorted(r[len("refs/heads/") :] for r in repo.refs if r.startswith("refs/heads/"))
    page = ctx.paginate(names)
    return Reply(
        200, [{"name": n, "commit": {"sha": repo.refs[f"refs/heads/{n}"]}, "protected": False} for n in page]
    )


@route(f"{R}/branches/<path:branch>", "GET")
def get_branch(ctx: Ctx) -> Reply:
    """GET /branches/{branch}."""
    repo = ctx.repo()
    if f"refs/heads/{ctx.values['branch']}" not in repo.refs:
        raise ApiError(404, "Branch not found")
    return Reply(200, branch_json(ctx.world, repo, ctx.values["branch"]))


@route(f"{R}/compare/<path:spec>", "GET")
def compare(ctx: Ctx) -> Reply:
    """GET /compare/{base}...{head}: the merge base and how far the two sides diverged."""
    repo = ctx.repo()
    base_ref, sep, head_ref = ctx.values["spec"].partition("...")
    if not sep:
        raise not_found()
    store = ctx.world.store
    base, head = ctx.world.resolve(repo, base_ref), ctx.world.resolve(repo, head_ref)
    if base is None or head is None:
        raise not_found()
    merge = merge_base(store, base, head)
    ahead = len(commits_between(store, merge, head))
    behind = len(commits_between(store, merge, base))
    status = "identical" if base == head else "ahead" if not behind else "behind" if not ahead else "diverged"
    url = f"{ctx.world.api_url}/repos/{repo.full_name}/compare/{ctx.values['spec']}"
    html = f"{HTML}/{repo.full_name}/compare/{ctx.values['spec']}"
    body = {
        "url": url,
        "html_url": html,
        "permalink_url": f"{HTML}/{repo.full_name}/compare/{repo.owner}:{base[:7]}...{repo.owner}:{head[:7]}",
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "total_commits": ahead,
        "status": status,
        "ahead_by": ahead,
        "behind_by": behind,
        "base_commit": commit_json(ctx.world, repo, base, None),
        "merge_base_commit": commit_json(ctx.world, repo, merge, None) if merge else None,
        "commits": [],
        "files": [],
    }
    return Reply(200, body)
