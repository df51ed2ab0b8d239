"""Turn a submitted issue form into a submission document for the pipeline. Pure.

Either the pasted entry is read (JSON or YAML, through the loader so every hygiene check applies)
or an entry is built from the fields. The result is one document named like the file the bot
commits (``data/submissions/issue-<N>.json``); ``reword`` then turns the pipeline's findings about
that document back into the words of the form: the field's label and the line in the issue.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.contract.config import Config
from bot.contract.document import MSG_SURROGATE, Document, hygiene
from bot.contract.findings import Finding, Pointer
from bot.contract.loader import load_bytes
from bot.contract.locate import LineIndex
from bot.contract.ruletable import RULES
from bot.form.fields import BY_ID, CONFIRM, CONFIRM_OPTION, MANUAL, PASTE, FormField
from bot.form.manual import FORM_FILE, FORM_RULE, build_manual, form_finding
from bot.form.parse import ParsedForm, checked, missing_notes, parse_form
from bot.ledger.submission import SUBMISSIONS_DIR

Mode = Literal["paste", "manual", "none"]
MSG_NEITHER = "the issue has neither a pasted entry nor the fields of an entry"
HINT_NEITHER = f'edit the issue: paste an entry into "{PASTE.label}", or fill in the fields below it'
MSG_BOTH = "an entry is pasted and fields are filled in too ({fields})"
HINT_BOTH = f'edit the issue and keep one: clear "{PASTE.label}", or clear the other fields'
MSG_UNCONFIRMED = "the confirmation is not ticked"
HINT_UNCONFIRMED = f'edit the issue and tick "{CONFIRM_OPTION}" if it is true'
MSG_SUBMITTER_CLAIM = (
    "metadata.submitter is {claimed}, but the submitter of this issue is its author, {author}"
)
MSG_PASTE_AT = "{label}, line {line}: {message}"
# Findings about these places of a built entry belong to the field that decides them.
ALIASES: dict[Pointer, str] = {
    ("config_type",): "chip_count",
    ("cluster",): "node_count",
    ("hardware",): "interconnect",  # needs interconnect or intra_node_interconnect
    ("hardware", "intra_node_interconnect"): "interconnect",
    ("hardware", "total_memory_gb"): "memory_per_chip_gb",
}


@dataclass
class FormSubmission:
    """What an issue form submits: the document for the pipeline and the form's own findings."""

    number: int
    path: str
    mode: Mode
    parsed: ParsedForm
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    text: str | None = None


def entry_id_for_issue(repo: str, number: int, index: int = 0) -> str:
    """A stable entry_id per issue (uuid5), so edits of the issue update the same entry."""
    suffix = f"#{index}" if index else ""
    name = f"https://github.com/{repo.strip().lower()}/issues/{number}{suffix}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def submission_path(number: int) -> str:
    """The file the bot commits for an issue: data/submissions/issue-<N>.json."""
    return f"{SUBMISSIONS_DIR}/issue-{number}.json"


def build_submission(
    body: str, *, repo: str, number: int, author: str, config: Config | None = None
) -> FormSubmission:
    """Parse the issue body and build the submission document (None when there is no entry)."""
    surrogate = re.search("[\ud800-\udfff]", body)
    if surrogate is not None:  # cannot be encoded as UTF-8: nothing in the body can be used
        line, col = LineIndex(body).line_col(surrogate.start())
        finding = hygiene(FORM_FILE, "LB004", MSG_SURROGATE.format(code=ord(surrogate.group())), line, col)
        return FormSubmission(number, submission_path(number), "none", parse_form(""), findings=[finding])
    parsed = parse_form(body)
    # A heading deleted from the issue is not an empty answer: say so, so the submitter restores it.
    notes = [*parsed.notes, *missing_notes(parsed)]
    submission = FormSubmission(number, submission_path(number), "none", parsed, notes=notes)
    filled = [f.label for f in MANUAL if _filled(f, parsed)]
    paste = parsed.values.get(PASTE.id)
    if CONFIRM_OPTION not in checked(parsed.values.get(CONFIRM.id)):
        submission.findings.append(form_finding(CONFIRM, parsed, "error", MSG_UNCONFIRMED, HINT_UNCONFIRMED))
    if paste is not None and filled:
        shown = ", ".join(f'"{label}"' for label in filled[:3]) + (", ..." if len(filled) > 3 else "")
        submission.findings.append(
            form_finding(PASTE, parsed, "error", MSG_BOTH.format(fields=shown), HINT_BOTH)
        )
    elif paste is not None:
        _from_paste(submission, paste, (repo, author), config or Config())
    elif filled:
        _from_fields(submission, repo, author)
    else:
        submission.findings.append(form_finding(PASTE, parsed, "error", MSG_NEITHER, HINT_NEITHER))
    submission.findings.sort(key=lambda f: (f.file, f.line or 0))
    return submission


def _filled(form_field: FormField, parsed: ParsedForm) -> bool:
    value = parsed.values.get(form_field.id)
    return value is not None and value.strip() != (form_field.default or "")


def _from_paste(submission: FormSubmission, text: str, origin: tuple[str, str], config: Config) -> None:
    """The pasted entries, given their ids and the issue's author as submitter (``origin``: repo, author)."""
    repo, author = origin
    submission.mode = "paste"
    kind: Literal["json", "yaml"] = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    result = load_bytes(
        submission.path,
        text.encode(),
        max_bytes=config.max_submission_bytes,
        max_depth=config.max_depth,
        kind=kind,
    )
    submission.findings += [_paste_finding(f, submission) for f in result.findings]
    document = result.checkable
    if document is None:
        return
    for index, (pointer, entry) in enumerate(document.entries()):
        if isinstance(entry, dict) and "entry_id" not in entry:
            entry["entry_id"] = entry_id_for_issue(repo, submission.number, index)
        if isinstance(entry, dict):
            submission.findings += [_paste_finding(f, submission) for f in _own(document, pointer, author)]
    submission.document = document
    submission.text = json.dumps(document.data, indent=2, ensure_ascii=False) + "\n"


def _own(document: Document, pointer: Pointer, author: str) -> list[Finding]:
    """Make the issue's author the submitter of the entry at ``pointer``; LB207 when it named another."""
    entry = document.data if not pointer else document.data[pointer[0]]
    metadata = entry.get("metadata")
    if not isinstance(metadata, dict):
        return []  # the schema reports a missing or malformed metadata
    claimed = metadata.get("submitter")
    metadata["submitter"] = author
    if claimed is None or claimed == author:
        return []
    at = (*pointer, "metadata", "submitter")
    line, col = document.locator.position(at)
    message = MSG_SUBMITTER_CLAIM.format(claimed=json.dumps(claimed, ensure_ascii=False), author=author)
    rule = RULES["LB207"]
    return [Finding(document.file, at, rule.id, rule.severity, message, rule.hint, line, col)]


def _from_fields(submission: FormSubmission, repo: str, author: str) -> None:
    submission.mode = "manual"
    manual = build_manual(submission.parsed, author, entry_id_for_issue(repo, submission.number))
    submission.findings += manual.findings
    submission.failed = manual.failed
    text = json.dumps(manual.entry, indent=2, ensure_ascii=False) + "\n"
    result = load_bytes(submission.path, text.encode(), max_bytes=len(text.encode()) + 1, max_depth=64)
    submission.document, submission.text = result.document, text


def file_text(submission: FormSubmission) -> str:
    """The exact text to commit as data/submissions/issue-<N>.json (ValueError if no entry)."""
    if submission.text is None:
        raise ValueError("the issue form produced no entry")
    return submission.text


def _form_field(pointer: Pointer) -> FormField | None:
    for form_field in MANUAL:
        if form_field.pointer == tuple(pointer):
            return form_field
    alias = ALIASES.get(tuple(pointer))
    return BY_ID[alias] if alias else None


def field_for(pointer: Pointer) -> str | None:
    """The label of the form field a place of a built entry comes from (None: no single field)."""
    form_field = _form_field(pointer)
    return form_field.label if form_field else None


def reword(findings: Sequence[Finding], submission: FormSubmission) -> list[Finding]:
    """The pipeline's findings about the submission's document, in the words of the form.

    Findings about other files pass unchanged; findings about a field that already has a
    form-level error are dropped (the form's message says it better).
    """
    document = submission.document
    reworded: list[Finding] = []
    for finding in findings:
        if document is None or finding.file != document.file:
            reworded.append(finding)
        elif submission.mode == "paste":
            reworded.append(_paste_finding(finding, submission))
        else:
            form_field = _form_field(finding.pointer)
            if form_field is None or form_field.id not in submission.failed:
                reworded.append(_field_finding(finding, form_field, submission.parsed))
    return reworded


def _paste_finding(finding: Finding, submission: FormSubmission) -> Finding:
    """A finding in the pasted text: its line within the paste, named after the paste field."""
    if finding.line is None:
        message = f"{PASTE.label}: {finding.message}"
    else:
        message = MSG_PASTE_AT.format(label=PASTE.label, line=finding.line, message=finding.message)
    return dataclasses.replace(finding, file=FORM_FILE, message=message)


def _field_finding(finding: Finding, form_field: FormField | None, parsed: ParsedForm) -> Finding:
    if form_field is None:
        return dataclasses.replace(finding, file=FORM_FILE, line=None, column=None)
    message = f"{form_field.label}: {finding.message}"
    line = parsed.lines.get(form_field.id)
    return dataclasses.replace(finding, file=FORM_FILE, message=message, line=line, column=None)


__all__ = [
    "FORM_FILE",
    "FORM_RULE",
    "FormSubmission",
    "build_submission",
    "entry_id_for_issue",
    "field_for",
    "file_text",
    "reword",
    "submission_path",
]
