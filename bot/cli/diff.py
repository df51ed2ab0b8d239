"""``leaderboard-bot diff BASE_DIR HEAD_DIR``: which entries two data directories add, remove and change."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from bot.contract.config import Config
from bot.contract.document import Document, json_kind
from bot.contract.findings import json_path
from bot.contract.validate import InputError
from bot.fs import load_data_dir
from bot.ledger.diff import DataDiff, EntriesById, copy_counts, diff_entries, index_entries
from bot.render.markdown import code, escape
from bot.render.plain import visible
from bot.render.report import text_line

MSG_UNREADABLE = "{directory}: the data files cannot be read; run `leaderboard-bot validate {directory}`"
MSG_NOT_ENTRIES = (
    "{directory}: the data files hold items that are not entries with a text entry_id, which diff cannot "
    "compare by id (it would show them as removed); fix them: run `leaderboard-bot validate {directory}`"
)
MSG_NOT_ENTRY = "{file}:{line}:{column}: error: {path}: {what}, not an entry with a text entry_id"


def _index(directory: str) -> tuple[EntriesById, dict[str, int]]:
    """The entries of a data directory by id, and the ids it holds more than once (with their count)."""
    documents, findings = load_data_dir(directory, Config(max_data_file_bytes=1 << 40))
    if findings:
        details = "\n".join(text_line(f) for f in findings)
        raise InputError(MSG_UNREADABLE.format(directory=directory) + "\n" + details)
    unusable = [line for doc in documents.values() for line in _not_entries(doc)]
    if unusable:
        raise InputError(MSG_NOT_ENTRIES.format(directory=directory) + "\n" + "\n".join(unusable))
    files = {path.rsplit("/", 1)[-1]: doc.data for path, doc in documents.items()}
    return index_entries(files), copy_counts(files)


def _not_entries(doc: Document) -> Iterator[str]:
    """A located line for each item of a data file that is no entry object with a text id."""
    for pointer, item in doc.entries():
        if isinstance(item, dict) and isinstance(item.get("entry_id"), str):
            continue
        line, column = doc.locator.position(pointer)
        place = {"file": doc.file, "line": line, "column": column, "path": json_path(pointer)}
        yield visible(MSG_NOT_ENTRY.format(**place, what=_what(item)))


def _what(item: object) -> str:
    if not isinstance(item, dict):
        return json_kind(item)
    if "entry_id" not in item:
        return "an object without entry_id"
    return f"an object whose entry_id is {json_kind(item['entry_id'])}"


def run(args: argparse.Namespace) -> int:
    """Print the difference; exit 0, or 2 when a directory cannot be read."""
    try:
        (base, base_copies), (head, head_copies) = _index(args.base), _index(args.head)
        result = diff_entries(base, head, (base_copies, head_copies))
    except InputError as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    renderers = {"json": render_json, "markdown": render_markdown, "text": render_text}
    sys.stdout.write(renderers[args.format](result))
    return 0


def render_json(result: DataDiff) -> str:
    """The documented JSON shape, ids sorted."""
    return json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"


def render_text(result: DataDiff) -> str:
    """One line per entry (+ added, - removed, ~ changed) and one per changed field."""
    lines = [f"+ {key} ({result.added[key][0]})" for key in sorted(result.added)]
    lines += [f"- {key} ({result.removed[key][0]})" for key in sorted(result.removed)]
    for key in sorted(result.changed):
        lines.append(f"~ {key}")
        lines += [f"    {c.path}: {json.dumps(c.old)} -> {json.dumps(c.new)}" for c in result.changed[key]]
    counts = f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed"
    return "\n".join([*map(visible, lines), counts]) + "\n"


def render_markdown(result: DataDiff) -> str:
    """A short Markdown list for pull request descriptions; user text escaped."""
    lines = [
        f"**{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed**",
        "",
    ]
    lines += [f"- ➕ {code(key)} in {code(result.added[key][0])}" for key in sorted(result.added)]
    lines += [f"- ➖ {code(key)} from {code(result.removed[key][0])}" for key in sorted(result.removed)]
    for key in sorted(result.changed):
        lines.append(f"- ✏️ {code(key)}")
        for change in result.changed[key]:
            old, new = json.dumps(change.old)[:80], json.dumps(change.new)[:80]
            lines.append(f"  - {code(change.path)}: {escape(old)} → {escape(new)}")
    return "\n".join(lines) + "\n"
