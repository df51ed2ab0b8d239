"""The land job: merge every queued pull request whose approval still counts, in ONE commit.

Runs serialized in one concurrency group (the review job's, the relay's and the merge command's land
jobs share it), so merges no longer race each other; compare-and-swap still guards the branch against
anything else that pushes. Each pull request is re-validated against the base plus the ones before it
in the batch; one that fails is reported on its own pull request and left out, the others land. The
commit's parents are the base tip and every merged head, so GitHub marks each pull request merged."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.github.batch_plan import Candidate, Plan, batch_numbers, commit_message, plan_batch
from bot.github.context import Context
from bot.github.landing import (
    MSG_BLOCKED,
    MSG_GAVE_UP,
    MSG_MERGED,
    MSG_NOTHING,
    MSG_PROTECTED,
    audit,
    refuse_invalid,
    report_closed,
    say,
)
from bot.github.pr_gather import PullSource, gather
from bot.github.queue import LABEL_QUEUED, Checked, recheck, review_hint
from bot.github.records import Conflict, PullInfo, Refused
from bot.github.steps import Permissions, record_changes
from bot.ledger.evaluate import Outcome
from bot.render.markdown import escape

TRIES = 5  # lost compare-and-swaps: only pushes outside the queue can move the base under a batch
MSG_MOVED = (
    "#{number} is not merged: a push moved its head past {head} while it was being merged. The new "
    "commit gets its own check; approve it once that check passes."
)
MSG_EMPTY = "No pull request is queued for merging: nothing to do."


@dataclass
class Tally:
    """What the run did, for the step outputs."""

    merged: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def land_queued(ctx: Context, trigger: int | None = None, run: Mapping[str, Any] | None = None) -> Tally:
    """List the open pull requests (one request per 100), re-check each queued one, and land the batch
    per base branch.

    The listing gives each pull request's head, base, labels and state, so a queued pull request costs
    no GET of its own. A merged pull request keeps its label (it is not open, so no later listing sees
    it); an answer lost with an interrupted run is given when that run is re-run (its ``trigger``).

    ``trigger``: the pull request whose review or command started this run, checked even when it is
    not labelled: a land job may have taken the label off just as this approval came, and a merged one
    (by an earlier run, perhaps one whose answers were lost) still gets its notice. ``run``: the relay's
    ``workflow_run``, whose head names the trigger (a fork's pull request, found in the listing).
    """
    tally = Tally()
    permission = Permissions(ctx)
    batches: dict[str, list[Candidate]] = {}
    listed = {pull.number: pull for pull in ctx.api.open_pulls()}
    suspect: set[int] = set()
    if run is not None and trigger is None:
        trigger, suspect = _relay_trigger(listed, run)
        for number in suspect - listed.keys():  # a false title named an issue or a closed pull request
            ctx.api.remove_label(number, LABEL_QUEUED)
    pulls = [pull for pull in listed.values() if LABEL_QUEUED in pull.labels]
    if trigger is not None and trigger not in listed:
        pulls.append(ctx.api.pull(trigger))  # closed: merged by an earlier run, whose answer may be lost
    elif trigger is not None and LABEL_QUEUED not in listed[trigger].labels:
        pulls.append(listed[trigger])  # the label is a hint: this run's own approval is checked either way
    for pull in sorted(pulls, key=lambda p: p.number):
        candidate = _candidate(ctx, recheck(ctx, pull, permission), tally, quiet=pull.number in suspect)
        if candidate is not None:
            batches.setdefault(candidate.checked.pull.base_ref, []).append(candidate)
    for base_ref, candidates in batches.items():
        _land_batch(ctx, base_ref, candidates, tally)
    _outputs(ctx, tally)
    return tally


def _relay_trigger(listed: Mapping[int, PullInfo], run: Mapping[str, Any]) -> tuple[int | None, set[int]]:
    """The open pull request whose head is the relay run's, and the number the run's title named if that
    is another one (a false hint: queued for nothing, so it is unqueued without a word)."""
    owner = str(((run.get("head_repository") or {}).get("owner") or {}).get("login") or "").lower()
    branch = str(run.get("head_branch") or "")
    trigger = next(
        (
            pull.number
            for pull in listed.values()
            if pull.head_repo.split("/")[0].lower() == owner and pull.head_ref == branch
        ),
        None,
    )
    hint = review_hint(run)
    return trigger, {hint[1]} if hint is not None and hint[1] != trigger else set()


def _candidate(ctx: Context, checked: Checked, tally: Tally, *, quiet: bool = False) -> Candidate | None:
    pull = checked.pull
    if checked.landing is None:
        if checked.reason is None:  # closed: merged by a run that was cut off before its answer, or by hand
            report_closed(ctx, pull)  # its label stays: a closed pull request is in no listing
            _answer_batch(ctx, pull)
            return None
        if quiet and checked.lapsed:
            _unqueue(ctx, checked)
            return None
        _drop(ctx, checked, checked.reason)
        if not checked.lapsed:
            tally.refused.append(pull.number)
        return None
    author = checked.landing.submitter or pull.author
    source = PullSource(pull.number, pull.head_sha, pull.base_ref, author)
    gathered = gather(ctx.api, source, ctx.config, ctx.data_dir)
    if gathered.moved:
        _drop(ctx, checked, MSG_MOVED.format(number=pull.number, head=pull.head_sha))
    elif not gathered.is_results_pr:
        _drop(ctx, checked, MSG_NOTHING.format(number=pull.number))
    elif gathered.blocked:
        problems = "; ".join(f"{f.message} [{f.rule}]" for f in gathered.blocked)
        _drop(ctx, checked, MSG_BLOCKED.format(number=pull.number, problems=escape(problems)))
        ctx.failed = True
    else:
        return Candidate(checked, checked.landing, gathered)
    tally.refused.append(pull.number)
    return None


def _answer_batch(ctx: Context, pull: PullInfo) -> None:
    """A re-run finds its pull request merged: answer on every pull request the same batch commit merged,
    since a run cut off after the branch update may have left them without their notice (they are not
    open, so no listing sees them). Only on this path; each is checked merged by that very commit."""
    if not (pull.merged and pull.merge_commit):
        return
    for number in batch_numbers(ctx.api.commit_message(pull.merge_commit)):
        if number != pull.number:
            other = ctx.api.pull(number)
            if other.merged and other.merge_commit == pull.merge_commit:
                report_closed(ctx, other)


def _drop(ctx: Context, checked: Checked, text: str) -> None:
    """Say why a queued pull request does not land, and take it out of the queue."""
    say(ctx, checked.pull.number, text, checked.comments)
    _unqueue(ctx, checked)


def _unqueue(ctx: Context, checked: Checked) -> None:
    """Take the label off (if it is on), then look again: an approval (or a push) that came after the
    check queued the pull request anew, perhaps just before the label came off — put it back for the
    next batch."""
    if LABEL_QUEUED not in checked.pull.labels:
        return
    number, head = checked.pull.number, checked.pull.head_sha
    ctx.api.remove_label(number, LABEL_QUEUED)
    pull = ctx.api.pull(number)
    back = pull.state == "open" and pull.head_sha != head  # a new head is worth a new check
    if not back and pull.state == "open" and checked.landing is None:
        # Refused for its approvals, not its content: has one that counts come since?
        back = recheck(ctx, pull, Permissions(ctx)).landing is not None
    if back:
        ctx.api.add_labels(number, [LABEL_QUEUED])


def _land_batch(ctx: Context, base_ref: str, candidates: list[Candidate], tally: Tally) -> None:
    """One commit for the whole batch, moved into place by compare-and-swap (re-planned if it loses)."""
    plan = Plan()
    for attempt in range(TRIES):
        base_sha, base_tree = _base(ctx, base_ref, first=attempt == 0)
        plan = plan_batch(ctx, base_sha, candidates)
        if not plan.accepted:
            break
        heads = [c.checked.pull.head_sha for c, _ in plan.accepted]
        commit = ctx.api.create_commit(commit_message(plan), base_tree, plan.texts, [base_sha, *heads])
        try:
            ctx.api.move_branch(base_ref, commit)
        except Conflict:  # another push won: re-read the base and plan again, without what it merged
            candidates = _still_open(ctx, candidates)
            plan = Plan()
            if not candidates:
                break
            continue
        except Refused as exc:  # protection or a ruleset: the same answer every time, so stop at once
            _refused(ctx, plan, MSG_PROTECTED, {"branch": base_ref, "reason": escape(str(exc))}, tally)
            break
        _merged(ctx, plan, commit, tally)
        break
    else:  # they stay queued: the next batch tries again
        _refused(ctx, plan, MSG_GAVE_UP, {"attempts": TRIES}, tally, keep=True)
    for candidate, outcome in plan.rejected:
        _reject(ctx, candidate, outcome, tally)


def _base(ctx: Context, base_ref: str, *, first: bool) -> tuple[str, str]:
    """(commit, tree) to build the batch on: at first the job's checkout, when it is of this branch (the
    workflow checked it out just before); else the branch tip as GitHub has it now.

    Building on the checkout is safe: the branch moves only as a fast-forward, so if anything pushed
    since the checkout, the update is refused as a lost race and the next try reads the tip.
    """
    if first and ctx.base_branch == base_ref and ctx.base_commit and ctx.base_tree:
        return ctx.base_commit, ctx.base_tree
    return ctx.api.branch_head(base_ref)


def _still_open(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates nobody merged meanwhile (a land job that overlapped this one answers on its own)."""
    return [c for c in candidates if not ctx.api.pull(c.landing.pull.number).merged]


def _merged(ctx: Context, plan: Plan, commit: str, tally: Tally) -> None:
    for candidate, outcome in plan.accepted:
        number = candidate.landing.pull.number
        text = MSG_MERGED.format(number=number, sha=commit) + audit(outcome, candidate.landing)
        comments = candidate.checked.comments
        # The answer is posted once, without a listing: a pull request just merged most likely has no
        # notice yet, and a create is never re-sent (a re-run finds a notice stored by a failed one).
        say(ctx, number, text, comments, once=comments is None)
        tally.merged.append(number)
        tally.outcomes.append(outcome)


def _refused(
    ctx: Context, plan: Plan, message: str, facts: dict[str, object], tally: Tally, *, keep: bool = False
) -> None:
    """The batch did not land: say so on each of its pull requests (a failed run)."""
    for candidate, _ in plan.accepted:
        number = candidate.landing.pull.number
        text = message.format(number=number, **facts)
        if keep:
            say(ctx, number, text, candidate.checked.comments)
        else:
            _drop(ctx, candidate.checked, text)
        tally.refused.append(number)
    ctx.failed = True


def _reject(ctx: Context, candidate: Candidate, outcome: Outcome, tally: Tally) -> None:
    if ctx.api.pull(candidate.landing.pull.number).merged:
        return  # an overlapping land job merged it after this one listed it: its entries are the "duplicates"
    if outcome.errors:
        refuse_invalid(ctx, candidate.landing, candidate.gathered, outcome)
    else:
        say(ctx, candidate.landing.pull.number, MSG_NOTHING.format(number=candidate.landing.pull.number))
    _unqueue(ctx, candidate.checked)
    tally.refused.append(candidate.landing.pull.number)


def _outputs(ctx: Context, tally: Tally) -> None:
    """merged / refused (JSON arrays), pull-request, and the entries the merged pull requests landed."""
    ctx.output("merged", json.dumps(tally.merged))
    ctx.output("refused", json.dumps(tally.refused))
    ctx.output("pull-request", ",".join(map(str, tally.merged)))
    if tally.merged:
        ctx.output("valid", ctx.outputs.get("valid", "true"))  # "false" when another one was invalid
        record_changes(ctx, tally.outcomes)
    if not tally.merged and not tally.refused:
        ctx.job_summary.append(MSG_EMPTY)
