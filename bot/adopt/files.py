"""What `leaderboard-bot init` writes into a repository: the bot's workflows (this repository's own, with
the Action pinned to a release), the issue form and its chooser config (generated as by `issue-form`), a
starter configuration and empty data files. Pure: texts in, texts out; the command does the I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from bot.form.generator import CONFIG_NAME, FORM_PATH, render_config, render_form

WORKFLOWS = ("leaderboard.yml", "leaderboard-approval-relay.yml", "pages.yml")
WORKFLOW_DIR = ".github/workflows"
CONFIG_PATH = ".github/leaderboard-bot.yml"
DATA_FILES = ("data/leaderboard_single.json", "data/leaderboard_multi.json")
EMPTY_DATA = "[]\n"
# The bot's own repository runs its Action as `./` (the base checkout); everywhere else it is the release.
SELF = "./"
SELF_USES = re.compile(r"^(?P<lead>[ \t]*- uses: )\./ # zizmor: ignore\[self-repository\][^\n]*$", re.M)
# OWNER/NAME@REF, optionally with the release as a comment: `acme/leaderboard-bot@<sha> # v1.2.0`.
ACTION_REF = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+@(?P<ref>[A-Za-z0-9._/-]+)(?: # v\d+\.\d+\.\d+[A-Za-z0-9.+-]*)?"
)
FULL_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Planned:
    """One file init writes. A starter file (config, data) is written only when missing, even with --force:
    it holds the repository's own settings and entries."""

    path: str
    text: str
    starter: bool = False


def template(name: str) -> str:
    """A packaged template's text (a copy of this repository's file, see tests/acceptance/test_init.py)."""
    return resources.files("bot.adopt").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def pin(text: str, uses: str) -> str:
    """The workflow with every `uses: ./` of the bot's Action replaced by ``uses`` (`./` keeps it as is)."""
    if uses == SELF:
        return text
    pinned, count = SELF_USES.subn(lambda match: match.group("lead") + uses, text)
    if not count:
        raise ValueError("the workflow template has no `uses: ./` step for the bot's Action")
    return pinned


def plan(uses: str) -> list[Planned]:
    """Every file init writes, with the Action referenced as ``uses`` (`OWNER/NAME@SHA # vX.Y.Z`, or `./`)."""
    files = [
        Planned(f"{WORKFLOW_DIR}/{name}", pin(template(f"workflows/{name}"), uses)) for name in WORKFLOWS
    ]
    form_dir = FORM_PATH.rsplit("/", 1)[0]
    files += [Planned(FORM_PATH, render_form()), Planned(f"{form_dir}/{CONFIG_NAME}", render_config())]
    files.append(Planned(CONFIG_PATH, template("leaderboard-bot.yml"), starter=True))
    files += [Planned(path, EMPTY_DATA, starter=True) for path in DATA_FILES]
    return files
