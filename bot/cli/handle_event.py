"""``leaderboard-bot handle-event``: the Action's entry point (bot.github.entry does the work)."""

from __future__ import annotations

import argparse
import os

from bot.github.entry import handle


def run(args: argparse.Namespace) -> int:
    """Handle the event of this workflow run, from the standard Actions environment."""
    return handle(os.environ)
