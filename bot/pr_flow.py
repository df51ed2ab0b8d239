"""Results pull requests: check the submission on every push and report it in one sticky comment,
a check run with line annotations, suggested changes, labels, the job summary and outputs."""

from __future__ import annotations

import json
import shlex
from typing import Any

from bot.context import Context
from bot.datadir import load_data_files
from bot.events import Event, router
from bot.findings import Finding
from bot.github_api import Annotation
from bot.pr_gather import Gathered, gather
from bot.ruletable import rule_title
from bot.sticky import upsert
from bot.submission import Submitter
from bot.submit import Outcome, evaluate
from bot.suggest import review_comment
from bot.summary import Context as SummaryContext
from bot.summary import render_pair, verdict

CHECK_NAME = "leaderboard"
LABEL_VALID = "leaderboard: valid"
LABEL_INVALID = "leaderboard: invalid"
MSG_NOT_RESULTS = "This pull request changes no leaderboard files: nothing to check."
MSG_NO_SUGGESTIONS = (
    "GitHub refused the review with {count} suggested change(s) ({reason}): they were dropped; "
    "the report comment and the check run's annotations list every problem."
)
LEVELS = {"error": "failure", "warning": "warning"}
PR_ACTIONS = ("opened", "synchronize", "reopened", "edited")


def _on_pull_request(event: Event, ctx: Context) -> None:
    pull = event.payload.get("pull_request") or {}
    if pull.get("state") != "open":
        return
    check_pull(
        ctx,
        number=int(pull["number"]),
        head_sha=str(pull["head"]["sha"]),
        author=str(pull["user"]["login"]),
        base_ref=str(pull["base"]["ref"]),
        labels=[str(label.get("name")) for label in pull.get("labels") or []],
        suggest=event.action != "edited",  # an edited title is no new commit: no new suggestions
        fresh=event.action == "opened",  # a new pull request has no comment of the bot yet
    )


for _event in ("pull_request_target", "pull_request"):
    for _action in PR_ACTIONS:
        router.register(_event, _action)(_on_pull_request)


def check_pull(
    ctx: Context,
    *,
    number: int,
    head_sha: str,
    author: str,
    base_ref: str,
    labels: list[str],
    suggest: bool,
    fresh: bool = False,
) -> Outcome | None:
    """Check one pull request's submission against the base checkout and publish the result."""
    gathered = gather(ctx.api, number, head_sha, base_ref, ctx.config, ctx.data_dir, author)
    if not gathered.is_results_pr:
        ctx.summary.append(MSG_NOT_RESULTS)
        return None
    base, base_findings = load_data_files(ctx.read_base, ctx.data_dir, ctx.config)
    outcome = evaluate(
        base,
        gathered.documents,
        ctx.config,
        head=gathered.head or None,
        edit_base=gathered.edit_base,
        submitter=Submitter(author),
        now=ctx.now,
        load_findings=[*gathered.files.blocked, *gathered.findings, *base_findings],
    )
    publish(ctx, number, head_sha, outcome, gathered, labels, suggest, fresh=fresh)
    return outcome


def publish(
    ctx: Context,
    number: int,
    head_sha: str,
    outcome: Outcome,
    gathered: Gathered,
    labels: list[str],
    suggest: bool,
    *,
    fresh: bool = False,
) -> None:
    """Comment, check run, suggestions, labels, job summary and outputs for one outcome."""
    preview = _write_preview(ctx, outcome)
    summary_context = SummaryContext(reproduce_command(gathered), ctx.run_url, preview)
    body, full = render_pair(outcome, summary_context)
    upsert(ctx.api, number, body, ctx.bot_login, fresh=fresh)
    pr_files = {d.file: d.text for d in [*gathered.documents, *gathered.head.values()]}
    for item in gathered.files.submissions + gathered.files.data_files:
        pr_files.setdefault(item.filename, "")  # unreadable files still get annotations
    output = {"title": verdict(outcome).replace("**", "")[:255], "summary": body}
    conclusion = "failure" if outcome.errors else "success"
    ctx.api.check_run(head_sha, CHECK_NAME, conclusion, output, line_annotations(outcome.findings, pr_files))
    if suggest:
        _suggest(ctx, number, head_sha, outcome.findings, pr_files)
    _label(ctx, number, labels, valid=not outcome.errors)
    ctx.summary.append(full)
    record_outputs(ctx, outcome, number)


def _write_preview(ctx: Context, outcome: Outcome) -> str | None:
    """Write the merged data files for the page preview; the run's link when there is one."""
    if ctx.preview_dir is None or outcome.errors or not outcome.merge.texts:
        return None
    for path, doc in outcome.base.items():
        target = ctx.preview_dir / path.rsplit("/", 1)[-1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(outcome.merge.texts.get(path, doc.text), encoding="utf-8")
    ctx.output("preview", str(ctx.preview_dir))
    return ctx.run_url


def reproduce_command(gathered: Gathered) -> str:
    """The local command that repeats this check on a checkout of the pull request."""
    paths = [d.file for d in gathered.documents] + sorted(gathered.head)
    return shlex.join(["leaderboard-bot", "submit", *paths, "--dry-run", "--format", "markdown"])


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
        source = pr_files.get(finding.file)
        comment = review_comment(source, finding) if source else None
        if comment is not None:
            comments.append(comment)
    refused = ctx.api.review_comments(number, sha, comments[:50]) if comments else None
    if refused is not None:
        ctx.summary.append(MSG_NO_SUGGESTIONS.format(count=len(comments[:50]), reason=refused))


def _label(ctx: Context, number: int, labels: list[str], *, valid: bool) -> None:
    wanted, unwanted = (LABEL_VALID, LABEL_INVALID) if valid else (LABEL_INVALID, LABEL_VALID)
    if wanted not in labels:
        ctx.api.add_labels(number, [wanted])
    if unwanted in labels:
        ctx.api.remove_label(number, unwanted)


def record_outputs(ctx: Context, outcome: Outcome, number: int | None) -> None:
    """The Action's outputs: valid, and JSON arrays of the entry ids per kind of change."""
    kinds: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for change in outcome.merge.changes:
        kinds["added" if change.kind in ("added", "replaced") else change.kind].append(change.entry_id)
    ctx.output("valid", "false" if outcome.errors else "true")
    for kind, ids in kinds.items():
        ctx.output(kind, json.dumps(sorted(ids)))
    if number is not None:
        ctx.output("pull-request", str(number))
    ctx.failed = ctx.failed or bool(outcome.errors)
