"""``leaderboard-bot init [DIR]``: set a repository up to run the bot, or with ``--check`` report how its
files drifted from what this version writes. Writes nothing unless every file can be written; never
replaces a file without ``--force``, and never the repository's own config or data files."""

from __future__ import annotations

import argparse
import difflib
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from bot import __version__
from bot.adopt.files import (
    ACTION_REF,
    CONFIG_PATH,
    FULL_SHA,
    SELF,
    SYNC_PATH,
    Planned,
    plan,
    sync_configured,
)
from bot.adopt.release import EXAMPLE_REF, UnreleasedError, current_release
from bot.contract.config import load_config
from bot.fs import write_atomically
from bot.render.plain import visible
from bot.render.report import text_line

MSG_NOT_DIR = "{dir}: not a directory (create the repository first, e.g. `git init {dir}`)"
MSG_UNREADABLE = "{path}: cannot be read ({error}): move it away or fix its permissions, then run init again"
MSG_BAD_REF = (
    "--action-ref {ref}: expected OWNER/NAME@<40-hex commit SHA>, optionally followed by ` # vX.Y.Z`, "
    "as one quoted argument: pass --action-ref {example} (`./` only in the bot's own repository)"
)
MSG_SELF_ELSEWHERE = (
    "--action-ref ./: {dir} has no action.yml, and `./` runs the Action from the repository's own checkout "
    "(only the bot's own repository has it): pass the release to call, --action-ref {example}, or install a "
    "release (pip install leaderboard-bot) and leave --action-ref out"
)
MSG_UNPINNED = (
    "note: --action-ref {ref}: {pin} is not a full commit SHA, and a tag or branch can move under you: "
    "pass the 40-hex commit it names instead, --action-ref {example}"
)
MSG_SYNC_IDLE = (
    "note: {path} runs every hour, but {config} has no sync section, so every run fails: add one "
    "(`sync:` with `dataset: OWNER/NAME`, the Hugging Face dataset to read), or delete the workflow"
)
MSG_CONFIG_ERRORS = (
    "leaderboard-bot init: {path} has {count} error(s), above, and every run of the bot stops on them: fix "
    "them (each says how), then check with `leaderboard-bot validate --config {path} data`"
)
MSG_CONFLICT = "{path}: exists and differs from what leaderboard-bot {version} writes"
MSG_REFUSED = (
    "wrote nothing: review the differences with `leaderboard-bot init --check {dir}`, then re-run with "
    "--force to replace them (the config and data files are never replaced)"
)
MSG_CANNOT_WRITE = "{dir}: cannot write ({error}); nothing was replaced"
MSG_DRIFT = (
    "{count} file(s) differ from what leaderboard-bot {version} writes: review the diff, then run "
    "`leaderboard-bot init --force {dir}` and commit (the config and data files are never replaced)"
)
MSG_CLEAN = "{dir}: up to date with leaderboard-bot {version} ({uses})"
MSG_SYNC_NEXT = (
    "leaderboard-sync.yml proposes the dataset's new entries every hour; a private or gated dataset needs "
    "the repository secret HF_TOKEN (Settings → Secrets and variables → Actions)."
)
DIFF_LINES = 60
NEXT_STEPS = """
Next:
  1. Commit and push these files to the default branch.
  2. Settings → Pages → Build and deployment → Source: "GitHub Actions" (pages.yml publishes the page).
  3. Settings → Actions → General → Workflow permissions: tick "Allow GitHub Actions to create and approve
     pull requests" (the issue form opens pull requests), or pass a GitHub App installation token to the
     Action as github-token (and set bot-login to <app-slug>[bot]).
  4. Branch protection: if the default branch requires reviews or status checks (branch protection or a
     ruleset), the bot's merges need a token allowed to bypass them, e.g. a GitHub App on the bypass list,
     passed as github-token.
  5. Issues → Labels: make sure the label `leaderboard-submission` exists: the issue form applies it, and
     only issues carrying it are turned into pull requests.
pages.yml publishes pushes to `main`; edit its `branches:` if your default branch is named otherwise.
Upgrading later: `pip install -U leaderboard-bot`, `leaderboard-bot init --check`, then `init --force`."""


class InitError(Exception):
    """init cannot go ahead; the message says how to fix it."""


@dataclass(frozen=True)
class State:
    """A planned file and what the repository holds at its path (None: missing)."""

    planned: Planned
    current: str | None

    @property
    def drifted(self) -> bool:
        """True when init (with --force) would write this file."""
        if self.current is None:
            return True
        return not self.planned.starter and self.current != self.planned.text


def run(args: argparse.Namespace) -> int:
    """Write the files (0), or report drift with --check (1 when any); 2 when init cannot run."""
    root = Path(args.dir)
    try:
        if not root.is_dir():
            raise InitError(MSG_NOT_DIR.format(dir=args.dir))
        uses = _uses(args.action_ref, root)
        config = _read(root / CONFIG_PATH)  # kept as it is, but what it says decides and is checked
        states = [State(planned, _read(root / planned.path)) for planned in plan(uses, _sync(root, config))]
        code = _check(states, args.dir, uses) if args.check else _write(states, root, args, uses)
        return code if _config_is_usable(config) else max(code, 1)
    except (InitError, UnreleasedError) as exc:
        print(f"leaderboard-bot init: error: {exc}", file=sys.stderr)
        return 2


def _uses(action_ref: str | None, root: Path) -> str:
    """The `uses:` value of the bot's Action: the override, or this package's release."""
    if action_ref is None:
        return current_release().uses
    if action_ref == SELF:
        if not any((root / name).is_file() for name in ("action.yml", "action.yaml")):
            raise InitError(MSG_SELF_ELSEWHERE.format(dir=_shown(str(root)), example=EXAMPLE_REF))
        return action_ref
    match = ACTION_REF.fullmatch(action_ref)
    if not match:
        raise InitError(MSG_BAD_REF.format(ref=_shown(action_ref), example=EXAMPLE_REF))
    if not FULL_SHA.fullmatch(match.group("ref")):
        example = shlex.quote(f"{match.group('repository')}@<40-hex commit SHA> # vX.Y.Z")
        note = MSG_UNPINNED.format(ref=_shown(action_ref), pin=match.group("ref"), example=example)
        print(note, file=sys.stderr)
    return action_ref


def _shown(value: str) -> str:
    """A value as the shell takes it back (quoted when needed), with nothing a terminal would act on."""
    return visible(shlex.quote(value))


def _sync(root: Path, config: str | None) -> bool:
    """Whether init manages the sync workflow: the config names a dataset, or the workflow is there."""
    configured = sync_configured(config)
    present = _read(root / SYNC_PATH) is not None
    if present and not configured:
        print(MSG_SYNC_IDLE.format(path=SYNC_PATH, config=CONFIG_PATH), file=sys.stderr)
    return configured or present


def _config_is_usable(text: str | None) -> bool:
    """Whether the repository's own config file (which init keeps) is free of errors; says which if not."""
    if text is None:
        return True
    _, findings = load_config(CONFIG_PATH, text.encode("utf-8"))
    errors = [f for f in findings if f.severity == "error"]
    for finding in errors:
        print(text_line(finding), file=sys.stderr)
    if errors:
        print(MSG_CONFIG_ERRORS.format(path=CONFIG_PATH, count=len(errors)), file=sys.stderr)
    return not errors


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        error = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InitError(MSG_UNREADABLE.format(path=path, error=error)) from exc


def _check(states: list[State], directory: str, uses: str) -> int:
    drifted = [state for state in states if state.drifted]
    for state in drifted:
        if state.current is None:
            print(f"{state.planned.path}: missing (init writes it)")
            continue
        print(f"{state.planned.path}: differs from what leaderboard-bot {__version__} writes")
        print(_diff(state), end="")
    if drifted:
        print(MSG_DRIFT.format(count=len(drifted), version=__version__, dir=directory))
        return 1
    print(MSG_CLEAN.format(dir=directory, version=__version__, uses=uses))
    return 0


def _diff(state: State) -> str:
    """A unified diff from the repository's file to init's, cut after DIFF_LINES lines."""
    path = state.planned.path
    lines = list(
        difflib.unified_diff(
            (state.current or "").splitlines(keepends=True),
            state.planned.text.splitlines(keepends=True),
            f"{path} (yours)",
            f"{path} (leaderboard-bot {__version__})",
        )
    )
    cut = lines[:DIFF_LINES]
    more = f"… {len(lines) - DIFF_LINES} more diff lines\n" if len(lines) > DIFF_LINES else ""
    return "".join(line if line.endswith("\n") else line + "\n" for line in cut) + more


def _write(states: list[State], root: Path, args: argparse.Namespace, uses: str) -> int:
    conflicts = [s for s in states if s.current is not None and s.drifted and not args.force]
    if conflicts:
        for state in conflicts:
            print(MSG_CONFLICT.format(path=state.planned.path, version=__version__), file=sys.stderr)
        print(f"leaderboard-bot init: {MSG_REFUSED.format(dir=args.dir)}", file=sys.stderr)
        return 1
    writes = {str(root / s.planned.path): s.planned.text for s in states if s.drifted}
    try:
        write_atomically(writes)  # creates missing folders, and removes them again if a write fails
    except OSError as exc:
        raise InitError(MSG_CANNOT_WRITE.format(dir=args.dir, error=exc.strerror or exc)) from exc
    print(f"leaderboard-bot {__version__}, the Action as `uses: {uses}`:")
    for state in states:
        print(f"  {_verb(state)} {state.planned.path}")
    print(NEXT_STEPS.lstrip("\n") if writes else "Nothing to write: every file is up to date.")
    if writes and any(state.planned.path == SYNC_PATH for state in states):
        print(MSG_SYNC_NEXT)
    return 0


def _verb(state: State) -> str:
    if state.current is None:
        return "wrote    "
    if state.drifted:
        return "replaced "
    if state.planned.starter and state.current != state.planned.text:
        return "kept     "
    return "unchanged"
