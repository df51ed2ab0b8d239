"""Webhook payload helpers: real octokit examples, patched fields, draft-07 validation with on-disk $refs."""

from __future__ import annotations

import pytest

from tests.support.standin import GitHubStandin
from tests.support.standin.payloads import (
    issue_comment_event,
    list_examples,
    load_payload,
    make_payload,
    patch_payload,
    payload_errors,
    pull_request_event,
    review_event,
    validate_payload,
)

REPO = "octo-org/leaderboard"
SHA = "a" * 40
CASES = [
    ("pull_request", "opened", {"pull_request.head.sha": SHA, "pull_request.body": "Closes #3", "number": 7}),
    ("pull_request", "synchronize", {"pull_request.head.sha": SHA, "before": "b" * 40, "after": SHA}),
    ("pull_request", "reopened", {"pull_request.title": "Add entry", "sender.login": "alice"}),
    ("pull_request", "edited", {"pull_request.body": "new body"}),
    ("pull_request_review", "submitted", {"review.state": "approved", "review.commit_id": SHA}),
    ("issues", "opened", {"issue.body": "### Model\n\nllama\n", "issue.title": "[Submission] x"}),
    ("issues", "edited", {"issue.body": "### Model\n\nqwen\n"}),
    ("issue_comment", "created", {"comment.body": "/validate", "comment.user.login": "alice"}),
]


def test_every_example_on_disk_validates() -> None:
    """All upstream examples load and match their event/action schema."""
    examples = list_examples()
    assert ("pull_request", "opened.with-null-body") in examples
    assert len(examples) >= 14
    for event, name in examples:
        assert payload_errors(event, load_payload(event, name)) == [], f"{event}/{name}"


@pytest.mark.parametrize(("event", "name", "changes"), CASES)
def test_patched_examples_validate(event: str, name: str, changes: dict[str, object]) -> None:
    """Patching chosen fields keeps every needed example valid; the patch is applied."""
    payload = make_payload(event, name, changes)
    assert payload["action"] == name
    for dotted, value in changes.items():
        node: object = payload
        for part in dotted.split("."):
            assert isinstance(node, dict)
            node = node[part]
        assert node == value
    assert load_payload(event, name) != payload or not changes


def test_patching_is_strict_and_validation_catches_mistakes() -> None:
    """Unknown fields are refused unless asked for; REST-style values fail webhook schemas."""
    payload = load_payload("pull_request_review", "submitted")
    with pytest.raises(KeyError):
        patch_payload(payload, {"review.stat": "approved"})
    patch_payload(payload, {"review.state": "APPROVED"})
    with pytest.raises(AssertionError, match="review/state"):
        validate_payload("pull_request_review", payload)
    broken = patch_payload(load_payload("issues", "opened"), {"sender.login": None})
    assert any(e.startswith("sender/login") for e in payload_errors("issues", broken))
    extra = patch_payload(load_payload("issues", "opened"), {"surprise": 1}, create=True)
    assert payload_errors("issues", extra)
    assert load_payload("pull_request", "edited")["changes"] == {}


def test_payloads_from_standin_state(github_standin: GitHubStandin) -> None:
    """Event payloads built from stand-in objects carry their numbers, SHAs and logins, and validate."""
    srv = github_standin
    srv.create_repo(REPO, {"README.md": "x\n"})
    head = srv.commit(REPO, "sub", {"e.json": "{}\n"}, base="main", author="carol")
    number = srv.open_pr(REPO, "sub", body="Closes #9", author="carol")
    pull = srv.pull(REPO, number)
    opened = pull_request_event("opened", pull, sender="carol")
    assert (opened["number"], opened["pull_request"]["head"]["sha"], opened["repository"]["full_name"]) == (
        number,
        head,
        REPO,
    )
    review_id = srv.review(REPO, number, author="alice")
    review = next(
        r for r in srv.api("alice").get(f"/repos/{REPO}/pulls/{number}/reviews") if r["id"] == review_id
    )
    submitted = review_event(review, pull)
    assert submitted["review"]["state"] == "approved"
    assert submitted["review"]["commit_id"] == head
    comment_id = srv.comment(REPO, number, "/validate", author="github-actions[bot]")
    comment = next(c for c in srv.comments(REPO, number) if c["id"] == comment_id)
    created = issue_comment_event(comment, srv.issue(REPO, number), REPO)
    assert created["comment"]["user"]["type"] == "Bot"
    assert created["issue"]["number"] == number
