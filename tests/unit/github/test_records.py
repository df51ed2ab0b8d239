"""The plain records the GitHub adapter builds from API answers."""

from __future__ import annotations

from bot.github.records import Annotation, annotation_payload, listed_at


def test_a_file_item_names_the_commit_it_was_listed_at() -> None:
    url = "https://api.github.com/repos/o/r/contents/data/leaderboard_single.json?ref=0123abcd"
    assert listed_at(url) == "0123abcd"
    assert listed_at("https://api.github.com/repos/o/r/contents/a%20b.json?ref=main&x=1") == "main"
    assert listed_at("https://api.github.com/repos/o/r/contents/x.json") is None
    assert listed_at(None) is None


def test_an_annotation_is_cut_to_the_check_runs_limits() -> None:
    payload = annotation_payload(Annotation("data/x.json", 7, "failure", "t" * 300, "m" * 70_000))
    assert payload["start_line"] == payload["end_line"] == 7
    assert payload["annotation_level"] == "failure"
    assert len(str(payload["title"])) == 255
    assert len(str(payload["message"])) == 64_000
