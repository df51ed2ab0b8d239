"""Read a pull request's submission through the API, as data: file list, contents at the head
commit, and (for edited data files) the data files at the merge base. Nothing is checked out."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Config
from bot.datadir import load_data_files
from bot.findings import Finding
from bot.github_api import GitHubAPI, PullFile
from bot.loader import Document, load_bytes
from bot.pr_files import MSG_MOVED, MSG_NOT_A_FILE, Classified, blocked, classify
from bot.validate import hygiene_limit


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
        return bool(self.files.submissions or self.files.data_files)

    @property
    def blocked(self) -> list[Finding]:
        """Problems that forbid merging whatever the entries say."""
        return self.files.blocked + [f for f in self.findings if f.rule == "LB402"]


def gather(
    api: GitHubAPI, number: int, head_sha: str, base_ref: str, config: Config, data_dir: str
) -> Gathered:
    """List the changed files, read the submitted ones at ``head_sha`` and parse them."""
    result = Gathered(classify(api.pull_files(number), data_dir))
    for item in result.files.submissions + result.files.data_files:
        document = _read(api, item, head_sha, config, result.findings)
        if document is None:
            continue
        if item in result.files.data_files:
            result.head[item.filename] = document
        else:
            result.documents.append(document)
    if result.head:
        merge_base = api.merge_base(base_ref, head_sha)
        base, findings = load_data_files(lambda path: api.read(path, merge_base).data, data_dir, config)
        result.edit_base, result.findings = base, result.findings + findings
    return result


def _read(
    api: GitHubAPI, item: PullFile, sha: str, config: Config, findings: list[Finding]
) -> Document | None:
    content = api.read(item.filename, sha)
    if content.kind != "file":
        findings.append(
            blocked(item.filename, MSG_NOT_A_FILE.format(path=item.filename, kind=content.kind), "LB402")
        )
        return None
    if item.sha and content.sha != item.sha:
        # The contents API follows a symlink to its target; a different blob means a link.
        findings.append(blocked(item.filename, MSG_MOVED.format(path=item.filename), "LB402"))
        return None
    limit = hygiene_limit(item.filename, config)
    result = load_bytes(item.filename, content.data, max_bytes=limit, max_depth=config.max_depth)
    findings.extend(result.findings)
    return result.document if not any(f.rule in ("LB006", "LB008") for f in result.findings) else None
