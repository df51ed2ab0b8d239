"""Read a pull request's submission through the API, as data: file list, contents at the head
commit, and (for edited data files) the data files at the merge base. Nothing is checked out."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.contract.loader import load_bytes
from bot.contract.validate import hygiene_limit
from bot.fs import load_data_files
from bot.github.api import GitHubAPI, PullFile
from bot.github.pr_files import MSG_MOVED, MSG_NOT_A_FILE, Classified, blocked, classify
from bot.github.pr_runs import import_runs, run_directories

MSG_TOO_MANY = (
    "this pull request changes {changed} files, but GitHub lists only the first {listed}: the bot cannot "
    "see the rest, so it cannot be checked or merged. Split it into pull requests of fewer files"
)


@dataclass
class Gathered:
    """A pull request's submission, ready for the pipeline."""

    files: Classified
    documents: list[Document] = field(default_factory=list)
    head: dict[str, Document] = field(default_factory=dict)
    edit_base: dict[str, Document] | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_results_pr(self) -> bool:
        """Whether the pull request submits anything (otherwise the bot leaves it alone)."""
        return bool(self.files.submissions or self.files.data_files or self.files.touches_data)

    @property
    def blocked(self) -> list[Finding]:
        """Problems that forbid merging whatever the entries say."""
        return self.files.blocked + [f for f in self.findings if f.rule == "LB402"]


def gather(
    api: GitHubAPI, number: int, head_sha: str, base_ref: str, config: Config, data_dir: str, author: str
) -> Gathered:
    """List the changed files, read the submitted ones at ``head_sha`` and parse (or import) them."""
    files, changed = api.pull_files(number)
    result = Gathered(classify(files, data_dir))
    if changed > len(files):  # GitHub lists no more than 3,000: the rest could hide anything
        message = MSG_TOO_MANY.format(changed=changed, listed=len(files))
        result.files.blocked.insert(0, blocked("(pull request)", message))
        result.files.touches_data = True  # the unlisted files may be data files
    runs = run_directories([item.filename for item in result.files.submissions])
    run_files: dict[str, bytes] = {}
    for item in result.files.submissions + result.files.data_files:
        data = _fetch(api, item, head_sha, result.findings)
        if data is None:
            continue
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
        merge_base = api.merge_base(base_ref, head_sha)
        base, findings = load_data_files(lambda path: api.read(path, merge_base).data, data_dir, config)
        result.edit_base, result.findings = base, result.findings + findings
    return result


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
