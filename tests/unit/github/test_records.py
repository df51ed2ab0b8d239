"""The plain records the GitHub adapter builds from API answers."""

from __future__ import annotations

from bot.github.records import Annotation, annotation_payload, check_run_outputs, listed_at


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


def test_a_check_runs_annotations_go_fifty_to_a_request_each_with_the_texts() -> None:
    notes = [Annotation("data/x.json", line, "warning", "t", "m") for line in range(1, 121)]
    output = {"title": "leaderboard-bot", "summary": "s" * 70_000}
    payloads = check_run_outputs(output, notes)
    assert [len(p["annotations"]) for p in payloads] == [50, 50, 20]
    assert [a["start_line"] for p in payloads for a in p["annotations"]] == list(range(1, 121))
    assert all(p["title"] == "leaderboard-bot" and len(p["summary"]) == 65_535 for p in payloads)
    # Without annotations the creation still carries the texts.
    assert check_run_outputs(output, []) == [{**output, "summary": "s" * 65_535, "annotations": []}]
