"""Lay a ref's files from the GitHub REST API into GITHUB_WORKSPACE; stdlib only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

API, REPOSITORY = os.environ["GITHUB_API_URL"], os.environ["REPOSITORY"]
HEADERS = {"Authorization": f"Bearer {os.environ['TOKEN']}", "X-GitHub-Api-Version": "2022-11-28"}


def get(path: str, raw: bool = False) -> Any:
    """GET one API path (JSON, or the raw bytes of a blob)."""
    accept = "application/vnd.github.raw" if raw else "application/vnd.github+json"
    request = urllib.request.Request(f"{API}/repos/{REPOSITORY}{path}", headers={**HEADERS, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(
            f"checkout: GET {request.full_url} answered {exc.code}: {exc.read()[:200]!r}"
        ) from exc
    return data if raw else json.loads(data)


def event_ref() -> str:
    """The ref actions/checkout defaults to: the event's GITHUB_REF (its SHA when the ref is not a branch)."""
    ref = os.environ.get("GITHUB_REF", "")
    return ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else ref


def main() -> int:
    ref = os.environ.get("REF") or event_ref()
    commit = get(f"/commits/{quote(ref, safe='')}")
    tree = get(f"/git/trees/{commit['commit']['tree']['sha']}?recursive=1")
    workspace = Path(os.environ["GITHUB_WORKSPACE"])
    for item in tree["tree"]:
        if item["type"] != "blob":
            continue
        target = workspace / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        data = get(f"/git/blobs/{item['sha']}", raw=True)
        if item["mode"] == "120000":
            target.symlink_to(data.decode())
            continue
        target.write_bytes(data)
        if item["mode"] == "100755":
            target.chmod(0o755)
    date = commit["commit"]["committer"]["date"]
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (
        ["init", "-q", "-b", ref if "/" not in ref and len(ref) != 40 else "main"],
        ["add", "-A"],
        ["-c", "user.name=checkout", "-c", "user.email=checkout@localhost", "commit", "-q", "-m", ref],
    ):
        subprocess.run(["git", *args], cwd=workspace, env=env, check=True)
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as outputs:
        outputs.write(f"commit={commit['sha']}\n")  # actions/checkout's output of the same name
    print(f"checked out {REPOSITORY}@{ref} ({commit['sha'][:12]}, {len(tree['tree'])} tree entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
