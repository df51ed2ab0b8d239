"""Files generated from the schema (the field reference, the issue form): write them, or check
that the committed copies are current."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

MSG_STALE = "{path} is stale: run `leaderboard-bot {command}` and commit the result"


def write_or_check(outputs: Mapping[Path, str], *, check: bool, command: str) -> int:
    """With ``check``: exit 1 when any file differs from its generated text; else write them all."""
    if check:
        stale = [path for path, text in outputs.items() if _read(path) != text]
        for path in stale:
            print(MSG_STALE.format(path=path, command=command), file=sys.stderr)
        if not stale:
            print(f"{', '.join(map(str, outputs))}: up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # atomic: a reader never sees half a file
        print(f"wrote {path}")
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
