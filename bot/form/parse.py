"""Read a submitted issue form back from the issue body. Pure.

GitHub writes each field as ``### <label>``, a blank line and the value, in form order; empty
fields read ``_No response_``; textareas with ``render`` become fenced code blocks; checkboxes
become ``- [X] option`` lines. People edit the body afterwards, so the body is split only at the
headings of known labels (the first one of each, preferring headings outside code blocks): a
``### Something`` or ``_No response_`` typed inside a value stays part of that value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.form.fields import FIELDS, FormField

NO_RESPONSE = "_No response_"
NOTE_UNKNOWN = 'the section "### {title}" (line {line}) is not a field of the form and was ignored'
NOTE_PREAMBLE = "the text before the first field (line {line}) is not part of the form and was ignored"
NOTE_MISSING = 'the field "{label}" is missing from the issue'

_HEADING = re.compile(r"^ {0,3}###[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_CHECKBOX = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s*(.*?)\s*$")


@dataclass
class ParsedForm:
    """Field values by id (None: empty or missing), the body line of each value, and notes."""

    values: dict[str, str | None]
    lines: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def present(self, field_id: str) -> bool:
        """Whether the body has the field's heading."""
        return field_id in self.lines


@dataclass(frozen=True)
class _Heading:
    index: int
    title: str
    fenced: bool


def label_key(text: str) -> str:
    """A label as compared with headings: case and runs of spaces do not matter."""
    return " ".join(text.split()).casefold()


def parse_form(body: str, fields: Sequence[FormField] = FIELDS) -> ParsedForm:
    """Split an issue body into the values of the form's fields."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    known = {label_key(f.label): f for f in fields}
    headings = _headings(lines)
    starts = _boundaries(headings, known)
    parsed = ParsedForm({f.id: None for f in fields})
    order = sorted(starts.items(), key=lambda item: item[1])
    first = order[0][1] if order else len(lines)
    preamble = next((i for i in range(first) if lines[i].strip()), None)
    if preamble is not None:
        parsed.notes.append(NOTE_PREAMBLE.format(line=preamble + 1))
    ends = [index for _, index in order[1:]] + [len(lines)] * bool(order)
    by_id = {f.id: f for f in fields}
    for (field_id, start), end in zip(order, ends, strict=True):
        _read(parsed, by_id[field_id], lines, start + 1, end, headings)
    return parsed


def _headings(lines: list[str]) -> list[_Heading]:
    """Every ``###`` heading, and whether it sits inside a fenced code block."""
    found: list[_Heading] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        fence = _fence_after(fence, line)
        heading = _HEADING.match(line)
        if heading:
            found.append(_Heading(index, heading.group(1), fence is not None))
    return found


def _fence_after(fence: str | None, line: str) -> str | None:
    """The open fence after ``line`` (CommonMark: a closing fence is as long and has no info)."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    marker, info = match.group(1), match.group(2)
    if fence is None:
        return None if marker[0] == "`" and "`" in info else marker
    closes = marker[0] == fence[0] and len(marker) >= len(fence) and not info.strip()
    return None if closes else fence


def _boundaries(headings: list[_Heading], known: dict[str, FormField]) -> dict[str, int]:
    """The line of each known field's heading: the first outside code blocks, else the first."""
    starts: dict[str, int] = {}
    fenced: dict[str, int] = {}
    for heading in headings:
        form_field = known.get(label_key(heading.title))
        if form_field is None:
            continue
        target = fenced if heading.fenced else starts
        target.setdefault(form_field.id, heading.index)
    for field_id, index in fenced.items():
        starts.setdefault(field_id, index)
    return starts


def _read(
    parsed: ParsedForm,
    form_field: FormField,
    lines: list[str],
    start: int,
    end: int,
    headings: list[_Heading],
) -> None:
    """Store one field's value; single-line fields end at an unknown heading (noted, ignored)."""
    if form_field.kind != "textarea":
        for heading in headings:
            if start <= heading.index < end and not heading.fenced:
                parsed.notes.append(NOTE_UNKNOWN.format(title=heading.title, line=heading.index + 1))
                end = heading.index
                break
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    value_lines = lines[start:end]
    if form_field.render is not None:
        value_lines, dropped = strip_fence(value_lines)
        start += dropped
    text = "\n".join(value_lines).strip("\n")
    parsed.lines[form_field.id] = start + 1
    if text.strip() and text.strip() != NO_RESPONSE:
        parsed.values[form_field.id] = text


def strip_fence(lines: list[str]) -> tuple[list[str], int]:
    """Remove code fences around the whole value (GitHub's ``render`` block, maybe nested)."""
    dropped = 0
    while len(lines) >= 2:
        opening, closing = _FENCE.match(lines[0]), _FENCE.match(lines[-1])
        if not (opening and closing and not closing.group(2).strip()):
            break
        if closing.group(1)[0] != opening.group(1)[0] or len(closing.group(1)) < len(opening.group(1)):
            break
        lines, dropped = lines[1:-1], dropped + 1
    return lines, dropped


def checked(value: str | None) -> list[str]:
    """The options ticked in a checkboxes value (``- [X] option``, either case of x)."""
    if value is None:
        return []
    ticked = []
    for line in value.split("\n"):
        match = _CHECKBOX.match(line)
        if match and match.group(1) in "xX":
            ticked.append(match.group(2))
    return ticked


def missing_notes(parsed: ParsedForm, fields: Sequence[FormField] = FIELDS) -> list[str]:
    """A note for each field whose heading is not in the body at all."""
    return [NOTE_MISSING.format(label=f.label) for f in fields if not parsed.present(f.id)]
