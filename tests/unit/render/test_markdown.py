"""Escaping of user-controlled text for GitHub Markdown."""

from __future__ import annotations

import re

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from bot.render.markdown import code, code_block, escape, table


def _html(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def test_escape_renders_as_the_literal_text() -> None:
    text = "<b>x</b> *a* _b_ [l](u) ![i](u) `c` ~~s~~ | #1 @me & \\"
    html = _html(escape(text))
    assert "<b>" not in html
    assert "<a " not in html
    assert "<img" not in html
    assert "<em>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "@\u200bme" in html
    assert "#\u200b1" in html


def test_escape_makes_one_short_line() -> None:
    assert escape("a\n\nb\tc") == "a b c"
    assert len(escape("x" * 500, limit=50)) == 50


def test_code_spans_and_blocks_cannot_be_closed_early() -> None:
    assert code("a`b") == "`aʼb`"
    assert code("a|b", in_table=True) == "`a\\|b`"
    block = code_block("x ``` y ```` z", "json")
    assert block.startswith("`````json\n")
    assert block.endswith("\n`````")
    assert "<pre" in _html(block)
    assert "z" in _html(block)


def test_table_cells_stay_in_place() -> None:
    markdown = table(["a", "b"], [[escape("x|y"), code("p|q", in_table=True)]])
    assert _html(markdown).count("<td>") == 2


def test_control_characters_are_shown_and_line_breaks_are_placed() -> None:
    """An escape character reached the comment raw; a newline is Markdown's to place (a space inline,
    a line in a code block)."""
    assert escape("a\x1b[31mb\x07") == "a⟨U\\+001B⟩\\[31mb⟨U\\+0007⟩"
    assert code("x\x00y\nz") == "`x⟨U+0000⟩y z`"
    assert code_block('{\n\t"k": "\x1b"\n}', "json") == '```json\n{\n\t"k": "⟨U+001B⟩"\n}\n```'


@pytest.mark.parametrize(
    "text", ["_@.evil.com", "a_@.evil.com", "x.@.evil.com", "www.@.W", "!_@.https://x", "@octocat", "#1"]
)
def test_escaped_text_links_no_address_and_notifies_no_one(text: str) -> None:
    """GFM links an e-mail address after backslash escapes are resolved, so `@\\.` still linked."""
    for markdown in (escape(text), table(["a"], [[escape(text)]])):
        html = _html(markdown)
        assert "<a " not in html, markdown
        assert text in html.replace("\u200b", "")  # readers see the text itself


def test_escape_breaks_gh_references_and_commit_shas_but_not_numbers() -> None:
    # GitHub links GH-26 to issue 26 and 7+ hex digits to a commit with that prefix (after rendering).
    sha = "0123456789abcdef0123456789abcdef01234567"
    text = _html(escape(f"GH-1 gh-22 {sha} deadbeef 2094.5648670196533 12345678"))
    visible = text.replace("\u200b", "")
    assert f"GH-1 gh-22 {sha} deadbeef 2094.5648670196533 12345678" in visible  # readers see the same
    assert "GH-1" not in text
    assert "gh-22" not in text
    assert not re.search(r"[0-9a-f]{7}", text.replace("2094.5648670196533 12345678", ""))
    assert "2094.5648670196533 12345678" in text  # numbers stay whole, as a reader copies them


def test_escape_leaves_no_math_to_render() -> None:
    # GitHub renders $...$ as math: a submitter could set large coloured text in the bot's comment.
    markdown = escape(r"$\Huge\color{red}{APPROVED}$ and a lone $")
    assert "$" not in markdown.replace("\\$", "")
    assert _html(markdown) == "<p>$\\Huge\\color{red}{APPROVED}$ and a lone $</p>\n"
