"""LB113 over single entries: which text is refused, which is welcome, and what the message names."""

from __future__ import annotations

from typing import Any

import pytest

from bot.contract.lookalikes import lookalike_hits, plain_text, script_of


def _messages(**fields: str) -> list[tuple[tuple[Any, ...], str]]:
    entry: dict[str, Any] = {"model": {"name": "Qwen2.5-7B-Instruct"}, "metadata": {}}
    for path, value in fields.items():
        section, _, key = path.partition("__")
        if key:
            entry.setdefault(section, {})[key] = value
        else:
            entry[section] = value
    return [(hit.pointer, hit.message) for hit in lookalike_hits(entry)]


@pytest.mark.parametrize(
    "name",
    [
        "ＱＷＥＮ2.5-7B",  # fullwidth letters are Latin after NFKC (and LB304 folds them)
        "Café-Modèle",
        "Qwen模型-7B",  # Latin with Han
        "日本語モデル-ひらがな",  # Han, Katakana, Hiragana
        "한국어-모델",
        "Модель-1",  # one script, whichever (digits belong to all)
    ],
)
def test_names_in_one_script_or_scripts_written_together_pass(name: str) -> None:
    assert _messages(model__name=name) == []


def test_a_homoglyph_is_named_with_its_position_and_the_texts_script() -> None:
    ((pointer, message),) = _messages(hardware__chip_model="Н100-80GB-SXM")  # Cyrillic ЭН
    assert pointer == ("hardware", "chip_model")
    assert message == (
        'hardware.chip_model mixes scripts: U+041D CYRILLIC CAPITAL LETTER EN at character 1 (in "Н100") '
        "among Latin letters"
    )


def test_top_level_text_is_checked_too() -> None:
    ((pointer, message),) = _messages(engine="sage\u2060llm")
    assert pointer == ("engine",)
    assert message == "engine holds U+2060 WORD JOINER, an invisible character, at character 5 of 8"


def test_free_text_may_mix_scripts_and_use_joiners_but_not_bidi_controls() -> None:
    welcome = {"metadata__notes": "在 H100 上测试 👩\u200d🔬 ❤\ufe0f", "metadata__submitter": "Иван Smith"}
    assert _messages(**welcome) == []
    ((_, message),) = _messages(metadata__notes="ok \u2066x\u2069")
    assert message.startswith("metadata.notes holds U+2066 LEFT-TO-RIGHT ISOLATE, a bidirectional control")
    ((_, joiner),) = _messages(model__name="Qwen\u200d2")
    assert joiner.startswith("model.name holds U+200D ZERO WIDTH JOINER, an invisible character")


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x07", "U+0007 CONTROL CHARACTER, a control character"),  # ASCII, but not printable
        ("\t", "U+0009 CONTROL CHARACTER, a control character"),
        ("\x85", "U+0085 CONTROL CHARACTER, a control character"),
        ("\u2028", "U+2028 LINE SEPARATOR, a control character"),
        ("\u2800", "U+2800 BRAILLE PATTERN BLANK, an invisible character"),
        ("\ufffb", "U+FFFB INTERLINEAR ANNOTATION TERMINATOR, an invisible character"),
        ("\U0001d173", "U+1D173 MUSICAL SYMBOL BEGIN BEAM, an invisible character"),
    ],
)
def test_control_and_blank_characters_are_refused_in_names(char: str, kind: str) -> None:
    # Each made "Qwen2.5-7B-Instruct" look new to the same-configuration check before.
    ((pointer, message),) = _messages(model__name=f"Qwen{char}")
    assert pointer == ("model", "name")
    assert message == f"model.name holds {kind}, at character 5 of 5"


def test_free_text_may_hold_tabs_and_line_breaks_but_no_other_control_character() -> None:
    assert _messages(metadata__notes="line 1\n\tline 2\r\n") == []
    ((_, message),) = _messages(metadata__notes="a\x00b")
    assert message == (
        "metadata.notes holds U+0000 CONTROL CHARACTER, a control character, at character 2 of 3"
    )


def test_plain_ascii_files_are_passed_over_unless_an_escape_could_hide_a_character() -> None:
    assert plain_text('{"name": "Qwen"}', "json")
    assert not plain_text('{"name": "Qw\\u0435n"}', "json")
    assert not plain_text('{"name": "Qwen\\t"}', "json")  # a tab is ASCII but no name holds one
    assert plain_text('{"cmd": "echo \\"x\\" \\\\ y"}', "json")
    assert not plain_text('{"name": "Qwеn"}', "json")
    assert not plain_text('name: "Qw\\xe9n"', "yaml")
    assert plain_text("name: Qwen", "yaml")


def test_scripts_come_from_the_character_names() -> None:
    assert [script_of(c) for c in "aа α中カ7-"] == [
        "Latin",
        "Cyrillic",
        None,
        "Greek",
        "Han",
        "Katakana",
        None,
        None,
    ]
