"""What one try at a batch lands: each queued pull request evaluated against the base branch plus the
ones accepted before it, and the commit message that lists them. Pure after the reads of the data files."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.github.context import Context
from bot.github.landing import Landing, change_lines
from bot.github.pr_gather import Gathered
from bot.github.queue import Checked
from bot.github.records import pull_url
from bot.ledger.data_files import load_data_files
from bot.ledger.evaluate import Outcome, Submission, evaluate
from bot.ledger.merged import Limits, next_base
from bot.ledger.submission import Submitter

COMMIT_SUBJECT = "Merge leaderboard results from {numbers}"
SUBJECT = re.compile(r"Merge leaderboard results from (#\d+(?:, #\d+)*)")
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


def plan_batch(ctx: Context, base_sha: str, candidates: list[Candidate]) -> Plan:
    """Evaluate each pull request against the base plus those accepted before it (pure after the reads).

    The data files are loaded once; after each accepted pull request the next one is checked against
    the merged documents built from what the merge's proof read; the files are loaded again only where
    no such document could be built.
    """
    plan = Plan()
    read = _reader(ctx, base_sha, plan.texts)
    base, findings = load_data_files(read, ctx.data_dir, ctx.config)
    limits = Limits(ctx.config.max_data_file_bytes, ctx.config.max_depth)
    for candidate in candidates:
        outcome = _evaluate(ctx, candidate, base, findings)
        if outcome.errors or not outcome.merge.texts:
            plan.rejected.append((candidate, outcome))
            continue
        plan.accepted.append((candidate, outcome))
        plan.texts.update(outcome.merge.texts)
        advanced = next_base(base, outcome.merge, limits)  # the merged files, proven as loading reads them
        if advanced is None:
            base, findings = load_data_files(read, ctx.data_dir, ctx.config)
        else:
            base = advanced
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
            origin=pull_url(ctx.api.repository, landing.pull.number),
            submitted_at=landing.pull.opened_at,
        ),
        ctx.config,
        now=ctx.now,
        allow_changes=landing.allowed_by is not None,
    )


def commit_message(plan: Plan) -> str:
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


def batch_numbers(message: str) -> list[int]:
    """The pull requests a batch commit's message says it merged (none for any other message)."""
    match = SUBJECT.fullmatch(message.split("\n", 1)[0])
    return [int(number) for number in re.findall(r"\d+", match[1])] if match else []
