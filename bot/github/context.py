"""What a handler gets besides the event: the GitHub adapter, the settings and the run's outputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.contract.config import Config
from bot.github.api import GitHubAPI

DEFAULT_BOT_LOGIN = "github-actions[bot]"


@dataclass
class Context:
    """Everything a handler may use; built once per run by ``handle-event`` (or by a test)."""

    api: GitHubAPI
    config: Config
    read_base: Callable[[str], bytes]  # reads a file of the base branch's checkout
    base_commit: str | None = None  # the commit that checkout holds, when the workflow says
    base_tree: str | None = None  # that commit's tree (the Action reads it from the checkout)
    base_branch: str | None = None  # the branch that checkout is of
    # The repository's default branch, the only one submissions land on (every webhook payload names it;
    # None: asked through the API when needed).
    default_branch: str | None = None
    data_dir: str = "data"
    bot_login: str = DEFAULT_BOT_LOGIN
    run_url: str | None = None
    now: dt.datetime | None = None
    # Writes a valid PR's merged data files (name -> text) for the page preview and returns their folder;
    # None: no preview. The entry point supplies it, so no handler touches the filesystem.
    write_preview: Callable[[Mapping[str, str]], str] | None = None
    env: Mapping[str, str] = field(default_factory=dict)  # the run's environment (HF_ENDPOINT, HF_TOKEN, ...)
    # Each login's permission as this run knows it: asked once per run, or verified by the job that queued
    # this land job (its `verified` output), so that one approval is not checked twice in one workflow run.
    permissions: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    job_summary: list[str] = field(default_factory=list)
    failed: bool = False

    def landing_branch(self) -> str:
        """The branch merges go to: the repository's default branch (asked once if the event did not say)."""
        if self.default_branch is None:
            self.default_branch = self.api.default_branch()
        return self.default_branch

    def output(self, name: str, value: str) -> None:
        """Set a step output of the Action."""
        self.outputs[name] = value
