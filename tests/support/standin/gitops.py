"""History and content algorithms over the object store: ancestry, merge base, diffs, three-way merge."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from .git import MODE_SUBMODULE, ObjectStore

PATCH_LIMIT = 512 * 1024
NO_NEWLINE = "\\ No newline at end of file"


def ancestors(store: ObjectStore, sha: str) -> set[str]:
    """The commit itself and every commit reachable through its parents."""
    seen: set[str] = set()
    stack = [sha]
    while stack:
        cur = stack.pop()
        if cur in seen or store.get(cur) is None:
            continue
        seen.add(cur)
        stack.extend(store.commit(cur).parents)
    return seen


def is_ancestor(store: ObjectStore, ancestor: str, descendant: str) -> bool:
    """True when ``ancestor`` is reachable from ``descendant`` (a commit is its own ancestor)."""
    return ancestor in ancestors(store, descendant)


def merge_base(store: ObjectStore, a: str, b: str) -> str | None:
    """The best common ancestor of two commits (newest committer time among the lowest ones)."""
    common = ancestors(store, a) & ancestors(store, b)
    if not common:
        return None
    # common is closed under ancestry, so a proper ancestor of a common commit is a parent of one
    redundant = {p for sha in common for p in store.commit(sha).parents}
    best = [c for c in common if c not in redundant] or list(common)
    return max(best, key=lambda c: (store.commit(c).committer.timestamp, c))


def commits_between(store: ObjectStore, base: str | None, head: str) -> list[str]:
    """Commits reachable from head but not from base, oldest first (parents before children)."""
    exclude = ancestors(store, base) if base else set()
    order: list[str] = []
    seen: set[str] = set()

    def visit(sha: str) -> None:
        stack: list[tuple[str, bool]] = [(sha, False)]
        while stack:
            cur, done = stack.pop()
            if done:
                order.append(cur)
                continue
            if cur in seen or cur in exclude or store.get(cur) is None:
                continue
            seen.add(cur)
            stack.append((cur, True))
            stack.extend((p, False) for p in reversed(store.commit(cur).parents))

    visit(head)
    return order


@dataclass
class FileChange:
    """One changed path between two trees, shaped after GitHub's pull request file item."""

    filename: str
    status: str
    sha: str | None
    old_sha: str | None
    mode: str | None
    additions: int = 0
    deletions: int = 0
    patch: str | None = None
    previous_filename: str | None = None


def _lines(data: bytes) -> list[str] | None:
    """A text blob's lines as git splits them: at "\n" only, each keeping its ending (None for binary)."""
    if b"\0" in data[:8000]:
        return None
    lines = data.decode("utf-8", errors="replace").split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _git_hunks(a: list[str], b: list[str]) -> list[str]:
    """Unified-diff hunks as git prints them: a line without its newline (the last one of a file that
    ends without one) is followed by "\\ No newline at end of file"."""
    out: list[str] = []
    for line in list(difflib.unified_diff(a, b, lineterm="", n=3))[2:]:
        if line.startswith("@@") or line.endswith("\n"):
            out.append(line.removesuffix("\n"))
        else:
            out += [line, NO_NEWLINE]
    return out


def line_diff(store: ObjectStore, old_sha: str | None, new_sha: str | None) -> tuple[int, int, str | None]:
    """Additions, deletions and a unified patch (``@@`` hunks only; None for binary or huge files)."""
    old = store.blob(old_sha).data if old_sha and store.kind(old_sha) == "blob" else b""
    new = store.blob(new_sha).data if new_sha and store.kind(new_sha) == "blob" else b""
    a, b = _lines(old), _lines(new)
    if a is None or b is None:
        return 0, 0, None
    if len(old) + len(new) > PATCH_LIMIT:
        ca, cb = Counter(a), Counter(b)
        return sum((cb - ca).values()), sum((ca - cb).values()), None
    hunks = _git_hunks(a, b)
    adds = sum(1 for h in hunks if h.startswith("+"))
    dels = sum(1 for h in hunks if h.startswith("-"))
    return adds, dels, "\n".join(hunks) if hunks else None


def diff_trees(store: ObjectStore, old_tree: str | None, new_tree: str) -> list[FileChange]:
    """Path-level diff with exact-rename detection, sorted by filename."""
    old = store.flatten(old_tree) if old_tree else {}
    new = store.flatten(new_tree)
    added = {p: v for p, v in new.items() if p not in old}
    removed = {p: v for p, v in old.items() if p not in new}
    changes: list[FileChange] = []
    by_sha: dict[str, list[str]] = {}
    for path, (_, sha) in sorted(removed.items()):
        by_sha.setdefault(sha, []).append(path)
    for path, (mode, sha) in sorted(added.items()):
        if by_sha.get(sha):
            prev = by_sha[sha].pop(0)
            del removed[prev]
            changes.append(FileChange(path, "renamed", sha, sha, mode, previous_filename=prev))
        else:
            changes.append(FileChange(path, "added", sha, None, mode))
    changes += [FileChange(p, "removed", None, sha, mode) for p, (mode, sha) in removed.items()]
    for path, (mode, sha) in new.items():
        if path in old and old[path] != (mode, sha):
            changes.append(
                FileChange(path, "modified" if old[path][1] != sha else "changed", sha, old[path][1], mode)
            )
    for ch in changes:
        if ch.mode != MODE_SUBMODULE and ch.status != "renamed":
            ch.additions, ch.deletions, ch.patch = line_diff(store, ch.old_sha, ch.sha)
    return sorted(changes, key=lambda c: c.filename)


def three_way(store: ObjectStore, base_tree: str | None, ours: str, theirs: str) -> str | None:
    """Merge two trees path by path; return the merged tree SHA, or None on a conflict."""
    base = store.flatten(base_tree) if base_tree else {}
    a, b = store.flatten(ours), store.flatten(theirs)
    merged: dict[str, tuple[str, str]] = {}
    for path in set(base) | set(a) | set(b):
        o, x, y = base.get(path), a.get(path), b.get(path)
        if x == y:
            result = x
        elif x == o:
            result = y
        elif y == o:
            result = x
        else:
            return None
        if result is not None:
            merged[path] = result
    return store.build_tree(merged)
