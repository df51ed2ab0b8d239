"""Plain text that a submission's values cannot break out of (a terminal, a CI log)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.plain import visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Qwen2.5-7B · 模型 · ü", "Qwen2.5-7B · 模型 · ü"),  # printable text of any script is left alone
        ("\x1b[31mred", "⟨U+001B⟩[31mred"),
        ("id\n::error::forged", "id⟨U+000A⟩::error::forged"),
        ("OK\rFAILED", "OK⟨U+000D⟩FAILED"),
        ("\x9b2J", "⟨U+009B⟩2J"),  # the one-byte CSI of 8-bit terminals
        ("a\u2028b", "a⟨U+2028⟩b"),
        ("abc\u202edcba", "abc⟨U+202E⟩dcba"),  # a bidirectional override would show "abcabcd"
        ("x\u200by", "x⟨U+200B⟩y"),
    ],
)
def test_visible_shows_what_a_terminal_would_act_on(text: str, shown: str) -> None:
    assert visible(text) == shown


@given(st.text())
def test_visible_leaves_one_line_with_no_control_character(text: str) -> None:
    shown = visible(text)
    assert len(shown.splitlines()) <= 1
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
