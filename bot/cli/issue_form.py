"""``leaderboard-bot issue-form``: write the generated issue form and its chooser config, or check them."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.form.generator import CONFIG_NAME, render_config, render_form
from bot.fs import write_or_check


def run(args: argparse.Namespace) -> int:
    """Write the form and the chooser config, or with --check report whether they are stale."""
    form_path = Path(args.out)
    outputs = {form_path: render_form(), form_path.with_name(CONFIG_NAME): render_config()}
    return write_or_check(outputs, check=args.check, command="issue-form")
