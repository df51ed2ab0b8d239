"""Did-you-mean suggestions and the rendering of values and numbers inside messages."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from typing import Any


def show(value: Any, limit: int = 60) -> str:
    """Render a value as JSON for a message, shortened to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(value: Any, choices: Iterable[str]) -> str | None:
    """The closest known value: an exact case-insensitive match first, then a fuzzy one."""
    if not isinstance(value, str):
        return None
    options = list(choices)
    folded = value.strip().casefold().replace("_", "-")
    for option in options:
        if option.casefold().replace("_", "-") == folded:
            return option
    lowered = {option.casefold(): option for option in options}
    close = difflib.get_close_matches(value.casefold(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def suggestion(value: Any, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix for a message naming the closest choice, or ""."""
    guess = did_you_mean(value, choices)
    return f" (did you mean {guess!r}?)" if guess else ""


def one_edit_apart(first: str, second: str) -> bool:
    """Whether one character changed, added or dropped turns one text into the other (or they are equal)."""
    if len(first) == len(second):
        return sum(a != b for a, b in zip(first, second, strict=True)) <= 1
    short, long = sorted((first, second), key=len)
    return len(long) - len(short) == 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def case_fix(value: Any, choices: Iterable[str]) -> str | None:
    """The known value that differs from ``value`` only in case or spacing (a mechanical fix)."""
    if not isinstance(value, str):
        return None
    folded = value.strip().casefold()
    matches = [option for option in choices if option.casefold() == folded]
    return matches[0] if len(matches) == 1 else None


def num(value: float) -> str:
    """A number for a message: about three significant figures, thousands separated."""
    if abs(value) >= 1e9:  # 1e300 written out would be 300 digits
        return f"{value:.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return f"{value:.3g}"
