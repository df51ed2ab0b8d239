"""Git data API: blobs, trees, commits and references (the compare-and-swap lives in World.set_ref)."""

from __future__ import annotations

import base64
import binascii

from .errors import ApiError, missing_field, not_found
from .git import MODE_SUBMODULE, MODE_SYMLINK, MODE_TREE, Commit, Person, parse_time
from .model import ACTIONS_BOT
from .render import ref_json
from .render_git import blob_json, git_commit_json, tree_json
from .routing import Ctx, Reply, route
from .world import SHA_RE

R = "/repos/<owner>/<repo>"
TREE_MODES = ("100644", "100755", "040000", MODE_SUBMODULE, MODE_SYMLINK)


def decode_content(content: object, encoding: str | None) -> bytes:
    """Decode a ``content`` field sent as utf-8 text or base64."""
    if not isinstance(content, str):
        raise missing_field("Blob", "content")
    if (encoding or "utf-8") == "base64":
        try:
            return base64.b64decode(content, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise ApiError(422, "content is not valid Base64") from exc
    return content.encode("utf-8")


@route(f"{R}/git/blobs", "POST")
def create_blob(ctx: Ctx) -> Reply:
    """POST /git/blobs."""
    repo = ctx.repo("write")
    sha = ctx.world.store.put_blob(decode_content(ctx.field("content"), ctx.field("encoding")))
    return Reply(201, {"url": f"{ctx.world.api_url}/repos/{repo.full_name}/git/blobs/{sha}", "sha": sha})


@route(f"{R}/git/blobs/<sha>", "GET")
def get_blob(ctx: Ctx) -> Reply:
    """GET /git/blobs/{sha} (works for files of any size; raw media type gives bytes)."""
    repo = ctx.repo()
    sha = ctx.values["sha"]
    if ctx.world.store.kind(sha) != "blob":
        raise not_found()
    if ctx.raw:
        return ctx.raw_reply(ctx.world.store.blob(sha).data)
    return Reply(200, blob_json(ctx.world, repo, sha))


@route(f"{R}/git/trees", "POST")
def create_tree(ctx: Ctx) -> Reply:
    """POST /git/trees with optional ``base_tree``; nested paths build subtrees, ``sha: null`` deletes."""
    repo = ctx.repo("write")
    store = ctx.world.store
    base = ctx.field("base_tree")
    if base is not None and store.kind(base) != "tree":
        raise ApiError(422, "Invalid tree info")
    entries = ctx.field("tree")
    if not isinstance(entries, list):
        raise missing_field("Tree", "tree")
    changes: list[tuple[str, str, str | None]] = []
    for item in entries:
        path, mode = item.get("path"), item.get("mode")
        if not path or mode not in TREE_MODES:
            raise ApiError(422, "Invalid tree info", [f"tree.mode {mode!r} is not valid"])
        if "content" in item and item["content"] is not None:
            sha: str | None = store.put_blob(str(item["content"]).encode())
        else:
            sha = item.get("sha")
        if sha is not None:
            expected = {"040000": "tree", MODE_SUBMODULE: None}.get(mode, "blob")
            if expected and store.kind(sha) != expected:
                raise ApiError(422, f"tree.sha {sha} is not a valid {expected}")
            if mode == MODE_SUBMODULE and not SHA_RE.match(sha):
                raise ApiError(422, "Invalid tree info")
        changes.append((path, MODE_TREE if mode == "040000" else mode, sha))
    tree = store.edit_tree(base, changes)
    return Reply(201, tree_json(ctx.world, repo, tree, recursive=False))


@route(f"{R}/git/trees/<path:sha>", "GET")
def get_tree(ctx: Ctx) -> Reply:
    """GET /git/trees/{sha-or-ref}?recursive=1."""
    repo = ctx.repo()
    store = ctx.world.store
    sha = ctx.values["sha"]
    if store.kind(sha) != "tree":
        commit = ctx.world.resolve(repo, sha)
        if commit is None:
            raise not_found()
        sha = store.commit(commit).tree
    recursive = (ctx.arg("recursive") or "") not in ("", "0", "false")
    return Reply(200, tree_json(ctx.world, repo, sha, recursive))


def _person(ctx: Ctx, value: object) -> Person:
    if isinstance(value, dict) and value.get("name") and value.get("email"):
        when = parse_time(value["date"]) if value.get("date") else int(ctx.world.now())
        return Person(str(value["name"]), str(value["email"]), when)
    login = ctx.login or ACTIONS_BOT
    return ctx.world.person(login)


@route(f"{R}/git/commits", "POST")
def create_commit(ctx: Ctx) -> Reply:
    """POST /git/commits."""
    repo = ctx.repo("write")
    store = ctx.world.store
    tree = ctx.need("tree", "Commit")
    message = ctx.need("message", "Commit")
    parents = ctx.field("parents", [])
    if store.kind(tree) != "tree":
        raise ApiError(422, "Tree SHA does not exist")
    for parent in parents:
        if store.kind(parent) != "commit":
            raise ApiError(422, "Parent SHA does not exist or is not a commit object")
    author = _person(ctx, ctx.field("author"))
    committer = _person(ctx, ctx.field("committer")) if ctx.field("committer") else author
    sha = store.put(Commit(tree, tuple(parents), author, committer, str(message)))
    return Reply(201, git_commit_json(ctx.world, repo, sha))


@route(f"{R}/git/commits/<sha>", "GET")
def get_commit(ctx: Ctx) -> Reply:
    """GET /git/commits/{sha}."""
    repo = ctx.repo()
    if ctx.world.store.kind(ctx.values["sha"]) != "commit":
        raise not_found()
    return Reply(200, git_commit_json(ctx.world, repo, ctx.values["sha"]))


def _listed(ctx: Ctx, prefix: str) -> list[object]:
    repo = ctx.repo()
    names = sorted(n for n in repo.refs if n.startswith(prefix) and not n.startswith("refs/pull/"))
    return [ref_json(ctx.world, repo, n, repo.refs[n]) for n in names]


@route(f"{R}/git/ref/<path:ref>", "GET")
def get_ref(ctx: Ctx) -> Reply:
    """GET /git/ref/{ref} (single ref, e.g. ``heads/main``)."""
    repo = ctx.repo()
    name = "refs/" + ctx.values["ref"]
    if name not in repo.refs:
        raise not_found()
    return Reply(200, ref_json(ctx.world, repo, name, repo.refs[name]))


@route(f"{R}/git/refs", "GET")
def list_refs(ctx: Ctx) -> Reply:
    """GET /git/refs."""
    return Reply(200, ctx.paginate(_listed(ctx, "refs/")))


@route(f"{R}/git/refs/<path:ref>", "GET")
def get_refs(ctx: Ctx) -> Reply:
    """GET /git/refs/{ref}: the exact ref, else the refs under it as a list (legacy behaviour)."""
    repo = ctx.repo()
    name = "refs/" + ctx.values["ref"].rstrip("/")
    if name in repo.refs:
        return Reply(200, ref_json(ctx.world, repo, name, repo.refs[name]))
    found = _listed(ctx, name + "/")
    if not found:
        raise not_found()
    return Reply(200, found)


@route(f"{R}/git/matching-refs/<path:ref>", "GET")
def matching_refs(ctx: Ctx) -> Reply:
    """GET /git/matching-refs/{prefix}."""
    return Reply(200, _listed(ctx, "refs/" + ctx.values["ref"]))


@route(f"{R}/git/refs", "POST")
def create_ref(ctx: Ctx) -> Reply:
    """POST /git/refs: 422 "Reference already exists" when taken."""
    repo = ctx.repo("write")
    ref, sha = ctx.need("ref", "Reference"), ctx.need("sha", "Reference")
    if not str(ref).startswith("refs/") or str(ref).count("/") < 2:
        raise ApiError(422, "Reference name is invalid")
    ctx.world.set_ref(repo, ref, sha, ctx.token, create=True)
    return Reply(201, ref_json(ctx.world, repo, ref, sha))


@route(f"{R}/git/refs/<path:ref>", "PATCH")
def update_ref(ctx: Ctx) -> Reply:
    """PATCH /git/refs/{ref}: 422 "Update is not a fast forward" unless ``force``."""
    repo = ctx.repo("write")
    name = "refs/" + ctx.values["ref"]
    if name.startswith("refs/pull/"):
        raise ApiError(422, "Reference cannot be updated")
    ctx.world.set_ref(repo, name, ctx.need("sha", "Reference"), ctx.token, force=bool(ctx.field("force")))
    return Reply(200, ref_json(ctx.world, repo, name, repo.refs[name]))


@route(f"{R}/git/refs/<path:ref>", "DELETE")
def delete_ref(ctx: Ctx) -> Reply:
    """DELETE /git/refs/{ref}."""
    repo = ctx.repo("write")
    ctx.world.delete_ref(repo, "refs/" + ctx.values["ref"])
    return Reply(204)
