"""Lay a ref's files from the GitHub REST API into GITHUB_WORKSPACE; stdlib only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
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


def _git(workspace: Path, *args: str, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=workspace, input=data, capture_output=True, check=True)
    return done.stdout.decode().strip()


def _same_commit(workspace: Path, commit: dict[str, Any], branch: str) -> bool:
    """Make HEAD the very commit checked out, as a shallow clone's (its parents absent), as
    actions/checkout does: the commit object is rebuilt from the API's fields, and kept only if it
    hashes to the commit's SHA. False (nothing changed) when it does not."""
    fields = commit["commit"]
    if _git(workspace, "write-tree") != fields["tree"]["sha"]:
        return False
    lines = [f"tree {fields['tree']['sha']}", *(f"parent {p['sha']}" for p in commit["parents"])]
    for role in ("author", "committer"):
        person = fields[role]
        stamp = int(datetime.fromisoformat(person["date"].replace("Z", "+00:00")).timestamp())
        lines.append(f"{role} {person['name']} <{person['email']}> {stamp} +0000")
    raw = "\n".join([*lines, "", fields["message"]]).encode()
    sha = _git(workspace, "hash-object", "-t", "commit", "-w", "--stdin", data=raw)
    if sha != commit["sha"]:
        return False
    if commit["parents"]:
        (workspace / ".git" / "shallow").write_text(f"{sha}\n")
    _git(workspace, "update-ref", f"refs/heads/{branch}", sha)
    return True


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
    branch = ref if "/" not in ref and len(ref) != 40 else "main"
    for args in (["init", "-q", "-b", branch], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=workspace, check=True)
    if not _same_commit(workspace, commit, branch):
        date = commit["commit"]["committer"]["date"]
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        author = ["-c", "user.name=checkout", "-c", "user.email=checkout@localhost"]
        subprocess.run(["git", *author, "commit", "-q", "-m", ref], cwd=workspace, env=env, check=True)
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as outputs:
        outputs.write(f"commit={commit['sha']}\n")  # actions/checkout's output of the same name
    print(f"checked out {REPOSITORY}@{ref} ({commit['sha'][:12]}, {len(tree['tree'])} tree entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
