"""``leaderboard-bot site --out DIR``: read the data directory, build the page, write it atomically."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.contract.config import MAX_DEPTH_BOUND
from bot.contract.findings import json_path
from bot.contract.loader import load_bytes
from bot.fs import write_site
from bot.render.report import text_line
from bot.site.build import MULTI_FILE, REPO_URL, SINGLE_FILE, SiteError, build_site

MSG_UNREADABLE = "{path}: cannot be read ({reason})"
MSG_NOT_UTF8 = "{path}: not UTF-8 text (the byte at offset {offset}); save the data file as UTF-8"
MSG_NOT_WRITTEN = (
    "leaderboard-bot site: error: {out}: cannot be written ({reason}); nothing was written "
    "(pass --out a folder you can write to)"
)
MSG_BAD_ENV_REPO = (
    "GITHUB_SERVER_URL and GITHUB_REPOSITORY give {url!r}, which is no repository URL such as "
    "https://github.com/OWNER/REPO: correct them (GITHUB_REPOSITORY is OWNER/REPO), or pass --repo-url"
)
MSG_BAD_DATA = "{path}: the data file cannot be published; fix it (`leaderboard-bot validate` says the same):"
MSG_NOT_ENTRY = "{path}:{line}:{column}: {at} is not an object: a data file is an array of entry objects"
MSG_OUT_IS_FILE = "a file, where --out names the folder the page goes into"
MSG_OUT_IS_DATA = (
    "leaderboard-bot site: error: {out}: the data folder itself; the page would be written among the data "
    "files: pass --out another folder (such as _site)"
)
MSG_OUT_EMPTY = (
    "leaderboard-bot site: error: --out is empty: name the folder the page goes into (such as _site)"
)


def load_entries(path: Path) -> tuple[list[dict[str, Any]], str]:
    """Read one data file as plain JSON (never YAML, never code) and check it is a list of objects;
    with its text, which the page publishes as it is. Read by the validator's loader, so a repeated key,
    NaN or 1e999 is refused at its line and column as ``validate`` refuses it."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM left by Windows editors
    except FileNotFoundError:
        raise SiteError(f"{path}: data file not found") from None
    except OSError as exc:
        raise SiteError(MSG_UNREADABLE.format(path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError as exc:
        raise SiteError(MSG_NOT_UTF8.format(path=path, offset=exc.start)) from None
    raw = text.encode("utf-8")
    result = load_bytes(str(path), raw, max_bytes=len(raw) + 1, max_depth=MAX_DEPTH_BOUND, kind="json")
    if result.findings or result.document is None:
        raise SiteError("\n".join([MSG_BAD_DATA.format(path=path), *map(text_line, result.findings)]))
    doc = result.document
    if not isinstance(doc.data, list):
        raise SiteError(f"{path}:1:1: expected a JSON array of entries, got {type(doc.data).__name__}")
    for pointer, entry in doc.entries():
        if not isinstance(entry, dict):
            line, column = doc.locator.position(pointer)
            raise SiteError(MSG_NOT_ENTRY.format(path=path, line=line, column=column, at=json_path(pointer)))
    return doc.data, text


def _generated_at() -> str:
    """Build time in UTC; honours SOURCE_DATE_EPOCH so rebuilding the same data gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _repo_url(args: argparse.Namespace) -> str | None:
    """--repo-url, else the repository of the running GitHub Actions workflow, else none."""
    if getattr(args, "repo_url", None):
        return str(args.repo_url).rstrip("/")
    server, repo = os.environ.get("GITHUB_SERVER_URL", ""), os.environ.get("GITHUB_REPOSITORY", "")
    if not (server and repo):
        return None
    url = f"{server.rstrip('/')}/{repo}"
    if not REPO_URL.fullmatch(url):  # not the user's --repo-url: say which variables gave it
        raise SiteError(MSG_BAD_ENV_REPO.format(url=url))
    return url


def run(args: argparse.Namespace) -> int:
    """Entry point of ``leaderboard-bot site``: read the data dir, write the page, print what was written."""
    data_dir, out = Path(args.data_dir), Path(args.out)
    if not str(args.out).strip():
        print(MSG_OUT_EMPTY, file=sys.stderr)
        return 2
    if out.is_dir() and data_dir.is_dir() and os.path.samefile(out, data_dir):
        print(MSG_OUT_IS_DATA.format(out=out), file=sys.stderr)
        return 2
    try:
        single, single_text = load_entries(data_dir / SINGLE_FILE)
        multi, multi_text = load_entries(data_dir / MULTI_FILE)
        files = build_site(single, multi, generated_at=_generated_at(), repo_url=_repo_url(args))
        # The page links to the data files as they are in the repository, not re-written.
        files.update({SINGLE_FILE: single_text, MULTI_FILE: multi_text})
    except SiteError as exc:  # the loader refuses what JSON cannot carry (NaN, 1e999), so the page embeds all
        print(f"leaderboard-bot site: error: {exc}", file=sys.stderr)
        return 2
    try:
        written = write_site(files, out)
    except OSError as exc:
        reason = MSG_OUT_IS_FILE if out.exists() and not out.is_dir() else exc.strerror or str(exc)
        print(MSG_NOT_WRITTEN.format(out=out, reason=reason), file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"{len(single)} single-node and {len(multi)} multi-node entries")
    return 0
