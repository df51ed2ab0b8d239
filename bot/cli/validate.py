"""``leaderboard-bot validate``: the command-line adapter around the validation pipeline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from bot.cli.fast_exit import finish
from bot.contract.validate import InputError, check_loaded, load_inputs, without_cycle_collection
from bot.fs import read_inputs, resolve_config, run_notes
from bot.render.report import RENDERERS, write_json


def run(args: argparse.Namespace) -> int:
    """Validate the given paths and print the report; 0 ok, 1 errors found, 2 unusable arguments."""
    try:
        config, config_findings = resolve_config(args.config)
        runs: list[str] = []
        inputs = read_inputs(args.paths, runs)
    except InputError as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    for note in run_notes(runs):
        print(f"leaderboard-bot: note: {note}", file=sys.stderr)
    # The cycle collector stays off to the end: the parsed documents and the findings hold no cycles,
    # and switched back on before the report is written it would first walk them all.
    with without_cycle_collection():
        loaded = load_inputs(_handed_over(inputs), config)
        report = check_loaded(loaded, config)
        report.findings = config_findings + report.findings
        if args.format == "json":
            write_json(report, sys.stdout)
        else:
            sys.stdout.write(RENDERERS[args.format](report, args.verbose))
        # A console run ends here, while ``loaded`` and ``report`` are alive (see bot.cli.fast_exit).
        return finish(1 if report.errors else 0)


def _handed_over(inputs: list[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """The inputs one by one, each dropped from the list as it is handed over: a file's bytes are
    freed once it is parsed instead of staying alive for the whole run."""
    inputs.reverse()
    while inputs:
        yield inputs.pop()
