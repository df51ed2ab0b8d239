"""``leaderboard-bot sync``: read the Hugging Face dataset and open or update the sync pull request,
or (``--dry-run``) print what it would propose against a local data directory, writing nothing.

Exit codes: 0 done or nothing to do; 1 the Hub could not be read, its files are unusable, or the
entries have errors; 2 bad arguments (no dataset configured, no GitHub environment without --dry-run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import replace

from bot.cli.submit import render_text
from bot.contract.config import DATASET_ID, DEFAULT_PATH, REVISION, Config, SyncSettings
from bot.contract.validate import InputError
from bot.fs import load_data_dir, resolve_config
from bot.importer.sync import MSG_NOTHING, HubFiles, plan_sync
from bot.render.comment import CommentContext, render, reproduce_command
from bot.render.report import finding_blocks

MSG_NO_DATASET = "no dataset to sync from (hint: pass --dataset OWNER/NAME or add sync.dataset to {config})"
MSG_NO_GITHUB = (
    "{name} is not set: a sync opens a pull request through the GitHub API (hint: set GITHUB_REPOSITORY "
    "and GITHUB_TOKEN, or use --dry-run to see the proposal locally)"
)
MSG_BAD_DATASET = "--dataset {value!r} is not a Hugging Face dataset id (hint: write it as owner/name)"
MSG_BAD_REVISION = (
    "--revision {value!r} is not a branch, tag or commit name (hint: no spaces, `..`, `@{{`, ~ ^ : ? * [ "
    "or \\, and no / or .lock at the end)"
)
MSG_DRY_RUN = "dry run: nothing written; without --dry-run the sync opens or updates one pull request"


def run(args: argparse.Namespace) -> int:
    """Run the sync (or its dry run); returns the exit code."""
    try:
        config, problems = resolve_config(args.config)
    except InputError as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    if problems:
        print("\n\n".join(finding_blocks(problems, verbose=True)), file=sys.stderr)
        return 2
    for flag, pattern, message in (
        ("dataset", DATASET_ID, MSG_BAD_DATASET),
        ("revision", REVISION, MSG_BAD_REVISION),
    ):
        value = getattr(args, flag)
        if value is not None and not pattern.match(value):  # the config's values are checked when it loads
            print(f"leaderboard-bot: error: {message.format(value=value)}", file=sys.stderr)
            return 2
    settings = _settings(config, args)
    if settings is None:
        where = args.config or DEFAULT_PATH
        print(f"leaderboard-bot: error: {MSG_NO_DATASET.format(config=where)}", file=sys.stderr)
        return 2
    if args.dry_run:
        return _dry_run(replace(config, sync=settings), settings, args)
    return _on_github(replace(config, sync=settings), settings, args)


def _settings(config: Config, args: argparse.Namespace) -> SyncSettings | None:
    configured = config.sync
    dataset = args.dataset or (configured.dataset if configured else None)
    if not dataset:
        return None
    return SyncSettings(
        dataset,
        args.revision or (configured.revision if configured else "main"),
        args.source or (configured.source if configured else "aggregate"),
    )


def _dry_run(config: Config, settings: SyncSettings, args: argparse.Namespace) -> int:
    from bot.github.sync import read_files
    from bot.importer.hub_api import Dataset, HubError, HubReader

    try:
        base, base_findings = load_data_dir(args.data_dir, config)
        reader = HubReader(Dataset.from_env(settings.dataset, settings.revision, os.environ))
        sha = reader.commit()
        files = read_files(reader, sha, settings.source)
    except (InputError, HubError) as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, HubError) else 2
    hub = HubFiles(settings.dataset, sha, settings.source, files)
    plan = plan_sync(hub, base, config, dt.datetime.now(dt.timezone.utc))
    if plan.unreadable or base_findings:
        print("\n\n".join(finding_blocks([*plan.findings, *base_findings], verbose=True)))
        return 1
    if plan.outcome is None or not plan.changes:
        print(MSG_NOTHING.format(dataset=settings.dataset, short=sha[:12], entries=plan.entries))
        return 0
    if args.format == "markdown":
        command = reproduce_command("sync", options=("--revision", sha))
        sys.stdout.write(render(plan.outcome, CommentContext(command)))
    else:
        print(f"{settings.dataset} at {sha} ({settings.source} files, {plan.entries} entries):")
        sys.stdout.write(render_text(plan.outcome, args.verbose))
        print(MSG_DRY_RUN, file=sys.stderr)
    return 1 if plan.outcome.errors else 0


def _on_github(config: Config, settings: SyncSettings, args: argparse.Namespace) -> int:
    from bot.github.api import ApiError, GitHubAPI, api_error, client_from_env
    from bot.github.context import DEFAULT_BOT_LOGIN, Context
    from bot.github.sync import SyncRequest, sync

    env = os.environ
    for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN"):
        if not env.get(name):
            print(f"leaderboard-bot: error: {MSG_NO_GITHUB.format(name=name)}", file=sys.stderr)
            return 2
    api = GitHubAPI(client_from_env(env), env["GITHUB_REPOSITORY"])
    ctx = Context(
        api=api,
        config=config,
        read_base=lambda path: b"",  # the sync reads the base through the API, at the commit it builds on
        data_dir=args.data_dir,
        bot_login=env.get("LEADERBOARD_BOT_LOGIN") or DEFAULT_BOT_LOGIN,
        env=env,
    )
    try:
        sync(ctx, SyncRequest(settings, api.default_branch()))
    except ApiError as exc:
        print(f"leaderboard-bot: error: {api_error(exc)}", file=sys.stderr)
        return 1
    if ctx.job_summary:
        print("\n\n".join(ctx.job_summary))
    return 1 if ctx.failed else 0
