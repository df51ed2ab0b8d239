"""The land job: merge every queued pull request whose approval still counts, in ONE commit.

Runs serialized in one concurrency group (the review job's, the relay's and the merge command's land
jobs share it), so merges no longer race each other; compare-and-swap still guards the branch against
anything else that pushes. Each pull request is re-validated against the base plus the ones before it
in the batch; one that fails is reported on its own pull request and left out, the others land. The
commit's parents are the base tip and every merged head, so GitHub marks each pull request merged."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.fs import load_data_files
from bot.github.api import Conflict, Refused
from bot.github.context import Context
from bot.github.landing import (
    MSG_BLOCKED,
    MSG_GAVE_UP,
    MSG_MERGED,
    MSG_NOTHING,
    MSG_PROTECTED,
    Landing,
    audit,
    change_lines,
    refuse_invalid,
    report_closed,
    say,
)
from bot.github.pr_gather import Gathered, gather
from bot.github.queue import LABEL_QUEUED, Checked, recheck
from bot.github.steps import Permissions
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.submission import Submitter
from bot.render.markdown import escape

TRIES = 5  # lost compare-and-swaps: only pushes outside the queue can move the base under a batch
MSG_EMPTY = "No pull request is queued for merging: nothing to do."
COMMIT_SUBJECT = "Merge leaderboard results from {numbers}"
COMMIT_SECTION = "#{number}:\n{lines}"


@dataclass(frozen=True)
class Candidate:
    """A queued pull request whose approval counts, with its submission read."""

    checked: Checked
    landing: Landing
    gathered: Gathered


@dataclass
class Plan:
    """One try at a batch: what lands (with its outcome against the batch so far) and what does not."""

    accepted: list[tuple[Candidate, Outcome]] = field(default_factory=list)
    rejected: list[tuple[Candidate, Outcome]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    """What the run did, for the step outputs."""

    merged: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def land_queued(ctx: Context, trigger: int | None = None) -> Tally:
    """List the queue (one request), re-check each pull request, and land the batch per base branch.

    The queue is every pull request with the label, closed ones too: a merged pull request keeps the
    label until the bot has answered on it, so an answer lost with an interrupted run is given later.

    ``trigger``: the pull request whose review or command started this run, checked even when it is
    not labelled: a land job may have taken the label off just as this approval came, and a merged one
    (by an earlier run, perhaps one whose answers were lost) still gets its notice.
    """
    tally = Tally()
    permission = Permissions(ctx)
    batches: dict[str, list[Candidate]] = {}
    numbers = ctx.api.labelled(LABEL_QUEUED)
    if trigger is not None and trigger not in numbers:
        numbers.append(trigger)  # the label is a hint: this run's own approval is checked either way
    for number in numbers:
        candidate = _candidate(ctx, recheck(ctx, number, permission), tally)
        if candidate is not None:
            batches.setdefault(candidate.checked.pull.base_ref, []).append(candidate)
    for base_ref, candidates in batches.items():
        _land_batch(ctx, base_ref, candidates, tally)
    _outputs(ctx, tally)
    return tally


def _candidate(ctx: Context, checked: Checked, tally: Tally) -> Candidate | None:
    pull = checked.pull
    if checked.landing is None:
        if checked.reason is None:  # closed: merged by a run that was cut off before its answer, or by hand
            report_closed(ctx, pull)
            if LABEL_QUEUED in pull.labels:
                ctx.api.remove_label(pull.number, LABEL_QUEUED)
            return None
        _drop(ctx, checked, checked.reason)
        if not checked.lapsed:
            tally.refused.append(pull.number)
        return None
    author = checked.landing.submitter or pull.author
    gathered = gather(ctx.api, pull.number, pull.head_sha, pull.base_ref, ctx.config, ctx.data_dir, author)
    if not gathered.is_results_pr:
        _drop(ctx, checked, MSG_NOTHING.format(number=pull.number))
    elif gathered.blocked:
        problems = "; ".join(f"{f.message} [{f.rule}]" for f in gathered.blocked)
        _drop(ctx, checked, MSG_BLOCKED.format(number=pull.number, problems=escape(problems)))
        ctx.failed = True
    else:
        return Candidate(checked, checked.landing, gathered)
    tally.refused.append(pull.number)
    return None


def _drop(ctx: Context, checked: Checked, text: str) -> None:
    """Say why a queued pull request does not land, and take it out of the queue."""
    say(ctx, checked.pull.number, text, checked.comments)
    if LABEL_QUEUED in checked.pull.labels:
        _unqueue(ctx, checked)


def _unqueue(ctx: Context, checked: Checked) -> None:
    """Take the label off, then look again: an approval (or a push) that came after the check queued
    the pull request anew, perhaps just before the label came off — put it back for the next batch."""
    number, head = checked.pull.number, checked.pull.head_sha
    ctx.api.remove_label(number, LABEL_QUEUED)
    if checked.landing is None:  # refused for its approvals: has one that counts come since?
        again = recheck(ctx, number, Permissions(ctx))
        back = again.pull.state == "open" and (again.landing is not None or again.pull.head_sha != head)
    else:  # refused for its content (or the branch's protection): only a new head changes that
        pull = ctx.api.pull(number)
        back = pull.state == "open" and pull.head_sha != head
    if back:
        ctx.api.add_labels(number, [LABEL_QUEUED])


def _land_batch(ctx: Context, base_ref: str, candidates: list[Candidate], tally: Tally) -> None:
    """One commit for the whole batch, moved into place by compare-and-swap (re-planned if it loses)."""
    plan = Plan()
    for _ in range(TRIES):
        base_sha, base_tree = ctx.api.branch_head(base_ref)
        plan = _plan(ctx, base_sha, candidates)
        if not plan.accepted:
            break
        heads = [c.checked.pull.head_sha for c, _ in plan.accepted]
        commit = ctx.api.create_commit(_message(plan), base_tree, plan.texts, [base_sha, *heads])
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


def _still_open(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates nobody merged meanwhile (a land job that overlapped this one answers on its own)."""
    return [c for c in candidates if not ctx.api.pull(c.landing.pull.number).merged]


def _merged(ctx: Context, plan: Plan, commit: str, tally: Tally) -> None:
    for candidate, outcome in plan.accepted:
        number = candidate.landing.pull.number
        text = MSG_MERGED.format(number=number, sha=commit) + audit(outcome, candidate.landing)
        comments = candidate.checked.comments
        say(ctx, number, text, comments, fresh=comments is None)
        # The label comes off only now: a run cut off before this answer leaves the merged pull request
        # labelled, and the next land job lists it and answers.
        ctx.api.remove_label(number, LABEL_QUEUED)
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
    if LABEL_QUEUED in candidate.checked.pull.labels:
        _unqueue(ctx, candidate.checked)
    tally.refused.append(candidate.landing.pull.number)


def _plan(ctx: Context, base_sha: str, candidates: list[Candidate]) -> Plan:
    """Evaluate each pull request against the base plus those accepted before it (pure after the reads)."""
    plan = Plan()
    read = _reader(ctx, base_sha, plan.texts)
    for candidate in candidates:
        base, findings = load_data_files(read, ctx.data_dir, ctx.config)
        outcome = _evaluate(ctx, candidate, base, findings)
        if outcome.errors or not outcome.merge.texts:
            plan.rejected.append((candidate, outcome))
            continue
        plan.accepted.append((candidate, outcome))
        plan.texts.update(outcome.merge.texts)
    return plan


def _reader(ctx: Context, base_sha: str, texts: dict[str, str]) -> Callable[[str], bytes]:
    """The data files as the batch has made them so far; each base file is read once, from the job's
    checkout when it holds the base tip (the usual case: land jobs run one at a time), else from GitHub."""
    read: dict[str, bytes] = {}
    local = ctx.base_commit == base_sha

    def reader(path: str) -> bytes:
        if path in texts:
            return texts[path].encode("utf-8")
        if path not in read:
            read[path] = ctx.read_base(path) if local else ctx.api.read(path, base_sha).data
        return read[path]

    return reader


def _evaluate(
    ctx: Context, candidate: Candidate, base: dict[str, Document], findings: list[Finding]
) -> Outcome:
    gathered, landing = candidate.gathered, candidate.landing
    return evaluate(
        base,
        Submission(
            gathered.documents,
            head=gathered.head or None,
            edit_base=gathered.edit_base,
            submitter=Submitter(landing.submitter or landing.pull.author),
            load_findings=[*gathered.findings, *findings],
        ),
        ctx.config,
        now=ctx.now,
        allow_changes=landing.allowed_by is not None,
    )


def _message(plan: Plan) -> str:
    """The commit message: every pull request of the batch and the entries it lands."""
    numbers = [c.landing.pull.number for c, _ in plan.accepted]
    subject = COMMIT_SUBJECT.format(numbers=", ".join(f"#{n}" for n in numbers))
    if len(plan.accepted) == 1:
        ((candidate, outcome),) = plan.accepted
        return f"{subject}\n\n{change_lines(outcome, candidate.landing)}\n"
    sections = [
        COMMIT_SECTION.format(number=c.landing.pull.number, lines=change_lines(o, c.landing))
        for c, o in plan.accepted
    ]
    return subject + "\n\n" + "\n\n".join(sections) + "\n"


def _outputs(ctx: Context, tally: Tally) -> None:
    """merged / refused (JSON arrays), pull-request, and the entries the merged pull requests landed."""
    kinds: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for outcome in tally.outcomes:
        for change in outcome.merge.changes:
            kinds["added" if change.kind in ("added", "replaced") else change.kind].append(change.entry_id)
    ctx.output("merged", json.dumps(tally.merged))
    ctx.output("refused", json.dumps(tally.refused))
    ctx.output("pull-request", ",".join(map(str, tally.merged)))
    if tally.merged:
        ctx.output("valid", ctx.outputs.get("valid", "true"))  # "false" when another one was invalid
        for kind, ids in kinds.items():
            ctx.output(kind, json.dumps(sorted(ids)))
    if not tally.merged and not tally.refused:
        ctx.job_summary.append(MSG_EMPTY)
