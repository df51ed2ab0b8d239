"""Read a pull request's submission through the API, as data: file list, contents at the head
commit, and (for edited data files) the data files at the merge base, rebuilt from the listed patches
when they allow it. Nothing is checked out."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.contract.loader import load_bytes
from bot.contract.validate import hygiene_limit
from bot.github.api import GitHubAPI
from bot.github.pr_files import MSG_MOVED, MSG_NOT_A_FILE, Classified, blocked, classify
from bot.github.pr_runs import import_runs, run_directories
from bot.github.records import PullFile
from bot.github.unpatch import Patched, old_file
from bot.ledger.data_files import data_file_paths, load_data_files

MSG_TOO_MANY = (
    "this pull request changes {changed} files, but GitHub lists only the first {listed}: the bot cannot "
    "see the rest, so it cannot be checked or merged. Split it into pull requests of fewer files"
)


@dataclass(frozen=True)
class PullSource:
    """Which pull request to read, at which head, onto which base, and whose submission it is."""

    number: int
    head_sha: str
    base_ref: str
    author: str  # the submitter (the author for a pull request the bot opened)


@dataclass
class Gathered:
    """A pull request's submission, ready for the pipeline."""

    files: Classified
    documents: list[Document] = field(default_factory=list)
    head: dict[str, Document] = field(default_factory=dict)
    edit_base: dict[str, Document] | None = None
    findings: list[Finding] = field(default_factory=list)
    # GitHub listed the files at a newer head than ``head_sha`` (a push since): nothing was read.
    moved: bool = False

    @property
    def is_results_pr(self) -> bool:
        """Whether the pull request submits anything (otherwise the bot leaves it alone)."""
        return bool(self.files.submissions or self.files.data_files or self.files.touches_data)

    @property
    def blocked(self) -> list[Finding]:
        """Problems that forbid merging whatever the entries say."""
        return self.files.blocked + [f for f in self.findings if f.rule == "LB402"]


def gather(api: GitHubAPI, source: PullSource, config: Config, data_dir: str) -> Gathered:
    """List the changed files, read the submitted ones at the head and parse (or import) them."""
    number, head_sha, base_ref, author = source.number, source.head_sha, source.base_ref, source.author
    files, changed = api.pull_files(number)
    result = Gathered(classify(files, data_dir))
    if any(item.commit is not None and item.commit != head_sha for item in files):
        # The listing is of a later push, whose files need not exist at ``head_sha``: what was
        # approved (or is being checked) is no longer the head; the new head gets its own check.
        result.moved = True
        return result
    if changed > len(files):  # GitHub lists no more than 3,000: the rest could hide anything
        message = MSG_TOO_MANY.format(changed=changed, listed=len(files))
        result.files.blocked.insert(0, blocked("(pull request)", message))
        result.files.touches_data = True  # the unlisted files may be data files
    runs = run_directories([item.filename for item in result.files.submissions])
    run_files: dict[str, bytes] = {}
    fetched: dict[str, bytes] = {}
    for item in result.files.submissions + result.files.data_files:
        data = _fetch(api, item, head_sha, result.findings)
        if data is None:
            continue
        fetched[item.filename] = data
        if posixpath.dirname(item.filename) in runs:
            run_files[item.filename] = data  # benchmark outputs, imported below
            continue
        document = _parse(item.filename, data, config, result.findings)
        if document is not None and item in result.files.data_files:
            result.head[item.filename] = document
        elif document is not None:
            result.documents.append(document)
    if run_files:
        documents, findings = import_runs(run_files, author, config)
        result.documents += documents
        result.findings += findings
    if result.head:
        listing = _Listing(files, changed, head_sha, fetched, result.files.data_files)
        base, findings = load_data_files(
            _merge_base_reader(api, listing, base_ref, data_dir), data_dir, config
        )
        result.edit_base, result.findings = base, result.findings + findings
    return result


@dataclass
class _Listing:
    """What the file listing and the head reads gave: enough to rebuild the merge base's data files."""

    files: list[PullFile]
    changed: int
    head_sha: str
    fetched: dict[str, bytes]  # the head's bytes of each file read
    data_files: list[PullFile]


def _merge_base_reader(
    api: GitHubAPI, listing: _Listing, base_ref: str, data_dir: str
) -> Callable[[str], bytes]:
    """Reads a data file as it is at the pull request's merge base."""
    read = _read_from_patches(api, listing, data_dir)
    if read is not None:
        return read
    merge_base = api.merge_base(base_ref, listing.head_sha)  # one request more: GitHub's compare
    return lambda path: api.read(path, merge_base).data


def _read_from_patches(api: GitHubAPI, listing: _Listing, data_dir: str) -> Callable[[str], bytes] | None:
    """How to read the data files at the merge base without asking GitHub which commit that is.

    An edited data file is rebuilt from its head and its patch (bot.github.unpatch); one the pull
    request does not change is the same at the merge base as at the head, so it is read at the head.
    That holds only for a complete listing made at ``head_sha`` (else an unlisted file may still
    differ): None when anything does not fit, and the caller reads at the merge base instead.
    """
    files = listing.files
    if listing.changed > len(files) or any(item.commit != listing.head_sha for item in files):
        return None
    by_name = {item.filename: item for item in files}
    moved = {item.previous_filename for item in files}
    rebuilt: dict[str, bytes] = {}
    for path in data_file_paths(data_dir):
        item, new = by_name.get(path), listing.fetched.get(path)
        if path in moved:
            return None
        if item is not None:
            old = old_file(_patched(item, new)) if item.status == "modified" and new is not None else None
            if old is None:
                return None
            rebuilt[path] = old
    if any(item.filename not in rebuilt for item in listing.data_files):
        return None
    return lambda path: rebuilt[path] if path in rebuilt else api.read(path, listing.head_sha).data


def _patched(item: PullFile, new: bytes) -> Patched:
    """The unpatch input for a listed file whose head bytes are ``new``."""
    return Patched(new, item.patch, item.additions, item.deletions)


def _fetch(api: GitHubAPI, item: PullFile, sha: str, findings: list[Finding]) -> bytes | None:
    """A file's bytes at ``sha``, or None (with a finding) when it is a link or a submodule."""
    content = api.read(item.filename, sha)
    if content.kind != "file":
        message = MSG_NOT_A_FILE.format(path=item.filename, kind=content.kind)
        findings.append(blocked(item.filename, message, "LB402"))
        return None
    if item.sha and content.sha != item.sha:
        # The contents API follows a symlink to its target; a different blob means a link.
        findings.append(blocked(item.filename, MSG_MOVED.format(path=item.filename), "LB402"))
        return None
    return content.data


def _parse(name: str, data: bytes, config: Config, findings: list[Finding]) -> Document | None:
    result = load_bytes(name, data, max_bytes=hygiene_limit(name, config), max_depth=config.max_depth)
    findings.extend(result.findings)
    return result.checkable
