"""The one atomic writer: either every file is new or every file is as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.fs import write_atomically


def test_every_file_is_written(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old a\n")
    write_atomically({str(tmp_path / "a.json"): "new a\n", str(tmp_path / "sub" / "b.json"): "new b\n"})
    assert (tmp_path / "a.json").read_text() == "new a\n"
    assert (tmp_path / "sub" / "b.json").read_text() == "new b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "sub"]


def test_a_rename_failing_halfway_puts_the_files_already_renamed_back(tmp_path: Path) -> None:
    first, new, blocked = tmp_path / "single.json", tmp_path / "new.json", tmp_path / "multi.json"
    first.write_text("old single\n")
    os.chmod(first, 0o640)
    blocked.mkdir()  # a folder where a file is expected: its rename fails after the others succeeded
    texts = {str(first): "new single\n", str(new): "new file\n", str(blocked): "new multi\n"}
    with pytest.raises(OSError, match="directory"):
        write_atomically(texts)
    assert first.read_text() == "old single\n"
    assert os.stat(first).st_mode & 0o777 == 0o640
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["multi.json", "single.json"]  # no leftovers


def test_a_file_that_cannot_be_staged_leaves_everything_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old a\n")
    too_long = tmp_path / ("x" * 250 + ".json")  # its temporary file's name exceeds the limit
    with pytest.raises(OSError, match="too long"):
        write_atomically({str(tmp_path / "a.json"): "new a\n", str(too_long): "x\n"})
    assert (tmp_path / "a.json").read_text() == "old a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_a_link_stays_a_link_and_its_target_is_restored_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    (tmp_path / "blocked").mkdir()
    with pytest.raises(OSError, match="directory"):
        write_atomically({str(link): "new\n", str(tmp_path / "blocked"): "x"})
    assert link.is_symlink()
    assert target.read_text() == "old\n"
    write_atomically({str(link): "new\n"})
    assert link.is_symlink()
    assert target.read_text() == "new\n"


def test_a_pipe_or_device_is_refused_not_replaced_by_a_file(tmp_path: Path) -> None:
    # Renaming over a FIFO (or, as root, over /dev/null) would put a regular file in its place.
    pipe, other = tmp_path / "pipe", tmp_path / "other.json"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="not a regular file") as caught:
        write_atomically({str(other): "[]\n", str(pipe): "text\n"})
    assert caught.value.filename == str(pipe)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # nothing else written either
