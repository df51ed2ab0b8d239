"""What `leaderboard-bot init` writes into a repository: the bot's workflows (this repository's own, with
the Action pinned to a release; the Hugging Face sync's only where the config names a dataset), the issue
form and its chooser config (generated as by `issue-form`), a starter configuration and empty data files.
Pure: texts in, texts out; the command does the I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from bot.contract.config import load_config
from bot.form.generator import CONFIG_NAME, FORM_PATH, render_config, render_form

WORKFLOWS = ("leaderboard.yml", "leaderboard-approval-relay.yml", "pages.yml")
WORKFLOW_DIR = ".github/workflows"
# The hourly sync fails each run without `sync.dataset`: init writes it only when the config has one.
SYNC_WORKFLOW = "leaderboard-sync.yml"
SYNC_PATH = f"{WORKFLOW_DIR}/{SYNC_WORKFLOW}"
CONFIG_PATH = ".github/leaderboard-bot.yml"
DATA_FILES = ("data/leaderboard_single.json", "data/leaderboard_multi.json")
EMPTY_DATA = "[]\n"
# The bot's own repository runs its Action as `./` (the base checkout); everywhere else it is the release.
SELF = "./"
SELF_USES = re.compile(r"^(?P<lead>[ \t]*- uses: )\./ # zizmor: ignore\[self-repository\][^\n]*$", re.M)
# OWNER/NAME@REF, optionally with the release as a comment: `acme/leaderboard-bot@<sha> # v1.2.0`.
ACTION_REF = re.compile(
    r"(?P<repository>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)@(?P<ref>[A-Za-z0-9._/-]+)"
    r"(?: # v\d+\.\d+\.\d+[A-Za-z0-9.+-]*)?"
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


def sync_configured(config_text: str | None) -> bool:
    """True when a config text (None: no config yet) names a dataset to sync from (its `sync:` section)."""
    if config_text is None:
        return False
    config, _ = load_config(CONFIG_PATH, config_text.encode("utf-8"))
    return config.sync is not None


def plan(uses: str, sync: bool = False) -> list[Planned]:
    """Every file init writes, with the Action referenced as ``uses`` (`OWNER/NAME@SHA # vX.Y.Z`, or `./`);
    the sync workflow too when ``sync``."""
    names = [*WORKFLOWS, SYNC_WORKFLOW] if sync else list(WORKFLOWS)
    files = [Planned(f"{WORKFLOW_DIR}/{name}", pin(template(f"workflows/{name}"), uses)) for name in names]
    form_dir = FORM_PATH.rsplit("/", 1)[0]
    files += [Planned(FORM_PATH, render_form()), Planned(f"{form_dir}/{CONFIG_NAME}", render_config())]
    files.append(Planned(CONFIG_PATH, template("leaderboard-bot.yml"), starter=True))
    files += [Planned(path, EMPTY_DATA, starter=True) for path in DATA_FILES]
    return files
