"""``leaderboard-bot validate``: the command-line adapter around the validation pipeline."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.config import DEFAULT_PATH, Config, load_config
from bot.findings import Finding
from bot.report import RENDERERS, write_json
from bot.validate import InputError, read_inputs, validate_inputs

MSG_NO_CONFIG = "{path}: no such config file"


def resolve_config(path: str | None) -> tuple[Config, list[Finding]]:
    """Load the given config file, or the default one when present, or the built-in defaults."""
    if path is None:
        if not os.path.isfile(DEFAULT_PATH):
            return Config(), []
        path = DEFAULT_PATH
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(
            MSG_NO_CONFIG.format(path=path) if not os.path.exists(path) else f"{path}: {exc}"
        ) from exc
    return load_config(path, raw)


def run(args: argparse.Namespace) -> int:
    """Validate the given paths and print the report; 0 ok, 1 errors found, 2 unusable arguments."""
    try:
        config, config_findings = resolve_config(args.config)
        inputs = read_inputs(args.paths)
    except InputError as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    report = validate_inputs(inputs, config)
    report.findings = config_findings + report.findings
    if args.format == "json":
        write_json(report, sys.stdout)
    else:
        sys.stdout.write(RENDERERS[args.format](report, args.verbose))
    return 1 if report.errors else 0
