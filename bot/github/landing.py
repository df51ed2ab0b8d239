"""Landing a pull request whose approval has been checked: re-validate against the latest base and
write a bot merge commit (parents: the base tip and the pull request head; tree: the base tree with
the merged data files), moved into place by compare-and-swap. Who may approve is decided by
bot.github.approval and bot.github.commands; this module says on the pull request why whatever it
refuses did not land."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from bot.fs import load_data_files
from bot.github.api import Conflict, PullInfo, Refused
from bot.github.checking import submit_command
from bot.github.context import Context
from bot.github.pr_gather import Gathered, gather
from bot.github.steps import record_outputs
from bot.github.sticky import upsert
from bot.ledger.evaluate import Outcome, evaluate
from bot.ledger.submission import Submitter
from bot.render.comment import Context as SummaryContext
from bot.render.comment import render
from bot.render.markdown import escape

# A lost compare-and-swap means another merge landed after this one read the base, so of N merges
# racing none loses more than N - 1 times: this many tries lands up to 30 approvals given at once.
MAX_ATTEMPTS = 30
BACKOFF_CAP_SECONDS = 10.0  # the longest pause after a lost race (tests lower it)
NOTICE_MARKER = "<!-- leaderboard-bot:notice -->"
CHANGE_RULES = ("LB305", "LB306")  # a published entry changed / removed
MSG_NOT_OPEN = "#{number} is not open: nothing to merge."
MSG_BLOCKED = (
    "#{number} is not merged: it changes files outside the submission paths or contains links "
    "({problems}). Keep a results PR to data/submissions/ and the data files; open other changes separately."
)
MSG_INVALID = "#{number} is not merged: the submission has errors (see the bot's report comment)."
MSG_NEEDS_ALLOW = (
    "#{number} is not merged: it changes or removes published entries ({entries}). An approval lands "
    "additions only; a maintainer who has checked the changes merges them with "
    "`/leaderboard merge {head} --allow-changes`."
)
MSG_GAVE_UP = "#{number} was not landed: the base kept moving ({attempts} tries). Approve again to retry."
MSG_PROTECTED = (
    "#{number} was not landed: GitHub refused to update `{branch}` ({reason}). The branch is protected "
    "(branch protection, a ruleset or required signatures) and the workflow's token may not push to it: "
    "give the Action a GitHub App token whose app is on the ruleset's bypass list (see the README, "
    '"Running on a protected default branch"). Retrying cannot help, so the bot did not retry.'
)
MSG_NOTHING = "#{number} is not merged: it adds, changes and removes no entry of the base branch."
MSG_MERGED = "Merged #{number} as {sha}."
MSG_ALLOWED = " @{login} allowed these changes to published entries: {changes}."
MSG_ALREADY = (
    "#{number} was already landed: the base branch holds its entries exactly as submitted "
    "(an earlier run's update succeeded but its answer was lost)."
)
COMMIT_MESSAGE = "Merge leaderboard results from #{number}\n\n{lines}\n"
AUDIT_LINES = "\nChanges to published entries allowed by @{login} (/leaderboard merge {head} --allow-changes)"


@dataclass(frozen=True)
class Landing:
    """What to land: the pull request and who, if anyone, allowed changes to published entries."""

    pull: PullInfo
    allowed_by: str | None = None
    submitter: str | None = None


def say(ctx: Context, number: int, text: str) -> None:
    """Tell the pull request and the job summary what the bot did with an approval or command, and why.

    The answer is one marked comment per pull request, updated in place like the report: a re-delivered
    event or a retried POST converges on it instead of piling up replies.
    """
    ctx.summary.append(text)
    upsert(ctx.api, number, f"{NOTICE_MARKER}\n{text}", ctx.bot_login, marker=NOTICE_MARKER)


def report_closed(ctx: Context, pull: PullInfo) -> None:
    """A closed pull request (a re-delivered event, or a run whose ref update's answer was lost):
    a merged one is reported as merged, with the commit that merged it."""
    if pull.merged and pull.merge_commit:
        say(ctx, pull.number, MSG_MERGED.format(number=pull.number, sha=pull.merge_commit))
    else:
        ctx.summary.append(MSG_NOT_OPEN.format(number=pull.number))


def land_pull(ctx: Context, landing: Landing) -> str:
    """Merge a pull request whose approval has been checked; say on it why not when it does not land."""
    pull = landing.pull
    if pull.state != "open" or pull.merged:
        report_closed(ctx, pull)
        return "merged" if pull.merged else "ignored"
    author = landing.submitter or pull.author
    gathered = gather(ctx.api, pull.number, pull.head_sha, pull.base_ref, ctx.config, ctx.data_dir, author)
    if not gathered.is_results_pr:
        say(ctx, pull.number, MSG_NOTHING.format(number=pull.number))
        return "ignored"
    if gathered.blocked:
        problems = "; ".join(f"{f.message} [{f.rule}]" for f in gathered.blocked)
        say(ctx, pull.number, MSG_BLOCKED.format(number=pull.number, problems=escape(problems)))
        ctx.failed = True
        return "blocked"
    return _land_with_retries(ctx, landing, gathered)


def _land_with_retries(ctx: Context, landing: Landing, gathered: Gathered) -> str:
    pull = landing.pull
    for attempt in range(MAX_ATTEMPTS):
        started = time.monotonic()
        base_sha, base_tree = ctx.api.branch_head(pull.base_ref)
        outcome = _evaluate_at(ctx, landing, gathered, base_sha)
        if outcome.errors:
            return _refuse_invalid(ctx, landing, gathered, outcome)
        if not outcome.merge.texts:
            say(ctx, pull.number, MSG_NOTHING.format(number=pull.number))
            return "nothing"
        message = COMMIT_MESSAGE.format(number=pull.number, lines=_change_lines(outcome, landing))
        commit = ctx.api.create_commit(message, base_tree, outcome.merge.texts, [base_sha, pull.head_sha])
        try:
            ctx.api.move_branch(pull.base_ref, commit)
        except Conflict:  # another merge landed first: re-read the base and merge again
            _backoff(attempt, time.monotonic() - started)
            continue
        except Refused as exc:  # protection or a ruleset: the same answer every time
            reason = escape(str(exc))
            say(
                ctx,
                pull.number,
                MSG_PROTECTED.format(number=pull.number, branch=pull.base_ref, reason=reason),
            )
            ctx.failed = True
            return "refused"
        record_outputs(ctx, outcome, pull.number)
        say(ctx, pull.number, MSG_MERGED.format(number=pull.number, sha=commit) + _audit(outcome, landing))
        return "merged"
    say(ctx, pull.number, MSG_GAVE_UP.format(number=pull.number, attempts=MAX_ATTEMPTS))
    ctx.failed = True
    return "conflict"


def _refuse_invalid(ctx: Context, landing: Landing, gathered: Gathered, outcome: Outcome) -> str:
    """Report the errors in the sticky comment, and say on the pull request why it did not merge."""
    pull = landing.pull
    body = render(outcome, SummaryContext(submit_command(gathered), ctx.run_url))
    upsert(ctx.api, pull.number, body, ctx.bot_login)
    record_outputs(ctx, outcome, pull.number)
    errors = [f for f in outcome.findings if f.severity == "error" and f.waived is None]
    if errors and all(f.rule in CHANGE_RULES for f in errors) and landing.allowed_by is None:
        entries = ", ".join(sorted({str(f.entry_id) for f in errors}))
        say(
            ctx,
            pull.number,
            MSG_NEEDS_ALLOW.format(number=pull.number, entries=entries, head=pull.head_sha[:7]),
        )
    else:
        say(ctx, pull.number, MSG_INVALID.format(number=pull.number))
    return "invalid"


def _backoff(attempt: int, took: float) -> None:
    """Full jitter: pause a random part of a window that doubles with every lost race, measured in
    tries (one took ``took`` seconds), so racers spread out instead of colliding in lockstep; every
    try costs six requests of the token's 1,000 an hour."""
    time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, took * 2 ** min(attempt, 10))))


def _evaluate_at(ctx: Context, landing: Landing, gathered: Gathered, base_sha: str) -> Outcome:
    """The submission checked against the base at ``base_sha``; changes only if a maintainer allowed them."""
    base, findings = load_data_files(lambda path: ctx.api.read(path, base_sha).data, ctx.data_dir, ctx.config)
    return evaluate(
        base,
        gathered.documents,
        ctx.config,
        head=gathered.head or None,
        edit_base=gathered.edit_base,
        submitter=Submitter(landing.submitter or landing.pull.author),
        now=ctx.now,
        allow_changes=landing.allowed_by is not None,
        load_findings=[*gathered.findings, *findings],
    )


def _published_changes(outcome: Outcome) -> list[str]:
    return [f"{c.kind} {c.entry_id}" for c in outcome.merge.changes if c.kind in ("changed", "removed")]


def _change_lines(outcome: Outcome, landing: Landing) -> str:
    lines = "\n".join(f"- {c.kind} {c.entry_id} ({c.target})" for c in outcome.merge.changes)
    if landing.allowed_by and _published_changes(outcome):
        lines += AUDIT_LINES.format(login=landing.allowed_by, head=landing.pull.head_sha[:7])
        lines += "".join(f"\n- {item}" for item in _published_changes(outcome))
    return lines


def _audit(outcome: Outcome, landing: Landing) -> str:
    changes = _published_changes(outcome)
    if not (landing.allowed_by and changes):
        return ""
    return MSG_ALLOWED.format(login=landing.allowed_by, changes=", ".join(changes))
