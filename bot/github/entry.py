"""The Action's entry point (``leaderboard-bot handle-event``). Reads only the standard Actions
environment, builds the GitHub client once, and routes the event to its handler."""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bot.contract.config import Config
from bot.contract.validate import InputError
from bot.fs import resolve_config, write_atomically
from bot.github import approval, commands, issue, pull_request, sync
from bot.github.api import ApiError, Client, GitHubAPI, api_error, client_from_env
from bot.github.batch import land_queued
from bot.github.context import DEFAULT_BOT_LOGIN, Context
from bot.github.queue import verified_permissions
from bot.github.records import Conflict, Refused
from bot.github.refusals import HINT_RERUN
from bot.github.routing import Event, Router

REQUIRED = ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY")
MSG_ENV = "{name} is not set: run this inside GitHub Actions (or set the variables by hand)"
MSG_CONFLICT = "GitHub refused the change: {message} (hint: {hint})"
MSG_NETWORK = "could not reach GitHub: {error} (hint: {hint})"
MSG_REFUSED = "GitHub refused the update: {message} (hint: {hint})"
HINT_PROTECTED = (
    "the branch is protected by a rule the workflow's token cannot bypass: give the Action a GitHub App "
    "token whose app is on the ruleset's bypass list (README: Running on a protected default branch)"
)
PREVIEW_FOLDER = "leaderboard-preview-data"
MSG_NOT_EVENT = "{path}: not a webhook payload (a JSON object); GITHUB_EVENT_PATH names the event file"
MSG_NO_EVENT = "{path}: the event file cannot be read ({reason}); GITHUB_EVENT_PATH names it"
MSG_UNHANDLED = "no handler for {event}/{action}: nothing to do"
MSG_NO_CONFIG = (
    "{path}: no such config file in the checkout: commit one there (`leaderboard-bot init` writes a "
    "starter), or set the Action's `config` input to the path of yours"
)
# Every handler module owns its router; this table is the one place they are put together.
ROUTER = Router.compose(pull_request.router, approval.router, commands.router, issue.router, sync.router)


def handle(env: Mapping[str, str], github: Client | None = None) -> int:
    """Exit 0 when done (or nothing to do), 1 when the submission is invalid or GitHub failed, 2 on misuse."""
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        print(f"leaderboard-bot: error: {MSG_ENV.format(name=missing[0])}", file=sys.stderr)
        return 2
    workspace = Path(env.get("GITHUB_WORKSPACE") or ".")
    try:
        event = Event(env["GITHUB_EVENT_NAME"], _payload(env["GITHUB_EVENT_PATH"]))
        config_path = workspace / env.get("LEADERBOARD_CONFIG", ".github/leaderboard-bot.yml")
        config, problems = resolve_config(str(config_path), missing=MSG_NO_CONFIG)
    except (OSError, ValueError, InputError) as exc:
        print(f"leaderboard-bot: error: {exc}", file=sys.stderr)
        return 2
    if problems:
        print(
            "\n".join(f"{f.file}:{f.line}: {f.message} (hint: {f.hint})" for f in problems), file=sys.stderr
        )
        return 1

    ctx = _context(env, workspace, github or client_from_env(env), config)
    ctx.default_branch = _default_branch(event.payload)
    _dispatch(ctx, event)
    _write_outputs(env, ctx)
    return 1 if ctx.failed else 0


def _dispatch(ctx: Context, event: Event) -> None:
    """Run the land job or the event's handler; a refusal by GitHub or the network fails the run."""
    try:
        if ctx.env.get("LEADERBOARD_LAND") == "true":  # the land job: merge the queue, whatever the event
            land_queued(ctx, _event_pull(event), event.payload.get("workflow_run"))
        elif not ROUTER.dispatch(event, ctx):
            print(MSG_UNHANDLED.format(event=event.name, action=event.action))
    except (ApiError, Refused, Conflict, OSError) as exc:
        print(f"leaderboard-bot: error: {_failure(exc)}", file=sys.stderr)
        ctx.failed = True


def _failure(exc: Exception) -> str:
    """What a failed run prints: the refusal or the network error, and how to recover."""
    if isinstance(exc, ApiError):
        return api_error(exc)
    if isinstance(exc, Refused):  # a protected branch or ruleset (the issue-form flow's branch, say)
        return MSG_REFUSED.format(message=exc, hint=HINT_PROTECTED)
    if isinstance(exc, Conflict):  # a compare-and-swap that kept losing, or a ref GitHub would not set
        return MSG_CONFLICT.format(message=exc, hint=HINT_RERUN)
    # requests' errors are OSErrors: a dropped connection is not retried on PATCH
    error = " ".join(str(exc).split())
    network = type(exc).__module__.split(".")[0] in ("requests", "urllib3")
    return MSG_NETWORK.format(error=error, hint=HINT_RERUN) if network else error


def _event_pull(event: Event) -> int | None:
    """The pull request a review or comment event is about (None for others, such as the relay's)."""
    subject = event.payload.get("pull_request") or event.payload.get("issue") or {}
    number = subject.get("number")
    return int(number) if isinstance(number, int) else None


def _payload(path: str) -> dict[str, Any]:
    """The webhook payload of the run: a JSON object, else an InputError that names the file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(MSG_NO_EVENT.format(path=path, reason=exc.strerror or exc)) from exc
    try:
        payload = json.loads(raw.decode("utf-8"))
    except ValueError:  # not UTF-8, or not JSON
        payload = None
    if not isinstance(payload, dict):
        raise InputError(MSG_NOT_EVENT.format(path=path))
    return payload


def _context(env: Mapping[str, str], workspace: Path, github: Client, config: Config) -> Context:
    server, repo, run_id = (
        env.get("GITHUB_SERVER_URL", "https://github.com"),
        env["GITHUB_REPOSITORY"],
        env.get("GITHUB_RUN_ID"),
    )
    return Context(
        api=GitHubAPI(github, repo),
        config=config,
        read_base=lambda path: (workspace / path).read_bytes(),
        base_commit=env.get("LEADERBOARD_BASE_COMMIT") or None,
        base_tree=env.get("LEADERBOARD_BASE_TREE") or None,
        base_branch=env.get("LEADERBOARD_BASE_BRANCH") or None,
        permissions=verified_permissions(env.get("LEADERBOARD_VERIFIED", "")),
        data_dir=env.get("LEADERBOARD_DATA_DIR", "data"),
        bot_login=env.get("LEADERBOARD_BOT_LOGIN") or DEFAULT_BOT_LOGIN,
        run_url=f"{server}/{repo}/actions/runs/{run_id}" if run_id else None,
        write_preview=_preview_writer(Path(env["RUNNER_TEMP"]) / PREVIEW_FOLDER)
        if env.get("RUNNER_TEMP")
        else None,
        env=env,
    )


def _default_branch(payload: Mapping[str, object]) -> str | None:
    """The repository's default branch as the event names it (None: asked through the API when needed)."""
    repository = payload.get("repository")
    branch = repository.get("default_branch") if isinstance(repository, dict) else None
    return branch if isinstance(branch, str) and branch else None


def _preview_writer(folder: Path) -> Callable[[Mapping[str, str]], str]:
    """Writes the preview's data files into ``folder`` (atomically) and answers the folder."""

    def write(texts: Mapping[str, str]) -> str:
        write_atomically({str(folder / name): text for name, text in texts.items()})
        return str(folder)

    return write


def _write_outputs(env: Mapping[str, str], ctx: Context) -> None:
    """Step outputs (heredoc syntax with a random delimiter) and the job summary."""
    if env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as stream:
            for name, value in ctx.outputs.items():
                delimiter = f"EOF_{secrets.token_hex(8)}"
                stream.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    if env.get("GITHUB_STEP_SUMMARY") and ctx.job_summary:
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as stream:
            stream.write("\n\n".join(ctx.job_summary) + "\n")
    elif ctx.job_summary:
        print("\n\n".join(ctx.job_summary))
