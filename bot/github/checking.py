"""Checking a results pull request and reporting it: one sticky comment, a check run with line
annotations, suggested changes, labels, the job summary and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.contract.findings import Finding
from bot.contract.ruletable import rule_title
from bot.github.context import Context
from bot.github.pr_gather import Gathered, PullSource, gather
from bot.github.records import Annotation, pull_url
from bot.github.steps import record_outputs, set_labels
from bot.github.sticky import upsert
from bot.ledger.data_files import load_data_files
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from bot.render.comment import CommentContext, render_pair, reproduce_command, verdict
from bot.render.suggest import review_comment

CHECK_NAME = "leaderboard"
MSG_NOT_RESULTS = "This pull request changes no leaderboard files: nothing to check."
MSG_HEAD_MOVED = (
    "The pull request's head moved past {head} (a later push): nothing checked; the check of the new "
    "head, started by that push, reports."
)
MAX_SUGGESTIONS = 50  # suggested changes per review: a reviewer reads the rest in the comment
MSG_NO_SUGGESTIONS = (
    "GitHub refused the review with {count} suggested change(s) ({reason}): they were dropped; "
    "the report comment and the check run's annotations list every problem."
)
LEVELS = {"error": "failure", "warning": "warning"}


@dataclass(frozen=True)
class PullCheck:
    """One pull request to check: where its head is, who wrote it, its labels; whether to suggest
    fixes (not for an edited title: no new commit) and whether it is new (no comment of the bot yet)."""

    number: int
    head_sha: str
    author: str
    base_ref: str
    labels: list[str]
    suggest: bool
    fresh: bool = False
    opened_at: str | None = None  # when the pull request was opened: its entries' submitted_at


def check_pull(ctx: Context, pull: PullCheck) -> Outcome | None:
    """Check one pull request's submission against the base checkout and publish the result."""
    number, head_sha, author = pull.number, pull.head_sha, pull.author
    gathered = gather(ctx.api, PullSource(number, head_sha, pull.base_ref, author), ctx.config, ctx.data_dir)
    if gathered.moved:  # the event's head is gone: the new head's own event checks it (nothing posted)
        ctx.job_summary.append(MSG_HEAD_MOVED.format(head=head_sha))
        return None
    if not gathered.is_results_pr:
        ctx.job_summary.append(MSG_NOT_RESULTS)
        return None
    base, base_findings = load_data_files(ctx.read_base, ctx.data_dir, ctx.config)
    outcome = evaluate(
        base,
        Submission(
            gathered.documents,
            head=gathered.head or None,
            edit_base=gathered.edit_base,
            submitter=Submitter(author),
            load_findings=[*gathered.files.blocked, *gathered.findings, *base_findings],
            origin=pull_url(ctx.api.repository, number),
            submitted_at=pull.opened_at,
        ),
        ctx.config,
        now=ctx.now,
    )
    publish(ctx, pull, outcome, gathered)
    return outcome


def publish(ctx: Context, pull: PullCheck, outcome: Outcome, gathered: Gathered) -> None:
    """Comment, check run, suggestions, labels, job summary and outputs for one outcome."""
    number, head_sha = pull.number, pull.head_sha
    preview = _write_preview(ctx, outcome)
    summary_context = CommentContext(submit_command(gathered), ctx.run_url, preview)
    body, full = render_pair(outcome, summary_context)
    upsert(ctx.api, number, body, ctx.bot_login, fresh=pull.fresh)
    pr_files = {d.file: d.text for d in [*gathered.documents, *gathered.head.values()]}
    for item in gathered.files.submissions + gathered.files.data_files:
        pr_files.setdefault(item.filename, "")  # unreadable files still get annotations
    output = {"title": verdict(outcome).replace("**", "")[:255], "summary": body}
    conclusion = "failure" if outcome.errors else "success"
    ctx.api.check_run(head_sha, CHECK_NAME, conclusion, output, line_annotations(outcome.findings, pr_files))
    if pull.suggest:
        _suggest(ctx, number, head_sha, outcome.findings, pr_files)
    set_labels(ctx, number, pull.labels, valid=not outcome.errors)
    ctx.job_summary.append(full)
    record_outputs(ctx, outcome, number)


def _write_preview(ctx: Context, outcome: Outcome) -> str | None:
    """Write the merged data files for the page preview; the run's link when there is one."""
    if ctx.write_preview is None or outcome.errors or not outcome.merge.texts:
        return None
    folder = ctx.write_preview(
        {
            path.rsplit("/", 1)[-1]: outcome.merge.texts.get(path, doc.text)
            for path, doc in outcome.base.items()
        }
    )
    ctx.output("preview", folder)
    return ctx.run_url


def submit_command(gathered: Gathered) -> str:
    """The local command that repeats this check on a checkout of the pull request."""
    return reproduce_command("submit", *[d.file for d in gathered.documents], *sorted(gathered.head))


def line_annotations(findings: list[Finding], pr_files: dict[str, str]) -> list[Annotation]:
    """Annotations for findings in the pull request's own files (errors first)."""
    items = []
    for f in sorted(
        (f for f in findings if f.file in pr_files and f.waived is None), key=lambda f: f.severity
    ):
        title = rule_title(f.rule)
        message = f"{f.path}: {f.message}" + (f"\nHint: {f.hint}" if f.hint else "")
        items.append(Annotation(f.file, f.line or 1, LEVELS[f.severity], title, message))
    return items


def _suggest(ctx: Context, number: int, sha: str, findings: list[Finding], pr_files: dict[str, str]) -> None:
    comments: list[dict[str, Any]] = []
    for finding in findings:
        if len(comments) == MAX_SUGGESTIONS:  # each one parses its file again to prove itself: no more
            break
        source = pr_files.get(finding.file)
        comment = review_comment(source, finding) if source else None
        if comment is not None:
            comments.append(comment)
    refused = ctx.api.review_comments(number, sha, comments) if comments else None
    if refused is not None:
        ctx.job_summary.append(MSG_NO_SUGGESTIONS.format(count=len(comments), reason=refused))
