"""GitHub's refusals, read from status and body as GitHub words them (see the stand-in's sources)."""

from __future__ import annotations

import pytest

from bot.github.refusals import (
    HINT_ACTIONS_PRS,
    HINT_INVALID,
    HINT_PERMISSIONS,
    HINT_RERUN,
    WHERE_UNKNOWN,
    describe,
    detailed_message,
    error_details,
    ref_refusal,
)

INVALID = HINT_INVALID.format(where=WHERE_UNKNOWN)

NOT_FAST_FORWARD = {"message": "Update is not a fast forward", "status": "422"}
RULESET = {
    "message": "Repository rule violations found",
    "errors": [{"message": "Changes must be made through a pull request."}],
}
SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
}


@pytest.mark.parametrize(
    ("status", "data", "meaning"),
    [
        (422, NOT_FAST_FORWARD, "conflict"),  # the compare-and-swap lost: read again
        (422, {"message": "Reference does not exist"}, "conflict"),  # the branch was deleted meanwhile
        (409, {"message": "Git Repository is empty."}, "conflict"),
        (422, {"message": "Protected branch update failed for refs/heads/main."}, "refused"),
        (422, RULESET, "refused"),
        (403, {"message": "Resource not accessible by integration"}, "refused"),
        (403, SECONDARY, None),  # a rate limit is neither: it is raised, and the retry policy waits
        (500, {"message": "Server Error"}, None),
        (404, {"message": "Not Found"}, None),
    ],
)
def test_a_refused_branch_move_is_a_lost_race_a_rule_or_neither(
    status: int, data: dict[str, object], meaning: str | None
) -> None:
    assert ref_refusal(status, detailed_message(data, "fallback")) == meaning


def test_the_message_carries_the_rules_a_ruleset_lists() -> None:
    assert detailed_message(RULESET, "x") == (
        "Repository rule violations found: Changes must be made through a pull request."
    )
    assert detailed_message({"errors": ["plain text error"]}, "fallback") == "fallback: plain text error"
    assert detailed_message("not json", "fallback") == "not json"


@pytest.mark.parametrize(
    ("errors", "details"),
    [
        ([{"message": "Body is too long"}], ["Body is too long"]),
        ([{"resource": "Issue", "field": "title", "code": "missing_field"}], ["Issue.title: missing_field"]),
        ([{"resource": "Label", "code": "already_exists"}], ["Label: already_exists"]),
        ([{"code": "invalid"}, "plain text", {"field": "x"}, " "], ["invalid", "plain text"]),
        ({"message": "not a list"}, []),
        (None, []),
    ],
)
def test_error_details_read_every_shape_github_documents(errors: object, details: list[str]) -> None:
    # GitHub's REST docs ("Client errors"): each error has resource, field and code, and a
    # message only for code "custom"; rulesets and some endpoints list plain texts.
    assert error_details(errors) == details


def test_a_refusal_reads_the_same_for_the_one_line_error_and_for_the_branch_move() -> None:
    # describe (the run's error line) and detailed_message (what Conflict and Refused carry, what
    # ref_refusal reads) read one body alike.
    error = {"resource": "Ref", "field": "sha", "code": "invalid"}
    data = {"message": "Validation Failed", "errors": [error]}
    assert detailed_message(data, "x") == "Validation Failed: Ref.sha: invalid"
    assert describe(422, data).startswith("GitHub answered 422: Validation Failed: Ref.sha: invalid (hint: ")


@pytest.mark.parametrize(
    ("status", "data", "hint"),
    [
        (
            403,
            {"message": "GitHub Actions is not permitted to create or approve pull requests."},
            HINT_ACTIONS_PRS,
        ),
        (403, SECONDARY, HINT_RERUN),
        (502, {"message": "Bad Gateway"}, HINT_RERUN),
        (401, {"message": "Bad credentials"}, HINT_PERMISSIONS),
        (404, {"message": "Not Found"}, HINT_PERMISSIONS),
        (422, {"message": "Validation Failed", "errors": [{"message": "Body is too long"}]}, INVALID),
        (409, {"message": "Git Repository is empty."}, INVALID),
        (302, {"message": "Moved"}, None),  # not a refusal GitHub explains: its words alone
    ],
)
def test_every_refusal_is_one_line_with_the_fix_when_the_fix_is_known(
    status: int, data: dict[str, object], hint: str | None
) -> None:
    line = describe(status, data)
    assert line.startswith(f"GitHub answered {status}: ")
    assert "\n" not in line
    assert str(data["message"]) in line
    if hint is None:
        assert line == f"GitHub answered {status}: {data['message']}"
    else:
        assert line.endswith(f"(hint: {hint})")


def test_the_details_of_a_validation_failure_come_before_the_hint() -> None:
    data = {"message": "Validation Failed", "errors": [{"message": "Body is too long"}]}
    expected = f"GitHub answered 422: Validation Failed: Body is too long (hint: {INVALID})"
    assert describe(422, data) == expected


def test_a_request_github_found_invalid_is_reported_where_the_release_came_from() -> None:
    tracker = "https://github.com/acme/leaderboard-bot/issues"
    line = describe(422, {"message": "Validation Failed"}, tracker)
    assert line.endswith(f"as a bug of leaderboard-bot at {tracker})")
    assert describe(404, {"message": "Not Found"}, tracker).endswith(f"(hint: {HINT_PERMISSIONS})")
    assert "{where}" not in describe(422, {"message": "Validation Failed"})


def test_a_body_that_is_not_an_object_is_quoted_as_it_came() -> None:
    assert describe(502, "<html>\n  Bad   Gateway</html>") == (
        f"GitHub answered 502: <html> Bad Gateway</html> (hint: {HINT_RERUN})"
    )
