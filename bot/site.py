"""Static leaderboard page: ``leaderboard-bot site --out DIR``.

The page is self-contained (no CDN, no network at view time): the entries are embedded in the HTML as a
``<script type="application/json">`` block so that the page also works when opened from ``file://``.
All rendering happens in ``app.js``, which only ever writes entry text through ``textContent``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from bot import __version__

SINGLE_FILE = "leaderboard_single.json"
MULTI_FILE = "leaderboard_multi.json"
# Scripts load in this order; each adds to the ``window.LB`` namespace (no modules: they fail on file://).
SCRIPTS = ("core.js", "chart.js", "details.js", "app.js")
STYLES = ("style.css",)
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
# Characters that could end the <script> element or open an HTML comment; \u escapes are valid JSON.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class SiteError(Exception):
    """A problem with the input data that the user can fix (reported without a traceback)."""


def _asset(name: str) -> str:
    """Return the text of one packaged file from ``bot/site_assets``."""
    return (resources.files("bot") / "site_assets" / name).read_text(encoding="utf-8")


def embed_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe to place inside a ``<script>`` element."""
    # allow_nan=False: NaN/Infinity are not JSON and would make JSON.parse fail in the browser.
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def _render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``{{name}}`` placeholders in one pass, so inserted text is never scanned again."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def build_site(
    single: list[dict[str, Any]], multi: list[dict[str, Any]], generated_at: str | None = None
) -> dict[str, str]:
    """Build the page from the two entry lists; returns file name -> file content (deterministic)."""
    assets = {name: _asset(name) for name in (*SCRIPTS, *STYLES)}
    # A content hash in the asset URLs keeps browsers from pairing a new index.html with a stale app.js.
    digest = hashlib.sha256("".join(assets[n] for n in sorted(assets)).encode()).hexdigest()[:12]
    payload = {"single": single, "multi": multi, "generated_at": generated_at, "version": __version__}
    stamp = f"Generated {generated_at} · " if generated_at else ""
    index = _render(
        _asset("index.html"),
        {
            "styles": "".join(f'<link rel="stylesheet" href="{n}?v={digest}">' for n in STYLES),
            "scripts": "".join(f'<script src="{n}?v={digest}" defer></script>' for n in SCRIPTS),
            "data_json": embed_json(payload),
            "single_count": str(len(single)),
            "multi_count": str(len(multi)),
            "footer": html.escape(f"{stamp}leaderboard-bot {__version__}"),
        },
    )
    return {"index.html": index, **assets}


def _load_entries(path: Path) -> list[dict[str, Any]]:
    """Read one data file as plain JSON (never YAML, never code) and check it is a list of objects."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM left by Windows editors
    except FileNotFoundError:
        raise SiteError(f"{path}: data file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"{path}: cannot read: {exc}") from None

    def reject_constant(name: str) -> None:
        raise ValueError(f"{name} is not valid JSON")

    try:
        data = json.loads(text, parse_constant=reject_constant)
    except ValueError as exc:
        raise SiteError(f"{path}: invalid JSON: {exc}") from None
    if not isinstance(data, list):
        raise SiteError(f"{path}: expected a JSON array of entries, got {type(data).__name__}")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise SiteError(f"{path}: entry [{i}] is {type(entry).__name__}, expected an object")
    return data


def _generated_at() -> str:
    """Build time in UTC; honours SOURCE_DATE_EPOCH so rebuilding the same data gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_site(files: Mapping[str, str], out: Path) -> list[Path]:
    """Write every file to ``out``: all temp files first, then one rename each (no half-written page)."""
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in sorted(files.items()):
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            staged.append((name, Path(tmp_name)))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
            os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; Pages and web servers need world-readable files
        written = []
        for name, tmp in staged:
            os.replace(tmp, out / name)
            written.append(out / name)
        return written
    finally:
        for _, leftover in staged:  # only left behind if something failed before its rename
            leftover.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    """Entry point of ``leaderboard-bot site``: read the data dir, write the page, print what was written."""
    data_dir = Path(args.data_dir)
    try:
        single = _load_entries(data_dir / SINGLE_FILE)
        multi = _load_entries(data_dir / MULTI_FILE)
        files = build_site(single, multi, generated_at=_generated_at())
    except SiteError as exc:
        print(f"leaderboard-bot site: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. a float that JSON cannot represent
        print(f"leaderboard-bot site: error: cannot embed data: {exc}", file=sys.stderr)
        return 2
    try:
        written = write_site(files, Path(args.out))
    except OSError as exc:
        print(f"leaderboard-bot site: error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"{len(single)} single-node and {len(multi)} multi-node entries")
    return 0
