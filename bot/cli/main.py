"""Command-line entry point: argument parsing only; each command runs in its own module.

Command modules are imported lazily so that ``leaderboard-bot --version`` starts fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from bot import __version__

FORMATS = ("text", "json", "github")


MSG_DISK_FULL = (
    "leaderboard-bot: error: output could not be written ({reason}); no data file was changed "
    "(free some space, then run the command again)"
)


def utf8_text(value: str) -> str:
    """An option that ends up in the data: it must be writable as UTF-8 (argv bytes that are not UTF-8
    decode to lone surrogates, which pass every check and then fail the write)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError("not valid UTF-8 text; type the name again") from None
    return value


MSG_BLANK_NAME = "blank: give the name entries should be credited to"
MSG_NAME_LINES = "holds a line break or a control character: give the name on one line"


def submitter_name(value: str) -> str:
    """A submitter's name: UTF-8 text with something visible in it, on one line."""
    value = utf8_text(value)
    if not value.strip():
        raise argparse.ArgumentTypeError(MSG_BLANK_NAME)
    if not value.isprintable():
        raise argparse.ArgumentTypeError(MSG_NAME_LINES)
    return value


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="validate entry files, submissions and data files")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (JSON or YAML)")
    p.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    p.add_argument("--config", metavar="FILE", help="config file (default: .github/leaderboard-bot.yml)")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="text format: list every warning and waived finding"
    )
    p.set_defaults(module="bot.cli.validate")


def _add_docs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("docs", help="generate the field reference from the schema and the rule table")
    p.add_argument("--out", metavar="FILE", default="docs/FIELD_SPECIFICATION.md", help="output file")
    p.add_argument("--check", action="store_true", help="exit 1 if the file on disk is stale")
    p.set_defaults(module="bot.cli.docs")


def _add_site(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("site", help="build the static leaderboard page")
    p.add_argument(
        "--data-dir", metavar="DIR", default="data", help="folder with the data files (default: data)"
    )
    p.add_argument("--out", metavar="DIR", required=True, help="output folder for the page")
    p.add_argument(
        "--repo-url",
        metavar="URL",
        help="repository the page links to (default: the running GitHub Actions repository, if any)",
    )
    p.set_defaults(module="bot.cli.site")


def _add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="turn sagellm-benchmark outputs into leaderboard entry files")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="run directories, outputs/ trees, config.json, <workload>_metrics.json, *_leaderboard.json, "
        "hf_data/leaderboard_*.json (aggregate) or canonical/*_leaderboard.json (upload-hf)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="FILE", help="write one JSON array to FILE ('-' = stdout)")
    out.add_argument("--out-dir", metavar="DIR", help="one file per entry in DIR (default: submissions)")
    p.add_argument(
        "--submitter",
        metavar="NAME",
        type=utf8_text,
        help="metadata.submitter (required for run directories)",
    )
    p.add_argument("--engine", metavar="NAME", help="engine name, e.g. sagellm or vllm")
    p.add_argument("--engine-version", metavar="V", help="engine version")
    p.add_argument("--hardware", metavar="FILE", help="hardware description, JSON or YAML (vendor, ...)")
    p.add_argument(
        "--set",
        action="append",
        metavar="[WORKLOAD:]PATH=VALUE",
        help="set a dotted entry path, e.g. model.precision=BF16, for every entry or with WORKLOAD: "
        "for that workload's entries only (repeatable; VALUE is JSON if it parses)",
    )
    p.add_argument(
        "--stable-ids",
        action="store_true",
        help="entry_id as uuid5 of model path, run directory, run time and workload (re-imports keep it)",
    )
    p.add_argument(
        "--detect-environment",
        action="store_true",
        help="fill environment (OS, Python, PyTorch, CUDA/CANN, driver) from this machine: platform, "
        "nvidia-smi, npu-smi",
    )
    p.set_defaults(module="bot.cli.import_results")


def _add_sync(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync", help="propose the entries of a Hugging Face dataset in one pull request (or --dry-run)"
    )
    p.add_argument("--dataset", metavar="OWNER/NAME", help="dataset id (default: sync.dataset of the config)")
    p.add_argument("--revision", metavar="REV", help="branch, tag or commit (default: sync.revision, main)")
    p.add_argument(
        "--source", choices=("aggregate", "canonical"), help="which files to read (default: sync.source)"
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default="data", help="folder with the data files (default: data)"
    )
    p.add_argument("--dry-run", action="store_true", help="compare with --data-dir; change nothing")
    p.add_argument("--format", choices=("text", "markdown"), default="text", help="dry-run report format")
    p.add_argument("--config", metavar="FILE", help="config file (default: .github/leaderboard-bot.yml)")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="text format: list every warning and waived finding"
    )
    p.set_defaults(module="bot.cli.sync")


def _add_submit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("submit", help="check submission files and merge them into the data files")
    p.add_argument(
        "paths", nargs="+", metavar="FILE_OR_DIR", help="submission files or folders (JSON or YAML)"
    )
    p.add_argument(
        "--data-dir", metavar="DIR", default="data", help="folder with the data files (default: data)"
    )
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.add_argument(
        "--submitter",
        metavar="NAME",
        type=submitter_name,
        help="metadata.submitter for entries that lack one",
    )
    p.add_argument("--maintainer", action="store_true", help="allow changing, removing and verifying entries")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="report format")
    p.add_argument("--config", metavar="FILE", help="config file (default: .github/leaderboard-bot.yml)")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="text format: list every warning and waived finding"
    )
    p.set_defaults(module="bot.cli.submit")


def _add_diff(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("diff", help="compare the data files of two directories entry by entry")
    p.add_argument("base", metavar="BASE_DIR", help="folder with the old data files")
    p.add_argument("head", metavar="HEAD_DIR", help="folder with the new data files")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    p.set_defaults(module="bot.cli.diff")


def _add_handle_event(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "handle-event", help="handle the GitHub Actions event of this run (used by action.yml)"
    )
    p.set_defaults(module="bot.cli.handle_event")


def _add_issue_form(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("issue-form", help="generate the GitHub issue form for submissions from the schema")
    p.add_argument(
        "--out",
        metavar="FILE",
        default=".github/ISSUE_TEMPLATE/submit-results.yml",
        help="the form file; config.yml is written beside it",
    )
    p.add_argument("--check", action="store_true", help="exit 1 if the files on disk are stale")
    p.set_defaults(module="bot.cli.issue_form")


def _add_init(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init", help="set a repository up to run the bot: workflows, issue form, config and data files"
    )
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the repository (default: .)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--force",
        action="store_true",
        help="replace workflow and issue-form files that differ (never the config or data files)",
    )
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if DIR's files differ from what this version writes"
    )
    p.add_argument(
        "--action-ref",
        metavar="OWNER/NAME@SHA",
        help="the Action to call, e.g. 'acme/leaderboard-bot@<sha> # v1.2.0' (default: this release)",
    )
    p.set_defaults(module="bot.cli.init")


# Each entry adds one sub-command; the command's module must define ``run(args) -> int``.
_PARSERS = [
    _add_validate,
    _add_submit,
    _add_sync,
    _add_diff,
    _add_docs,
    _add_handle_event,
    _add_site,
    _add_import,
    _add_issue_form,
    _add_init,
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="leaderboard-bot",
        description="Validate, merge and publish sageLLM leaderboard submissions.",
    )
    parser.add_argument("--version", action="version", version=f"leaderboard-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _PARSERS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "module", None):
        parser.print_help(sys.stderr)
        return 2
    module = importlib.import_module(args.module)
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # A full disk (or a full /dev/full as stdout): the data files are written atomically, so nothing
        # was half-written; say so instead of a traceback.
        print(MSG_DISK_FULL.format(reason=exc.strerror), file=sys.stderr)
        return 1


def console_main() -> NoReturn:
    """The ``leaderboard-bot`` console script: ``main`` on the command line, then the process ends
    (a command may end it sooner, without tearing down what it built: see bot.cli.fast_exit)."""
    from bot.cli import fast_exit

    fast_exit.enable()
    sys.exit(main())


if __name__ == "__main__":
    console_main()
