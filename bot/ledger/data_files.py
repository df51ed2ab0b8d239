"""The two data files of a leaderboard, read through any reader (the disk, or the API at a commit):
pure, so the GitHub handlers load the base the way the command line loads a data directory."""

from __future__ import annotations

from collections.abc import Callable

from bot.contract.config import Config
from bot.contract.crosschecks import MULTI_FILE, SINGLE_FILE
from bot.contract.document import Document, as_data_file
from bot.contract.findings import Finding
from bot.contract.loader import load_bytes

DATA_FILES = (SINGLE_FILE, MULTI_FILE)


def data_file_paths(directory: str) -> list[str]:
    """The paths :func:`load_data_files` reads the two data files at."""
    return [f"{directory.rstrip('/')}/{name}" if directory else name for name in DATA_FILES]


def load_data_files(
    read: Callable[[str], bytes], directory: str, config: Config
) -> tuple[dict[str, Document], list[Finding]]:
    """Both data files, each read by ``read(path)`` (from disk, or through the API at a commit)."""
    documents: dict[str, Document] = {}
    findings: list[Finding] = []
    for path in data_file_paths(directory):
        loaded = load_bytes(
            path, read(path), max_bytes=config.max_data_file_bytes, max_depth=config.max_depth
        )
        result = as_data_file(loaded)
        findings += result.findings
        if result.checkable is not None:  # an array: any other top level is LB006, which blocks
            documents[path] = result.checkable
    return documents, findings
