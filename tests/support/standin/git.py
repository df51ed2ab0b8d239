"""Content-addressed git objects (blob, tree, commit) hashed exactly like git does."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

MODE_FILE = "100644"
MODE_EXEC = "100755"
MODE_SYMLINK = "120000"
MODE_TREE = "40000"
MODE_SUBMODULE = "160000"


@dataclass(frozen=True)
class Blob:
    """A file's bytes."""

    data: bytes


@dataclass(frozen=True)
class TreeEntry:
    """One entry of a tree: mode as git writes it (``40000`` for trees), name and object SHA."""

    mode: str
    name: str
    sha: str

    @property
    def type(self) -> str:
        """The git object type the entry points to."""
        if self.mode == MODE_TREE:
            return "tree"
        return "commit" if self.mode == MODE_SUBMODULE else "blob"


@dataclass(frozen=True)
class Tree:
    """A directory: entries kept in git's canonical order."""

    entries: tuple[TreeEntry, ...]


@dataclass(frozen=True)
class Person:
    """Author or committer identity with a UNIX timestamp (UTC)."""

    name: str
    email: str
    timestamp: int

    def git(self) -> str:
        """The identity line body git stores."""
        return f"{self.name} <{self.email}> {self.timestamp} +0000"

    def iso(self) -> str:
        """ISO 8601 date the way GitHub renders it."""
        return iso_time(self.timestamp)


@dataclass(frozen=True)
class Commit:
    """A commit object."""

    tree: str
    parents: tuple[str, ...]
    author: Person
    committer: Person
    message: str


GitObject = Blob | Tree | Commit


def iso_time(timestamp: float) -> str:
    """Format a UNIX time as GitHub's ``2017-10-10T16:00:00Z``."""
    return datetime.fromtimestamp(int(timestamp), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> int:
    """Parse an ISO 8601 date (``Z`` or offset) into a UNIX time."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _tree_key(entry: TreeEntry) -> bytes:
    name = entry.name.encode()
    return name + b"/" if entry.mode == MODE_TREE else name


def serialize(obj: GitObject) -> tuple[str, bytes]:
    """Return the git type and the raw body of an object."""
    if isinstance(obj, Blob):
        return "blob", obj.data
    if isinstance(obj, Tree):
        body = b"".join(
            f"{e.mode} {e.name}".encode() + b"\0" + bytes.fromhex(e.sha)
            for e in sorted(obj.entries, key=_tree_key)
        )
        return "tree", body
    lines = [f"tree {obj.tree}"] + [f"parent {p}" for p in obj.parents]
    lines += [f"author {obj.author.git()}", f"committer {obj.committer.git()}", "", obj.message]
    return "commit", "\n".join(lines).encode()


def object_sha(obj: GitObject) -> str:
    """The SHA-1 git would give the object."""
    kind, body = serialize(obj)
    return hashlib.sha1(f"{kind} {len(body)}".encode() + b"\0" + body).hexdigest()


FlatTree = dict[str, tuple[str, str]]


class ObjectStore:
    """All objects of a fork network, keyed by SHA (not thread-safe: callers hold the world lock)."""

    def __init__(self) -> None:
        self.objects: dict[str, GitObject] = {}
        self.put(Tree(()))

    def put(self, obj: GitObject) -> str:
        """Store an object and return its SHA."""
        if isinstance(obj, Tree):
            obj = Tree(tuple(sorted(obj.entries, key=_tree_key)))
        sha = object_sha(obj)
        self.objects.setdefault(sha, obj)
        return sha

    def put_blob(self, data: bytes) -> str:
        """Store file bytes and return the blob SHA."""
        return self.put(Blob(data))

    def get(self, sha: str) -> GitObject | None:
        """Return the object with that SHA, if any."""
        return self.objects.get(sha)

    def blob(self, sha: str) -> Blob:
        """Return a blob or raise KeyError."""
        obj = self.objects.get(sha)
        if not isinstance(obj, Blob):
            raise KeyError(sha)
        return obj

    def tree(self, sha: str) -> Tree:
        """Return a tree or raise KeyError."""
        obj = self.objects.get(sha)
        if not isinstance(obj, Tree):
            raise KeyError(sha)
        return obj

    def commit(self, sha: str) -> Commit:
        """Return a commit or raise KeyError."""
        obj = self.objects.get(sha)
        if not isinstance(obj, Commit):
            raise KeyError(sha)
        return obj

    def kind(self, sha: str) -> str | None:
        """Return ``blob``, ``tree`` or ``commit`` for a stored SHA."""
        obj = self.objects.get(sha)
        return None if obj is None else serialize(obj)[0]

    def flatten(self, tree_sha: str, prefix: str = "") -> FlatTree:
        """Map every non-tree path below a tree to its (mode, sha)."""
        out: FlatTree = {}
        for entry in self.tree(tree_sha).entries:
            path = prefix + entry.name
            if entry.mode == MODE_TREE:
                out.update(self.flatten(entry.sha, path + "/"))
            else:
                out[path] = (entry.mode, entry.sha)
        return out

    def build_tree(self, flat: FlatTree) -> str:
        """Build (and store) nested trees from a flat path map; return the root SHA."""
        files: list[TreeEntry] = []
        dirs: dict[str, FlatTree] = {}
        for path, (mode, sha) in flat.items():
            head, sep, rest = path.partition("/")
            if sep:
                dirs.setdefault(head, {})[rest] = (mode, sha)
            else:
                files.append(TreeEntry(mode, head, sha))
        entries = files + [TreeEntry(MODE_TREE, name, self.build_tree(sub)) for name, sub in dirs.items()]
        return self.put(Tree(tuple(entries)))

    def lookup(self, tree_sha: str, path: str) -> TreeEntry | None:
        """Find the entry at ``path`` (``""`` is the root tree itself)."""
        entry = TreeEntry(MODE_TREE, "", tree_sha)
        for part in [p for p in path.strip("/").split("/") if p]:
            if entry.mode != MODE_TREE:
                return None
            found = [e for e in self.tree(entry.sha).entries if e.name == part]
            if not found:
                return None
            entry = found[0]
        return entry

    def walk(self, tree_sha: str, prefix: str = "") -> list[tuple[str, TreeEntry]]:
        """Every entry below a tree, trees included, depth first, with its full path."""
        out: list[tuple[str, TreeEntry]] = []
        for entry in self.tree(tree_sha).entries:
            out.append((prefix + entry.name, entry))
            if entry.mode == MODE_TREE:
                out.extend(self.walk(entry.sha, prefix + entry.name + "/"))
        return out

    def edit_tree(self, base_tree: str | None, changes: list[tuple[str, str, str | None]]) -> str:
        """Apply (path, mode, sha-or-None) changes to a base tree; a tree mode grafts a subtree."""
        flat = self.flatten(base_tree) if base_tree else {}
        for path, mode, sha in changes:
            path = path.strip("/")
            under = path + "/"
            for key in [k for k in flat if k == path or k.startswith(under)]:
                del flat[key]
            if sha is None:
                continue
            parts = path.split("/")
            for i in range(1, len(parts)):
                flat.pop("/".join(parts[:i]), None)
            if mode == MODE_TREE or mode == "040000":
                flat.update(self.flatten(sha, under))
            else:
                flat[path] = (mode, sha)
        return self.build_tree(flat)
