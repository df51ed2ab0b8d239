"""JSON shapes of git data, commits and repository contents."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from .git import MODE_SUBMODULE, MODE_SYMLINK, MODE_TREE, TreeEntry
from .model import Repo
from .render import HTML, NODE_ID, api, user_json
from .world import World

MAX_INLINE = 1024 * 1024


def b64(data: bytes) -> str:
    """Base64 wrapped at 60 characters per line, as GitHub sends it."""
    text = base64.b64encode(data).decode()
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


def api_mode(mode: str) -> str:
    """Tree modes as the API shows them (trees as ``040000``)."""
    return "040000" if mode == MODE_TREE else mode


def blob_json(world: World, repo: Repo, sha: str) -> dict[str, Any]:
    """A git blob with base64 content (blobs API serves files up to 100 MB)."""
    data = world.store.blob(sha).data
    return {
        "sha": sha,
        "node_id": NODE_ID,
        "size": len(data),
        "url": f"{api(world, repo)}/git/blobs/{sha}",
        "content": b64(data),
        "encoding": "base64",
    }


def tree_json(world: World, repo: Repo, sha: str, recursive: bool) -> dict[str, Any]:
    """A git tree, optionally recursive."""
    store = world.store
    items = store.walk(sha) if recursive else [(e.name, e) for e in store.tree(sha).entries]
    entries = []
    for path, entry in items:
        item: dict[str, Any] = {
            "path": path,
            "mode": api_mode(entry.mode),
            "type": entry.type,
            "sha": entry.sha,
        }
        if entry.type == "blob":
            item["size"] = len(store.blob(entry.sha).data)
        if entry.type != "commit":
            item["url"] = f"{api(world, repo)}/git/{entry.type}s/{entry.sha}"
        entries.append(item)
    return {"sha": sha, "url": f"{api(world, repo)}/git/trees/{sha}", "tree": entries, "truncated": False}


def git_commit_json(world: World, repo: Repo, sha: str) -> dict[str, Any]:
    """A git commit object (git data API and the ``commit`` of a contents write)."""
    commit = world.store.commit(sha)
    return {
        "sha": sha,
        "node_id": NODE_ID,
        "url": f"{api(world, repo)}/git/commits/{sha}",
        "html_url": f"{HTML}/{repo.full_name}/commit/{sha}",
        "author": {"name": commit.author.name, "email": commit.author.email, "date": commit.author.iso()},
        "committer": {
            "name": commit.committer.name,
            "email": commit.committer.email,
            "date": commit.committer.iso(),
        },
        "tree": {"sha": commit.tree, "url": f"{api(world, repo)}/git/trees/{commit.tree}"},
        "message": commit.message,
        "parents": [
            {
                "sha": p,
                "url": f"{api(world, repo)}/git/commits/{p}",
                "html_url": f"{HTML}/{repo.full_name}/commit/{p}",
            }
            for p in commit.parents
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }


def _login_for(world: World, email: str) -> str | None:
    local = email.split("@")[0]
    if email.endswith("@users.noreply.github.com") and "+" in local:
        return local.split("+", 1)[1]
    return None


def commit_json(world: World, repo: Repo, sha: str, files: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A repository commit (``GET /repos/{o}/{r}/commits/{ref}``)."""
    git = git_commit_json(world, repo, sha)
    commit = world.store.commit(sha)
    author = _login_for(world, commit.author.email)
    committer = _login_for(world, commit.committer.email)
    out: dict[str, Any] = {
        "sha": sha,
        "node_id": NODE_ID,
        "commit": {
            "author": git["author"],
            "committer": git["committer"],
            "message": git["message"],
            "tree": git["tree"],
            "url": git["url"],
            "comment_count": 0,
            "verification": git["verification"],
        },
        "url": f"{api(world, repo)}/commits/{sha}",
        "html_url": git["html_url"],
        "comments_url": f"{api(world, repo)}/commits/{sha}/comments",
        "author": user_json(world, author) if author else None,
        "committer": user_json(world, committer) if committer else None,
        "parents": [
            {
                "sha": p,
                "url": f"{api(world, repo)}/commits/{p}",
                "html_url": f"{HTML}/{repo.full_name}/commit/{p}",
            }
            for p in commit.parents
        ],
    }
    if files is not None:
        adds = sum(f["additions"] for f in files)
        dels = sum(f["deletions"] for f in files)
        out["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
        out["files"] = files
    return out


def content_json(
    world: World, repo: Repo, ref: str, path: str, entry: TreeEntry, full: bool
) -> dict[str, Any]:
    """A contents-API item; ``full`` adds inline content for files (base64 up to 1 MB, else none)."""
    name = path.rsplit("/", 1)[-1]
    kind = {MODE_TREE: "dir", MODE_SYMLINK: "symlink", MODE_SUBMODULE: "submodule"}.get(entry.mode, "file")
    if kind == "submodule" and not full:
        kind = "file"
    size = len(world.store.blob(entry.sha).data) if entry.type == "blob" else 0
    self_url = f"{api(world, repo)}/contents/{quote(path)}?ref={quote(ref, safe='')}"
    git_url = None if entry.type == "commit" else f"{api(world, repo)}/git/{entry.type}s/{entry.sha}"
    html_url = f"{HTML}/{repo.full_name}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{path}"
    raw = f"{world.api_url}/_raw/{repo.full_name}/{ref}/{quote(path)}"
    out: dict[str, Any] = {
        "name": name,
        "path": path,
        "sha": entry.sha,
        "size": size,
        "url": self_url,
        "html_url": html_url,
        "git_url": git_url,
        "download_url": raw if kind in ("file", "symlink") and entry.type == "blob" else None,
        "type": kind,
        "_links": {"self": self_url, "git": git_url, "html": html_url},
    }
    if not full:
        return out
    data = world.store.blob(entry.sha).data if entry.type == "blob" else b""
    if kind == "symlink":
        out["target"] = data.decode("utf-8", errors="replace")
    elif kind == "submodule":
        out["submodule_git_url"] = f"https://github.com/{repo.owner}/{name}.git"
    elif kind == "file":
        inline = size <= MAX_INLINE
        out["content"] = b64(data) if inline else ""
        out["encoding"] = "base64" if inline else "none"
    return out
