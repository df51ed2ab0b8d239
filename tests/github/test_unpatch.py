"""bot.github.unpatch rebuilds a file's old version from the new one and the patch GitHub lists; the
patches here are real ones, made by git itself (``git diff``, which GitHub's ``patch`` field carries from
its first ``@@`` on), with git's own line counts."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from bot.github.unpatch import Patched, old_file
from tests.support.paths import ROOT

DATA = (ROOT / "data" / "leaderboard_single.json").read_bytes()


def git_patch(tmp: Path, old: bytes, new: bytes) -> Patched:
    """What GitHub lists for a file changed from ``old`` to ``new``: git's hunks and line counts."""
    (tmp / "a").write_bytes(old)
    (tmp / "b").write_bytes(new)
    args = ["git", "diff", "--no-index", "--no-color", "-U3"]
    done = subprocess.run([*args, "a", "b"], cwd=tmp, capture_output=True, check=False)
    diff = done.stdout.decode("utf-8", errors="replace")  # GitHub's JSON carries text, not bytes
    count = ["git", "diff", "--no-index", "--numstat", "a", "b"]  # -U would add the patch to the counts
    numstat = subprocess.run(count, cwd=tmp, capture_output=True, check=False)
    additions, deletions, _ = numstat.stdout.decode().split("\t", 2)
    hunks = diff[diff.index("\n@@") + 1 :].removesuffix("\n")
    return Patched(new, hunks, int(additions), int(deletions))


CASES = {
    "a changed line": (b"a\nb\nc\nd\ne\nf\ng\n", b"a\nb\nc\nD\ne\nf\ng\n"),
    "first and last lines": (b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b"0\n2\n3\n4\n5\n6\n7\n8\n9\n11\n"),
    "lines removed at the start": (b"x\ny\nz\nkeep\n", b"keep\n"),
    "lines added at the end": (b"keep\n", b"keep\nmore\nand more\n"),
    "the old file ends without a newline": (b"a\nb", b"a\nb\n"),
    "the new file ends without a newline": (b"a\nb\n", b"a\nb"),
    "both end without a newline": (b"a\nb\nc", b"a\nB\nc"),
    "CRLF line endings": (b"a\r\nb\r\nc\r\n", b"a\r\nB\r\nc\r\n"),
    "a carriage return inside a line": (b"a\rb\nc\n", b"a\rb\nC\n"),
    "everything replaced": (b"old\n", b"new\n"),
    "a file emptied of all but one line": (b"1\n2\n3\n", b"2\n"),
}


@pytest.mark.parametrize("name", CASES)
def test_the_old_file_is_rebuilt_exactly(tmp_path: Path, name: str) -> None:
    old, new = CASES[name]
    assert old_file(git_patch(tmp_path, old, new)) == old


def test_an_edited_data_file_is_rebuilt_exactly(tmp_path: Path) -> None:
    entries = json.loads(DATA)
    entries[3]["metrics"]["ttft_ms"] = 1.5  # a change in the middle
    del entries[10]  # a removal
    entries.append({**entries[0], "entry_id": "0f0e0d0c-0b0a-4908-8706-050403020100"})  # an addition
    new = (json.dumps(entries, indent=2) + "\n").encode()
    assert old_file(git_patch(tmp_path, DATA, new)) == DATA


def test_random_edits_are_rebuilt_exactly(tmp_path: Path) -> None:
    rng = random.Random(13)
    lines = DATA.splitlines(keepends=True)[:400]
    for _ in range(60):
        new = list(lines)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(new))
            action = rng.choice(("change", "remove", "insert"))
            if action == "change":
                new[at] = b"  changed %d\n" % rng.randrange(10**6)
            elif action == "remove":
                del new[at]
            else:
                new.insert(at, b"  inserted\n")
        old_bytes, new_bytes = b"".join(lines), b"".join(new)
        if old_bytes != new_bytes:
            assert old_file(git_patch(tmp_path, old_bytes, new_bytes)) == old_bytes


def test_a_patch_cut_short_is_refused(tmp_path: Path) -> None:
    old = b"".join(b"%d\n" % i for i in range(40))
    new = old.replace(b"\n2\n", b"\nTWO\n").replace(b"\n30\n", b"\nTHIRTY\n")
    item = git_patch(tmp_path, old, new)
    assert item.patch is not None
    assert item.patch.count("@@ -") == 2
    first_hunk = item.patch[: item.patch.index("\n@@", 1)]
    assert old_file(Patched(new, first_hunk, item.additions, item.deletions)) is None


def test_counts_that_do_not_match_the_patch_are_refused(tmp_path: Path) -> None:
    item = git_patch(tmp_path, b"a\nb\nc\n", b"a\nB\nc\n")
    assert old_file(Patched(item.new, item.patch, item.additions + 1, item.deletions)) is None


def test_a_patch_of_another_version_of_the_file_is_refused(tmp_path: Path) -> None:
    item = git_patch(tmp_path, b"a\nb\nc\n", b"a\nB\nc\n")
    assert old_file(Patched(b"a\nX\nc\n", item.patch, item.additions, item.deletions)) is None


@pytest.mark.parametrize("patch", [None, "", "not a patch", "@@ -1 +1 @@\n?odd line"])
def test_no_usable_patch_gives_none(patch: str | None) -> None:
    assert old_file(Patched(b"a\n", patch, 1, 1)) is None


def test_a_file_that_is_not_utf8_gives_none(tmp_path: Path) -> None:
    item = git_patch(tmp_path, b"a\n\xff\n", b"b\n\xff\n")
    assert old_file(item) is None
