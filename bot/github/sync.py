"""The benchmark's own publishing path, gated: read the Hugging Face dataset, check its entries and
keep ONE pull request (branch ``leaderboard/sync``) that adds or changes them in the data files.

Runs on ``schedule`` and ``workflow_dispatch`` (``leaderboard-sync.yml``) and from ``leaderboard-bot
sync``. The pull request's body records the dataset's commit, so a run on the same commit does nothing
and a new commit updates the same pull request; the default branch changes only when a maintainer
approves it, through the merge flow like any other submission. Nothing is written when the Hub cannot
be read (one line says why) or when its files are unusable (every problem is listed).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.contract.config import SyncSettings
from bot.contract.findings import Finding
from bot.github.api import GitHubAPI
from bot.github.context import Context
from bot.github.records import Conflict, PullInfo
from bot.github.routing import Event, Router
from bot.github.steps import record_outputs, set_labels
from bot.github.sticky import upsert
from bot.github.sync_base import changed_under
from bot.importer.sync import AGGREGATE_FILES, CANONICAL_FOLDER, MSG_NOTHING, HubFiles, SyncPlan, plan_sync
from bot.ledger.data_files import load_data_files
from bot.ledger.stale import first_named
from bot.render.comment import CommentContext, render_pair, reproduce_command
from bot.render.markdown import code, code_block
from bot.render.report import finding_blocks

if TYPE_CHECKING:
    from bot.importer.hub_api import HubReader

BRANCH = "leaderboard/sync"
TITLE = "Sync leaderboard results from {dataset}"
MARKER = "<!-- leaderboard-bot:sync dataset={dataset} sha={sha} source={source}{base} -->"
# ` base=SHA`: the default branch's commit the sync commit was built on, recorded only when it changes
# published entries (only then can the default branch overtake it, LB310; and a sync that only adds
# costs no extra request when nothing changed).
MARKER_RE = re.compile(
    r"<!-- leaderboard-bot:sync dataset=(\S+) sha=([0-9a-f]{40}) source=(\w+)(?: base=([0-9a-f]{40}))? -->"
)
BODY = (
    "Entries from the Hugging Face dataset {dataset} at commit `{sha}` (revision {revision}, "
    "{source} files), checked by leaderboard-bot: see its comment. A maintainer's approval merges them; "
    "a new commit of the dataset updates this pull request.\n\n{marker}\n"
)
COMMIT = "Sync leaderboard results from {dataset} at {short}\n\n{lines}\n"
NOTE_SOURCE = "\n\n<sub>Read from the Hugging Face dataset {dataset} at `{sha}` ({source} files).</sub>"
MSG_NOT_CONFIGURED = (
    "no dataset to sync from (hint: add sync.dataset to .github/leaderboard-bot.yml, "
    "for example intellistream/sagellm-benchmark-results)"
)
MSG_SAME = "{dataset} is still at {short}: #{pr} carries it already, nothing to do."
MSG_OVERTAKEN = (
    "{dataset} is still at {short}, but {branch} changed {entries} since #{pr} was built on it, so that "
    "change would be refused (LB310): rebuilding #{pr} on {branch}."
)
MSG_DECIDED = (
    "{dataset} is still at {short}: #{pr} proposed it and is closed; nothing to do until the dataset changes."
)
MSG_UNUSABLE = (
    "{dataset} at {short}: {errors} errors in the dataset's files; nothing was changed (fix them there)."
)
MSG_BASE = "the data files of {branch} have errors; nothing was changed (fix them first)."
MSG_NO_CANONICAL = "{dataset} at {short} has no {folder}/*.json files"
MSG_OPENED = "Opened #{pr}: {changes} entries from {dataset} at {short}."
MSG_UPDATED = "Updated #{pr}: {changes} entries from {dataset} at {short}."
BRANCH_TRIES = 3
router = Router()


@dataclass(frozen=True)
class SyncRequest:
    """What to sync: the configured dataset, at a revision (the config's unless a dispatch names one)."""

    settings: SyncSettings
    default_branch: str


@dataclass(frozen=True)
class Proposal:
    """What a sync run proposes: the dataset's commit, the checked plan, the base it applies to
    (commit and tree) and the open sync pull request, if there is one."""

    sha: str
    plan: SyncPlan
    base: tuple[str, str]
    existing: tuple[PullInfo, str] | None


@router.register("schedule")
@router.register("workflow_dispatch")
def _on_timer(event: Event, ctx: Context) -> None:
    settings = ctx.config.sync
    if settings is None:
        _fail(ctx, MSG_NOT_CONFIGURED)
        return
    inputs = event.payload.get("inputs")
    revision = inputs.get("revision") if isinstance(inputs, dict) else None
    if isinstance(revision, str) and revision.strip():  # a dispatch may name a revision (write access)
        settings = SyncSettings(settings.dataset, revision.strip(), settings.source)
    branch = (event.payload.get("repository") or {}).get("default_branch") or ctx.api.default_branch()
    sync(ctx, SyncRequest(settings, str(branch)))


def sync(ctx: Context, request: SyncRequest) -> str:
    """Read the dataset and open, update or leave the sync pull request; returns what happened."""
    from bot.importer.hub_api import (  # huggingface_hub loads only when a sync runs
        Dataset,
        HubError,
        HubReader,
    )

    settings = request.settings
    try:
        reader = HubReader(Dataset.from_env(settings.dataset, settings.revision, ctx.env))
        sha = reader.commit()
        short = sha[:12]
        latest = ctx.api.latest_pull_and_body(BRANCH)
        if _proposed_already(ctx, latest, request, sha):
            return "same"
        files = read_files(reader, sha, settings.source)
    except HubError as exc:
        _fail(ctx, str(exc))
        return "unreachable"
    existing = latest if latest is not None and latest[0].state == "open" else None
    base_sha, base_tree = ctx.api.branch_head(request.default_branch)
    base, base_findings = load_data_files(
        lambda path: ctx.api.read(path, base_sha).data, ctx.data_dir, ctx.config
    )
    plan = plan_sync(HubFiles(settings.dataset, sha, settings.source, files), base, ctx.config, _now(ctx))
    if base_findings:  # the default branch's own data files cannot be read: nothing to compare with
        _report_unusable(ctx, base_findings, MSG_BASE.format(branch=request.default_branch))
        return "unusable"
    if plan.unreadable:
        errors = sum(f.severity == "error" for f in plan.findings)
        headline = MSG_UNUSABLE.format(dataset=settings.dataset, short=short, errors=errors)
        _report_unusable(ctx, plan.findings, headline)
        return "unusable"
    if not plan.changes:
        ctx.job_summary.append(
            MSG_NOTHING.format(dataset=settings.dataset, short=short, entries=plan.entries)
        )
        return "nothing"
    return _publish(ctx, request, Proposal(sha, plan, (base_sha, base_tree), existing))


def _proposed_already(
    ctx: Context, latest: tuple[PullInfo, str] | None, request: SyncRequest, sha: str
) -> bool:
    """Whether the newest sync pull request carries this commit: open, it is up to date unless the
    default branch has since changed an entry it changes; merged or closed, a maintainer has decided
    on it. Either way there is nothing to do (and to download)."""
    settings, marker = request.settings, _marker(latest[1]) if latest is not None else None
    if latest is None or marker is None or marker[:3] != (settings.dataset, sha, settings.source):
        return False
    is_open = latest[0].state == "open"
    stale = changed_under(ctx, latest[0], marker[3], request.default_branch) if is_open and marker[3] else []
    if stale:  # rebuild it on the default branch as it is now
        # Entry ids are the data files' text: literal in the job summary (which renders Markdown).
        named = first_named([code(entry_id) for entry_id in stale])
        names = {"branch": request.default_branch, "pr": latest[0].number, "entries": named}
        ctx.job_summary.append(MSG_OVERTAKEN.format(dataset=settings.dataset, short=sha[:12], **names))
        return False
    done = MSG_SAME if is_open else MSG_DECIDED
    ctx.job_summary.append(done.format(dataset=settings.dataset, short=sha[:12], pr=latest[0].number))
    return True


def read_files(reader: HubReader, sha: str, source: str) -> dict[str, bytes]:
    """The dataset's files of one shape, all read at ``sha``."""
    from bot.importer.hub_api import HubError

    if source == "aggregate":
        paths = list(AGGREGATE_FILES)
    else:
        paths = [p for p in reader.listing(sha, CANONICAL_FOLDER) if p.endswith(".json")]
        if not paths:
            name, folder = reader.dataset.repo_id, CANONICAL_FOLDER
            raise HubError(MSG_NO_CANONICAL.format(dataset=name, short=sha[:12], folder=folder))
    return reader.read(sha, paths).files


def _publish(ctx: Context, request: SyncRequest, proposal: Proposal) -> str:
    """Commit the new data files on the sync branch, open or update its pull request, comment."""
    plan, outcome = proposal.plan, proposal.plan.outcome
    assert outcome is not None
    settings, api, short = request.settings, ctx.api, proposal.sha[:12]
    lines = "\n".join(f"- {c.summary} ({c.target})" for c in outcome.merge.changes)
    message = COMMIT.format(dataset=settings.dataset, short=short, lines=lines)
    commit = api.create_commit(message, proposal.base[1], plan.texts, [proposal.base[0]])
    _point_branch(ctx, commit, create=proposal.existing is None)
    command = reproduce_command("sync", options=("--revision", proposal.sha))
    report, full = render_pair(outcome, CommentContext(command, ctx.run_url))
    report += NOTE_SOURCE.format(dataset=code(settings.dataset), sha=proposal.sha, source=settings.source)
    title, body = (
        TITLE.format(dataset=settings.dataset),
        _pull_body(settings, proposal.sha, _built_on(proposal)),
    )
    number, labels, opened = _open_or_edit(api, proposal.existing, title, body, request.default_branch)
    upsert(api, number, report, ctx.bot_login, fresh=opened)
    set_labels(ctx, number, labels, valid=not outcome.errors)
    done = MSG_OPENED if opened else MSG_UPDATED
    ctx.job_summary += [
        done.format(pr=number, changes=plan.changes, dataset=settings.dataset, short=short),
        full,
    ]
    record_outputs(ctx, outcome, number)
    return "opened" if opened else "updated"


def _pull_body(settings: SyncSettings, sha: str, base: str) -> str:
    """The sync pull request's body, with the marker that records what it carries."""
    return BODY.format(
        dataset=code(settings.dataset),
        sha=sha,
        revision=code(settings.revision),  # a dispatch's input: literal text
        source=settings.source,
        marker=MARKER.format(dataset=settings.dataset, sha=sha, source=settings.source, base=base),
    )


def _built_on(proposal: Proposal) -> str:
    """The marker's ` base=SHA` when the proposal changes published entries, else ""."""
    outcome = proposal.plan.outcome
    changes = outcome.merge.changes if outcome is not None else []
    return f" base={proposal.base[0]}" if any(c.kind == "changed" for c in changes) else ""


def _open_or_edit(
    api: GitHubAPI, existing: tuple[PullInfo, str] | None, title: str, body: str, base: str
) -> tuple[int, tuple[str, ...], bool]:
    """(number, labels, whether it was opened now) of the sync pull request, its body up to date."""
    if existing is None:
        try:
            return api.create_pull(title, body, BRANCH, base), (), True
        except Conflict:  # another run opened it meanwhile
            existing = api.latest_pull_and_body(BRANCH)
            if existing is None or existing[0].state != "open":
                raise
    pull = existing[0]
    api.edit_pull(pull.number, title, body)
    return pull.number, pull.labels, False


def _point_branch(ctx: Context, commit: str, *, create: bool) -> None:
    """Create the sync branch or force it to the new commit (the branch is the bot's own)."""
    for attempt in range(BRANCH_TRIES):
        try:
            if create:
                ctx.api.create_branch(BRANCH, commit)
            else:
                ctx.api.move_branch(BRANCH, commit, force=True)
            return
        except Conflict:
            if attempt == BRANCH_TRIES - 1:
                raise
            create = not create  # a branch left by an earlier run, or deleted since


def _marker(body: str) -> tuple[str, str, str, str] | None:
    """(dataset, commit, source, base commit or "") that a sync pull request's body records."""
    match = MARKER_RE.search(body)
    return (match[1], match[2], match[3], match[4] or "") if match else None


def _now(ctx: Context) -> dt.datetime:
    return ctx.now or dt.datetime.now(dt.timezone.utc)


def _report_unusable(ctx: Context, findings: list[Finding], headline: str) -> None:
    report = "\n\n".join(finding_blocks(findings, verbose=True))
    print(f"leaderboard-bot: error: {headline}\n\n{report}", file=sys.stderr)
    # The findings quote the dataset's text: in a code block, the job summary renders none of it.
    ctx.job_summary.append(f"{headline}\n\n{code_block(report)}")
    ctx.failed = True


def _fail(ctx: Context, line: str) -> None:
    print(f"leaderboard-bot: error: {line}", file=sys.stderr)
    ctx.job_summary.append(line)
    ctx.failed = True
