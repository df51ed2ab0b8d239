"""Raw sagellm-benchmark run directories committed under data/submissions/: imported into entries
before validation, so the summary can say which entry came from which run.

A run directory holds ``config.json``, ``<workload>_metrics.json`` and (as sagellm-benchmark writes
them) ``<workload>_leaderboard.json`` and ``benchmark_summary.json``; what the run does not record
comes from an ``import.yaml`` beside them:
``hardware:`` (the importer's hardware file keys), ``set:`` (entry path → value), ``engine:`` and
``engine_version:``. The importer reads the PR's files from memory (bot.importer.run_files.MemoryRun),
as data, and its messages name them as the pull request does; nothing from the PR is executed.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping, Sequence

from bot.contract.config import Config
from bot.contract.document import Document
from bot.contract.findings import Finding, Severity
from bot.contract.loader import load_bytes
from bot.contract.locate import key_place
from bot.contract.ruletable import RULES
from bot.importer.import_file import read_import_file
from bot.importer.model import Layer, Overrides
from bot.importer.run import import_run_folder
from bot.importer.run_files import MemoryRun
from bot.importer.walk import CONFIG_FILE

IMPORT_FILE = "import.yaml"
MSG_FAILED_WORKLOAD = "workload {workload} produced no entry: {why}"
_FLAGGED = re.compile(r"\[(LB50[34])\]$")  # bot.importer.exported's flags: host memory, tool defaults
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")


def run_directories(paths: Sequence[str]) -> set[str]:
    """Folders of the PR that hold a ``config.json``: benchmark runs, not entry files."""
    return {posixpath.dirname(path) for path in paths if posixpath.basename(path) == CONFIG_FILE}


def import_runs(
    files: Mapping[str, bytes], author: str, config: Config
) -> tuple[list[Document], list[Finding]]:
    """Import each run directory among ``files`` (repository path → bytes)."""
    documents: list[Document] = []
    findings: list[Finding] = []
    for directory in sorted(run_directories(list(files))):
        members = {p: data for p, data in files.items() if posixpath.dirname(p) == directory}
        docs, problems = _import_one(directory, members, author, config)
        documents += docs
        findings += problems
    return documents, findings


def _import_one(
    directory: str, members: Mapping[str, bytes], author: str, config: Config
) -> tuple[list[Document], list[Finding]]:
    layers, problems = _layers(directory, members.get(f"{directory}/{IMPORT_FILE}"), author, config)
    if not layers:
        return [], problems
    names = {posixpath.basename(path): data for path, data in members.items()}
    files = {name: data for name, data in names.items() if _SAFE_NAME.match(name) and name != IMPORT_FILE}
    outcome = import_run_folder(MemoryRun(directory, files), Overrides(layers=layers, stable_ids=True))
    findings = problems + [_finding(directory, message) for message in outcome.errors]
    findings += [_finding(directory, message, "warning") for message in outcome.warnings]
    for workload, why in outcome.failures:
        severity = "error" if not outcome.results else "warning"
        findings.append(_finding(directory, MSG_FAILED_WORKLOAD.format(workload=workload, why=why), severity))
    documents = []
    for result in outcome.results:
        findings += [_finding(directory, message) for message in result.errors]
        findings += [_flag(directory, message) for message in result.warnings if _FLAGGED.search(message)]
        if result.entry is not None and not result.errors:
            name = f"{directory} ({result.origin.rsplit(', ', 1)[-1]})"
            text = json.dumps(result.entry, indent=2, ensure_ascii=False) + "\n"
            loaded = load_bytes(
                name, text.encode(), max_bytes=config.max_submission_bytes, max_depth=config.max_depth
            )
            findings += loaded.findings
            documents += [loaded.document] if loaded.document is not None else []
    return documents, findings


def _layers(
    directory: str, raw: bytes | None, author: str, config: Config
) -> tuple[tuple[Layer, ...], list[Finding]]:
    """The importer's override layers from import.yaml (bot.importer.import_file), the PR author's last."""
    path = f"{directory}/{IMPORT_FILE}"
    if raw is None:
        return tuple(read_import_file(path, None, author).layers), []
    loaded = load_bytes(
        path, raw, max_bytes=config.max_submission_bytes, max_depth=config.max_depth, kind="yaml"
    )
    if loaded.findings or loaded.document is None:
        return (), loaded.findings
    document = loaded.document
    read = read_import_file(path, document.data, author)
    findings = []
    for problem in read.problems:
        line, column = key_place(document.locator, problem.pointer)
        severity: Severity = "error" if problem.severity == "error" else "warning"
        message = f"{path}: {problem.message}"
        pointer, hint = problem.pointer, problem.hint
        findings.append(Finding(path, pointer, "LB501", severity, message, hint, line, column))
    return (tuple(read.layers) if read.ok else ()), findings


def _flag(file: str, message: str) -> Finding:
    """A value the benchmark tool is known to write wrong, as a warning under its own rule."""
    found = _FLAGGED.search(message)
    rule = RULES[found.group(1) if found else "LB501"]
    return Finding(file, (), rule.id, "warning", message, rule.hint, 1, 1)


def _finding(file: str, message: str, severity: str = "error") -> Finding:
    rule = RULES["LB501"]
    return Finding(file, (), "LB501", "error" if severity == "error" else "warning", message, rule.hint, 1, 1)
