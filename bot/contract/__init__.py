"""The entry contract, pure: findings, the rule table, loaders, schema check, rules, cross-checks,
configuration and validation."""

from __future__ import annotations

import pkgutil


def bundled_text(name: str) -> str:
    """A data file shipped inside this package (e.g. ``schemas/leaderboard_v1.schema.json``).

    Read with ``pkgutil.get_data``, which works from a zip too: ``importlib.resources`` imports
    tempfile and shutil first, 8 ms of every validation run.
    """
    raw = pkgutil.get_data(__name__, name)
    if raw is None:  # a loader that cannot read data files: an installation problem, not a user's
        raise FileNotFoundError(f"{__name__}/{name}")
    return raw.decode("utf-8")
