"""The filesystem adapter: reading data directories, checking generated files, and the ONE atomic writer
that every command writes through (data files, imported entries, generated docs, the page)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot.contract.config import DEFAULT_PATH, Config, load_config
from bot.contract.crosschecks import data_file_role
from bot.contract.document import Document
from bot.contract.findings import Finding
from bot.contract.validate import INPUT_SUFFIXES, InputError
from bot.importer.walk import CONFIG_FILE
from bot.ledger.data_files import DATA_FILES, load_data_files

REASON_SPECIAL = "not a regular file (a device, a pipe or a socket), which a write would replace"
MSG_NO_CONFIG = (
    "{path}: no such config file (check the path, or leave --config out to use "
    ".github/leaderboard-bot.yml when present, else the defaults)"
)
MSG_CONFIG_UNREADABLE = "{path}: cannot be read as the config file ({reason}); name the YAML file itself"
MSG_NOT_REGULAR = "{path}: not a regular file or folder; name the JSON or YAML files to check"
MSG_BROKEN_LINK = (
    "{path}: a symbolic link to {target}, which leads to no file (it is missing, or links lead back "
    "in a loop): name the file itself"
)
MSG_NO_INPUTS = "{path}: no .json, .yaml or .yml files in this folder; check the path"
MSG_RUN_SKIPPED = (
    "{path}: a benchmark run directory (it holds config.json), not entry files: skipped here, the pull "
    "request check imports it; check it with `leaderboard-bot import {path} --submitter NAME "
    "--out-dir /tmp/entries`, then `leaderboard-bot submit /tmp/entries --dry-run`"
)
MSG_MISSING = "{path}: data file not found (a data directory holds {names})"


def resolve_config(path: str | None, missing: str = MSG_NO_CONFIG) -> tuple[Config, list[Finding]]:
    """Load the given config file, or the default one when present, or the built-in defaults.

    ``missing``: what to say when the named file does not exist (the Action has no --config).
    """
    if path is None:
        if not os.path.isfile(DEFAULT_PATH):
            return Config(), []
        path = DEFAULT_PATH
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        template = missing if not os.path.exists(path) else MSG_CONFIG_UNREADABLE
        raise InputError(template.format(path=path, reason=exc.strerror or exc)) from exc
    return load_config(path, raw)


def read_inputs(paths: Sequence[str], runs: list[str] | None = None) -> list[tuple[str, bytes]]:
    """Expand files and directories (JSON/YAML inside, sorted) into (display name, bytes).

    With ``runs``: the files of benchmark run directories (folders holding config.json) are left
    out and their folders listed there, as the pull request check imports them instead.
    """
    inputs: list[tuple[str, bytes]] = []
    seen: set[str] = set()  # a file named twice (a folder and a file in it, a link) is read once
    for path in paths:
        if os.path.isdir(path):
            files = sorted(_walk(path))
            if not files:  # a wrong folder must not pass as "OK: 0 files"
                raise InputError(MSG_NO_INPUTS.format(path=path))
        elif os.path.isfile(path):
            files = [path]
        elif os.path.exists(path):  # a pipe or a device would block or never end
            raise InputError(MSG_NOT_REGULAR.format(path=path))
        elif os.path.islink(path):  # a link to nothing, or a loop of links
            raise InputError(MSG_BROKEN_LINK.format(path=path, target=os.readlink(path)))
        else:
            raise InputError(f"{path}: no such file or directory")
        for name in files:
            real = os.path.realpath(name)
            if real in seen:
                continue
            seen.add(real)
            if runs is not None and _in_run_directory(name):
                folder = os.path.dirname(name) or "."
                if folder not in runs:
                    runs.append(folder)
                continue
            try:
                inputs.append((name, Path(name).read_bytes()))
            except OSError as exc:
                raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
    return inputs


def _in_run_directory(name: str) -> bool:
    """True for a file beside a sagellm-benchmark ``config.json`` (not a data file)."""
    folder = os.path.dirname(name) or "."
    return not data_file_role(name) and os.path.isfile(os.path.join(folder, CONFIG_FILE))


def run_notes(runs: Sequence[str]) -> list[str]:
    """What to tell about run directories left out of a check of entry files."""
    return [MSG_RUN_SKIPPED.format(path=folder) for folder in runs]


def _walk(top: str) -> Iterable[str]:
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        names = (os.path.join(root, f) for f in files if f.lower().endswith(INPUT_SUFFIXES))
        yield from filter(os.path.isfile, names)  # not a pipe that happens to be called x.json


def load_data_dir(directory: str, config: Config) -> tuple[dict[str, Document], list[Finding]]:
    """Both data files of a directory as documents (keyed by their path), or hygiene findings."""

    def read(path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise InputError(MSG_MISSING.format(path=path, names=" and ".join(DATA_FILES))) from exc
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc

    return load_data_files(read, directory, config)


def write_atomically(texts: Mapping[str, str]) -> None:
    """Write every file through a temporary file in its folder, then rename them all (OSError if not).

    All temporary files are complete (and synced) before the first rename, so a failure leaves either
    the old files or the new ones, never a half-written file; folders it had to create are removed
    again. A new file gets the usual mode (0666 less the umask), an existing one keeps its own; a
    symbolic link stays one (its target is written).
    """
    staged: list[tuple[str, str]] = []
    created: list[str] = []
    mask = os.umask(0)
    os.umask(mask)
    try:
        for name, text in texts.items():
            path = os.path.realpath(name) if os.path.islink(name) else name
            _refuse_special(path, name)
            directory = os.path.dirname(path) or "."
            created += _make_folders(directory)
            handle, temp = tempfile.mkstemp(
                prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
            )
            staged.append((temp, path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~mask)
        _replace_all(staged)
    except BaseException:
        _remove_leftovers(staged, created)
        raise


def _refuse_special(path: str, name: str) -> None:
    """A device, pipe or socket is not replaced by a file (a rename over /dev/null would, as root)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # nothing there yet (or unreadable: the write itself says why)
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a folder fails at the rename, named there
        raise OSError(errno.EINVAL, REASON_SPECIAL, name)


def _replace_all(staged: list[tuple[str, str]]) -> None:
    """Rename every temporary file over its target; when one rename fails, undo the ones before it.

    Each existing target is first linked (or copied) to a backup beside it, so a failure halfway (a
    folder where a file was expected, a file made read-only meanwhile) puts the old files back instead
    of leaving one data file merged and the other not.
    """
    backups: list[str | None] = []
    done: list[int] = []
    try:
        for _, path in staged:
            backups.append(_backup(path))
        for index, (temp, path) in enumerate(staged):
            os.replace(temp, path)
            done.append(index)
    except BaseException:
        for index in reversed(done):
            backup, path = backups[index], staged[index][1]
            with contextlib.suppress(OSError):
                if backup:
                    os.replace(backup, path)
                else:
                    os.unlink(path)
        raise
    finally:
        for backup in backups:
            if backup:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _backup(path: str) -> str | None:
    """A hard link (or, where links are not possible, a copy) of ``path`` beside it; None if none."""
    if not os.path.isfile(path):
        return None
    handle, backup = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".old", dir=os.path.dirname(path) or "."
    )
    os.close(handle)
    os.unlink(backup)  # os.link wants a free name; mkstemp only reserved one
    try:
        os.link(path, backup)
    except OSError:  # a filesystem without hard links
        try:
            shutil.copy2(path, backup)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(backup)
            raise
    return backup


def _make_folders(directory: str) -> list[str]:
    """Create ``directory`` and its missing parents; the ones created, outermost first."""
    missing: list[str] = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for folder in reversed(missing):
        os.mkdir(folder)
    return list(reversed(missing))


def _remove_leftovers(staged: list[tuple[str, str]], created: list[str]) -> None:
    for temp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


MSG_STALE = "{path} is stale: run `leaderboard-bot {command}` and commit the result"
MSG_ABSENT = "{path} is missing: run `leaderboard-bot {command}` and commit the result"
MSG_NOT_WRITTEN = (
    "leaderboard-bot: error: {path}: cannot be written ({reason}); nothing was written "
    "(pass the path of a file in a folder you can write to)"
)


def write_or_check(outputs: Mapping[Path, str], *, check: bool, command: str) -> int:
    """With ``check``: exit 1 when any file differs from its generated text; else write them all."""
    if check:
        current = {path: _read_text(path) for path in outputs}
        stale = [path for path, text in outputs.items() if current[path] != text]
        for path in stale:
            message = MSG_STALE if current[path] is not None else MSG_ABSENT
            print(message.format(path=path, command=command), file=sys.stderr)
        if not stale:
            print(f"{', '.join(map(str, outputs))}: up to date")
        return 1 if stale else 0
    try:
        write_atomically({str(path): text for path, text in outputs.items()})
    except OSError as exc:  # a folder given for a file, a read-only place, a full disk: nothing was written
        print(not_written(exc, [str(path) for path in outputs]), file=sys.stderr)
        return 2
    for path in outputs:
        print(f"wrote {path}")
    return 0


def not_written(exc: OSError, names: Sequence[str]) -> str:
    """The message for a write_atomically failure: which of ``names`` failed, why, and that none changed."""
    # The name of ours that failed (os.replace names the temporary file first), else all of them.
    where = next((name for name in (exc.filename, exc.filename2) if name in names), ", ".join(names))
    return MSG_NOT_WRITTEN.format(path=where, reason=exc.strerror or exc)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def write_site(files: Mapping[str, str], out: Path) -> list[Path]:
    """Write the page's files into ``out`` through the atomic writer (no half-written page)."""
    out.mkdir(parents=True, exist_ok=True)
    targets = {out / name: content for name, content in sorted(files.items())}
    write_atomically({str(path): content for path, content in targets.items()})
    return list(targets)
