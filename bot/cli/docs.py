"""``leaderboard-bot docs``: write the generated field reference, or check that it is current."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.contract.schema_check import load_schema
from bot.fs import write_or_check
from bot.render.field_reference import render


def run(args: argparse.Namespace) -> int:
    """Write the reference, or with --check report whether the committed one is stale."""
    return write_or_check({Path(args.out): render(load_schema())}, check=args.check, command="docs")
