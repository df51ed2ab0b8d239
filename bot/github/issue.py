"""Issue-form submissions: check the form, answer on the issue, and keep one pull request per
issue carrying ``data/submissions/issue-<N>.json`` (created on the first valid version, updated
on every edit). PRs created with GITHUB_TOKEN start no workflows, so the bot checks them itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.form.entry import FormSubmission, build_submission, file_text, reword
from bot.form.generator import SUBMISSION_LABEL
from bot.github.context import Context
from bot.github.records import Conflict, PullInfo
from bot.github.routing import Event, Router
from bot.github.steps import LABEL_VALID, LABEL_WITHDRAWN, record_outputs
from bot.github.sticky import upsert
from bot.ledger.data_files import load_data_files
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from bot.render.comment import LIMIT, CommentContext, render_pair, reproduce_command
from bot.render.markdown import escape

BRANCH = "leaderboard/issue-{number}"
PR_TITLE = "Add leaderboard results from #{number}"
PR_BODY = (
    "Closes #{number}\n\nSubmitted through the issue form by @{author}; created by leaderboard-bot. "
    "Edit the issue to change the submission: this pull request follows it."
)
COMMIT_MESSAGE = "Add leaderboard results from #{number}"
NOTE_PR = "\n\n**Pull request:** #{pr} carries this submission; a maintainer's approval merges it."
NOTE_FORM = "\n\n**About the form:**\n{notes}"
NOTE_FIX = "\n\nEdit the issue to fix the problems above; the bot checks it again on every edit."
NOTE_CLOSED = (
    "\n\n**Pull request:** #{pr} carried the previous version of this submission and is closed, so that "
    "nobody merges what the issue no longer says. The next valid version opens a new one."
)
MSG_CLOSED = (
    "Closed by leaderboard-bot: #{number} was edited and no longer holds a valid submission (its problems "
    "are listed there), so this pull request would publish what the issue no longer says. Edit the issue "
    "to fix it: its next valid version opens a new pull request."
)
MSG_WITHDRAWN = (
    "Closed by leaderboard-bot: #{number} {why}, so its submission is withdrawn. Reopen the issue (or label "
    "it again) to submit it again: that opens a new pull request."
)
MSG_WITHDRAWN_ISSUE = (
    "**Pull request:** #{pr} is closed, as this issue {why}: the submission is withdrawn. Reopen the issue "
    "(or label it `{label}` again) to submit it again."
)
MSG_MERGED_ALREADY = (
    "**Pull request:** #{pr} merged this submission already, so this issue has nothing left to submit. "
    "For new results, open a new issue."
)
MSG_MAINTAINER_CLOSED = (
    "**Pull request:** a maintainer closed #{pr}, which carried this submission, so the bot does not "
    "submit it again. Ask them on #{pr} to reopen it; once they have, edit this issue."
)
WHY_CLOSED = "was closed"
WHY_UNLABELED = "lost its `{label}` label"
MAX_NOTES = 20  # "About the form" notes shown; the rest are counted
NOTE_CHARS = 300
MORE_NOTES = "- … and {count} more notes like these"
NOTES_ROOM = 1_000  # for the note closing the answer (NOTE_FIX and NOTE_CLOSED, or NOTE_PR)
MAX_PASSES = 3  # a run re-checks an issue edited while it ran; a bound against endless editing
BRANCH_TRIES = 3  # create or move the issue's branch while other runs do the same
MSG_TITLE_ONLY = "Only the title of #{number} changed: its submission and pull request stay as they are."
MSG_NEWER = "#{number} was edited while this run checked it: checking the newer text."
router = Router()


@dataclass(frozen=True)
class IssueText:
    """One text of a submission issue: what the bot turns into the issue's pull request."""

    number: int
    body: str
    author: str
    default_branch: str  # the pull request's base
    looked_up: bool = False  # whether `pull` is known: the run looked for the issue's pull request
    pull: PullInfo | None = None  # the issue's open pull request, then (None: none is open)


@router.register("issues", "opened")
@router.register("issues", "edited")
@router.register("issues", "labeled")
@router.register("issues", "reopened")
def _on_issue(event: Event, ctx: Context) -> None:
    issue: dict[str, Any] = event.payload.get("issue") or {}
    if SUBMISSION_LABEL not in _labels(issue) or issue.get("state") != "open" or "pull_request" in issue:
        return
    if event.action == "labeled" and (event.payload.get("label") or {}).get("name") != SUBMISSION_LABEL:
        return
    changes = event.payload.get("changes")
    if (
        event.action == "edited"
        and isinstance(changes, dict)
        and "title" in changes
        and "body" not in changes
    ):
        # Only the title changed: a new commit would move the pull request's head and void its approvals.
        ctx.job_summary.append(MSG_TITLE_ONLY.format(number=issue["number"]))
        return
    default_branch = str((event.payload.get("repository") or {}).get("default_branch") or "main")
    text = IssueText(
        int(issue["number"]), str(issue.get("body") or ""), str(issue["user"]["login"]), default_branch
    )
    submit_issue(ctx, text, first=event.action != "edited", fresh=event.action == "opened")


@router.register("issues", "closed")
@router.register("issues", "unlabeled")
def _on_withdrawn(event: Event, ctx: Context) -> None:
    """A submission issue closed, or its label removed: its open pull request goes with it, since one
    approval would otherwise publish what the author (or a maintainer) withdrew."""
    issue: dict[str, Any] = event.payload.get("issue") or {}
    removed = (event.payload.get("label") or {}).get("name")
    submission = (
        removed == SUBMISSION_LABEL if event.action == "unlabeled" else SUBMISSION_LABEL in _labels(issue)
    )
    if not submission or "pull_request" in issue:
        return
    number = int(issue["number"])
    why = WHY_CLOSED if event.action == "closed" else WHY_UNLABELED.format(label=SUBMISSION_LABEL)
    # A merged pull request (which closes its issue) is no longer open: nothing to do then.
    pull = ctx.api.open_pull_for(BRANCH.format(number=number))
    if pull is not None:
        pr = _close_pull(ctx, pull, MSG_WITHDRAWN.format(number=number, why=why))
        said = MSG_WITHDRAWN_ISSUE.format(pr=pr, why=why, label=SUBMISSION_LABEL)
        upsert(ctx.api, number, said, ctx.bot_login)  # it said "a maintainer's approval merges it"
        ctx.job_summary.append(said)


def _labels(issue: dict[str, Any]) -> set[str]:
    """The names of an issue payload's labels."""
    return {str(label.get("name")) for label in issue.get("labels") or []}


def submit_issue(ctx: Context, text: IssueText, *, first: bool, fresh: bool = False) -> Outcome | None:
    """Check the form; when valid, create or update the pull request; answer on the issue.

    Runs of quick successive edits can overlap (the workflow's concurrency group cancels older runs,
    but not at once), and each carries its own event's text. So after answering, a run reads the
    issue again and processes a newer text too: whoever writes last writes the latest text. A run
    that created the issue's branch skips that read (no other run had written anything yet). Returns
    None, checking nothing, when the issue's pull request was merged or closed by a maintainer.
    """
    if not fresh:  # the newest pull request of the issue's branch (an opened issue has none)
        latest = ctx.api.latest_pull_and_body(BRANCH.format(number=text.number))
        newest = latest[0] if latest is not None else None
        decided = _decided(newest)
        if decided is not None:  # not for an edit of the issue to undo
            upsert(ctx.api, text.number, decided, ctx.bot_login)
            ctx.job_summary.append(decided)
            return None
        text = replace(text, looked_up=True, pull=newest if newest and newest.state == "open" else None)
    for _ in range(MAX_PASSES):
        outcome, created_branch = _submit_once(ctx, text, first=first, fresh=fresh)
        if created_branch:
            break
        current, state, labels = ctx.api.issue_body(text.number)
        if current == text.body or state != "open" or SUBMISSION_LABEL not in labels:
            break
        ctx.job_summary.append(MSG_NEWER.format(number=text.number))
        # Another pass may find the pull request this one opened: look it up again.
        text, first, fresh = replace(text, body=current, looked_up=False, pull=None), False, False
    return outcome


def _submit_once(ctx: Context, text: IssueText, *, first: bool, fresh: bool) -> tuple[Outcome, bool]:
    """One pass over one text of the issue; also says whether it created the issue's branch."""
    number, author = text.number, text.author
    submission = build_submission(
        text.body, repo=ctx.api.repository, number=number, author=author, config=ctx.config
    )
    base, base_findings = load_data_files(ctx.read_base, ctx.data_dir, ctx.config)
    documents = [submission.document] if submission.document is not None else []
    outcome = evaluate(
        base,
        Submission(
            documents, submitter=Submitter(author), load_findings=[*submission.findings, *base_findings]
        ),
        ctx.config,
        now=ctx.now,
    )
    outcome.findings = reword(outcome.findings, submission)
    command = reproduce_command("submit", submission.path)
    form_notes = _form_notes(submission.notes)
    # The notes and the closing note go below the report: it is cut to leave them room (GitHub refuses
    # a longer comment, and then the issue would get no answer at all).
    limit = LIMIT - len(form_notes) - NOTES_ROOM
    report, full = render_pair(outcome, CommentContext(command, ctx.run_url), limit)
    report += form_notes
    created = False
    if outcome.errors or submission.document is None:
        pull = None if fresh else _open_pull(ctx, text)
        closed = _close_pull(ctx, pull, MSG_CLOSED.format(number=number)) if pull is not None else None
        note = NOTE_FIX + (NOTE_CLOSED.format(pr=closed) if closed is not None else "")
        upsert(ctx.api, number, report + note, ctx.bot_login, fresh=fresh)
        ctx.failed = True
    else:
        pr, created = _open_or_update_pull(ctx, text, submission, report, first=first)
        upsert(ctx.api, number, report + NOTE_PR.format(pr=pr), ctx.bot_login, fresh=fresh)
        record_outputs(ctx, outcome, pr)
        ctx.failed = False  # an earlier pass's invalid text is no longer what the issue says
    ctx.job_summary.append(full)
    return outcome, created


def _decided(pull: PullInfo | None) -> str | None:
    """What to say when the issue's newest pull request was merged, or closed by a maintainer (the bot
    labels the ones it closes): then an edit neither reopens nor resubmits it."""
    if pull is None or pull.state == "open":
        return None
    if pull.merged:
        return MSG_MERGED_ALREADY.format(pr=pull.number)
    return None if LABEL_WITHDRAWN in pull.labels else MSG_MAINTAINER_CLOSED.format(pr=pull.number)


def _form_notes(notes: list[str]) -> str:
    """The "About the form" notes (a heading deleted or added by hand: what the parser made of the
    body), the first MAX_NOTES of them, each cut to NOTE_CHARS."""
    if not notes:
        return ""
    lines = [f"- {escape(note[:NOTE_CHARS])}" for note in notes[:MAX_NOTES]]
    if len(notes) > MAX_NOTES:
        lines.append(MORE_NOTES.format(count=len(notes) - MAX_NOTES))
    return NOTE_FORM.format(notes="\n".join(lines))


def _open_pull(ctx: Context, text: IssueText) -> PullInfo | None:
    """The issue's open pull request: as the run found it, or looked up now."""
    return text.pull if text.looked_up else ctx.api.open_pull_for(BRANCH.format(number=text.number))


def _close_pull(ctx: Context, pull: PullInfo, why: str) -> int:
    """Close the issue's open pull request, saying ``why`` in its comment (which then no longer says
    "Ready to merge"): it carries an earlier text, and one approval would merge it. Its number."""
    upsert(ctx.api, pull.number, why, ctx.bot_login)
    ctx.api.add_labels(pull.number, [LABEL_WITHDRAWN])  # so that the issue's next version opens a new one
    ctx.api.close_pull(pull.number)
    return pull.number


def _open_or_update_pull(
    ctx: Context, text: IssueText, submission: FormSubmission, report: str, *, first: bool
) -> tuple[int, bool]:
    """Point the issue's branch at a commit with the submission file; open its PR if needed.

    Returns the PR number and whether this call created the branch (then no PR can have it as its
    head yet, which saves looking for one).
    """
    api, number, author, base = ctx.api, text.number, text.author, text.default_branch
    branch = BRANCH.format(number=number)
    base_sha, base_tree = api.branch_head(base)
    commit = api.create_commit(
        COMMIT_MESSAGE.format(number=number), base_tree, {submission.path: file_text(submission)}, [base_sha]
    )
    created = _point_branch(ctx, branch, commit, first=first)
    existing = None if created else _open_pull(ctx, text)
    if existing is None:
        try:
            pr = api.create_pull(
                PR_TITLE.format(number=number), PR_BODY.format(number=number, author=author), branch, base
            )
        except Conflict:  # a create GitHub stored but answered with an error, or another run's
            existing = api.open_pull_for(branch)
            if existing is None:
                raise
        else:
            # Bot-made PRs start no workflows, so the bot reports on its own PR (new: no comments yet).
            upsert(api, pr, report, ctx.bot_login, fresh=True)
            api.add_labels(pr, [LABEL_VALID])
            return pr, created
    upsert(api, existing.number, report, ctx.bot_login)
    if LABEL_VALID not in existing.labels:  # a run that failed between opening and labelling it
        api.add_labels(existing.number, [LABEL_VALID])
    return existing.number, created


def _point_branch(ctx: Context, branch: str, commit: str, *, first: bool) -> bool:
    """Create the issue's branch, or force it to the new commit (the branch is the bot's own).

    A new issue most likely has no branch yet and an edited one has; the other case is a retry or
    another run of the same issue. Returns True when this call created the branch.
    """
    create = first
    for _ in range(BRANCH_TRIES - 1):
        try:
            _set_branch(ctx, branch, commit, create=create)
            return create
        except Conflict:
            create = not create
    _set_branch(ctx, branch, commit, create=create)  # the last try: a Conflict now is reported
    return create


def _set_branch(ctx: Context, branch: str, commit: str, *, create: bool) -> None:
    if create:
        ctx.api.create_branch(branch, commit)
    else:
        ctx.api.move_branch(branch, commit, force=True)
