"""The filesystem side of the data files: reading a data directory, writing merged texts atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.config import Config
from bot.crosschecks import MULTI_FILE, SINGLE_FILE
from bot.findings import Finding
from bot.loader import Document, load_bytes
from bot.validate import InputError

DATA_FILES = (SINGLE_FILE, MULTI_FILE)
MSG_MISSING = "{path}: data file not found (a data directory holds {names})"


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


def load_data_files(
    read: Callable[[str], bytes], directory: str, config: Config
) -> tuple[dict[str, Document], list[Finding]]:
    """Both data files, each read by ``read(path)`` (from disk, or through the API at a commit)."""
    documents: dict[str, Document] = {}
    findings: list[Finding] = []
    for name in DATA_FILES:
        path = f"{directory.rstrip('/')}/{name}" if directory else name
        result = load_bytes(
            path, read(path), max_bytes=config.max_data_file_bytes, max_depth=config.max_depth
        )
        findings += result.findings
        if result.document is not None and isinstance(result.document.data, list):
            documents[path] = result.document
    return documents, findings


def write_atomically(texts: Mapping[str, str]) -> None:
    """Write every file through a temporary file in the same folder, then rename them all.

    All temporary files are complete before the first rename, so a failure leaves either the old
    files or the new ones, never a half-written file.
    """
    staged: list[tuple[str, str]] = []
    try:
        for path, text in texts.items():
            handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path) or ".")
            staged.append((temp, path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
            os.chmod(temp, mode)
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
