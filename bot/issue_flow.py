"""Issue-form submissions: check the form, answer on the issue, and keep one pull request per
issue carrying ``data/submissions/issue-<N>.json`` (created on the first valid version, updated
on every edit). PRs created with GITHUB_TOKEN start no workflows, so the bot checks them itself."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.datadir import load_data_files
from bot.events import Event, router
from bot.form_entry import FormSubmission, build_submission, file_text, reword
from bot.github_api import Conflict
from bot.issue_form import SUBMISSION_LABEL
from bot.pr_flow import LABEL_VALID, record_outputs
from bot.sticky import upsert
from bot.submission import Submitter
from bot.submit import Outcome, evaluate
from bot.summary import Context as SummaryContext
from bot.summary import render

BRANCH = "leaderboard/issue-{number}"
PR_TITLE = "Add leaderboard results from #{number}"
PR_BODY = (
    "Closes #{number}\n\nSubmitted through the issue form by @{author}; created by leaderboard-bot. "
    "Edit the issue to change the submission: this pull request follows it."
)
COMMIT_MESSAGE = "Add leaderboard results from #{number}"
NOTE_PR = "\n\n**Pull request:** #{pr} carries this submission; a maintainer's approval merges it."
NOTE_FIX = "\n\nEdit the issue to fix the problems above; the bot checks it again on every edit."


@router.register("issues", "opened")
@router.register("issues", "edited")
@router.register("issues", "labeled")
def _on_issue(event: Event, ctx: Context) -> None:
    issue: dict[str, Any] = event.payload.get("issue") or {}
    labels = {str(label.get("name")) for label in issue.get("labels") or []}
    if SUBMISSION_LABEL not in labels or issue.get("state") != "open" or "pull_request" in issue:
        return
    if event.action == "labeled" and (event.payload.get("label") or {}).get("name") != SUBMISSION_LABEL:
        return
    default_branch = str((event.payload.get("repository") or {}).get("default_branch") or "main")
    submit_issue(
        ctx,
        int(issue["number"]),
        str(issue.get("body") or ""),
        str(issue["user"]["login"]),
        default_branch,
        first=event.action != "edited",
    )


def submit_issue(
    ctx: Context, number: int, body: str, author: str, default_branch: str, *, first: bool
) -> Outcome:
    """Check the form; when valid, create or update the pull request; answer on the issue."""
    submission = build_submission(
        body, repo=ctx.api.repository, number=number, author=author, config=ctx.config
    )
    base, base_findings = load_data_files(ctx.read_base, ctx.data_dir, ctx.config)
    documents = [submission.document] if submission.document is not None else []
    outcome = evaluate(
        base,
        documents,
        ctx.config,
        submitter=Submitter(author),
        now=ctx.now,
        load_findings=[*submission.findings, *base_findings],
    )
    outcome.findings = reword(outcome.findings, submission)
    command = f"leaderboard-bot submit {submission.path} --dry-run --format markdown"
    report = render(outcome, SummaryContext(command, ctx.run_url))
    if outcome.errors or submission.document is None:
        upsert(ctx.api, number, report + NOTE_FIX, ctx.bot_login)
        ctx.failed = True
    else:
        pr = _open_or_update_pull(ctx, number, author, default_branch, submission, report, first=first)
        upsert(ctx.api, number, report + NOTE_PR.format(pr=pr), ctx.bot_login)
        record_outputs(ctx, outcome, pr)
    ctx.summary.append(render(outcome, SummaryContext(command, ctx.run_url), limit=10**9))
    return outcome


def _open_or_update_pull(
    ctx: Context, number: int, author: str, base: str, submission: FormSubmission, report: str, *, first: bool
) -> int:
    """Point the issue's branch at a commit with the submission file; open its PR if needed."""
    api, branch = ctx.api, BRANCH.format(number=number)
    base_sha, base_tree = api.branch_head(base)
    commit = api.create_commit(
        COMMIT_MESSAGE.format(number=number), base_tree, {submission.path: file_text(submission)}, [base_sha]
    )
    _point_branch(ctx, branch, commit, first=first)
    existing = api.open_pull_for(branch)
    if existing is not None:
        upsert(api, existing, report, ctx.bot_login)
        return existing
    pr = api.create_pull(
        PR_TITLE.format(number=number), PR_BODY.format(number=number, author=author), branch, base
    )
    # Bot-made PRs start no workflows, so the bot reports on its own PR (new: no comments to look for).
    api.create_comment(pr, report)
    api.add_labels(pr, [LABEL_VALID])
    return pr


def _point_branch(ctx: Context, branch: str, commit: str, *, first: bool) -> None:
    """Create the issue's branch, or force it to the new commit (the branch is the bot's own).

    A new issue most likely has no branch yet and an edited one has; the other case is the retry.
    """

    def create() -> None:
        ctx.api.create_branch(branch, commit)

    def move() -> None:
        ctx.api.move_branch(branch, commit, force=True)

    likely, fallback = (create, move) if first else (move, create)
    try:
        likely()
    except Conflict:
        fallback()
