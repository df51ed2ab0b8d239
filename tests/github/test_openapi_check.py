"""The conformance checker itself: it finds each kind of departure from GitHub's description, resolves
``$ref``s, treats ``nullable`` as JSON Schema's null, and allows only the documented GitHub behaviours.
(The flow suites run it on every exchange: see CONFORMANCE_SUITES in tests/conftest.py.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_stage import REPO, Stage, as_file, entry
from tests.support.openapi_check import check, denull, find, violations
from tests.support.standin import GitHubStandin, LoggedRequest

LABEL = {
    "id": 1,
    "node_id": "x",
    "url": "https://api.github.com/repos/o/r/labels/bug",
    "name": "bug",
    "description": "Something is wrong",
    "color": "d73a4a",
    "default": True,
}


def _exchange(method: str, path: str, status: int, response: Any = None, **kw: Any) -> LoggedRequest:
    return LoggedRequest(0, method, path, kw.get("query", ""), "u", status, kw.get("body"), response=response)


@pytest.fixture
def recorded(github_standin: GitHubStandin, tmp_path: Path) -> list[LoggedRequest]:
    """A real PR check's exchanges with the stand-in."""
    stage = Stage(github_standin, tmp_path)
    number = stage.open_pr({"data/submissions/h100.json": as_file(entry())})
    assert stage.pr_event(number).code == 0
    return github_standin.requests


def test_a_real_pr_check_conforms_and_maps_every_request(recorded: list[LoggedRequest]) -> None:
    assert len(recorded) >= 5
    assert all(find(r.method, r.path) is not None for r in recorded)
    assert violations(recorded) == []


def test_operations_map_by_method_and_the_most_specific_template() -> None:
    op = find("GET", "/repos/o/r/git/ref/heads/feature/x")
    assert op is not None
    assert op.template == "/repos/{owner}/{repo}/git/ref/{ref}"
    op = find("GET", "/repos/o/r/issues/comments")
    assert op is not None
    assert op.template == "/repos/{owner}/{repo}/issues/comments"
    assert find("POST", "/repos/o/r/git/ref/heads/main") is None


def test_each_kind_of_departure_is_reported() -> None:
    assert "no operation" in check(_exchange("GET", "/repos/o/r/nope", 200))[0]
    assert "status 418 is not documented" in check(_exchange("GET", f"/repos/{REPO}/labels/bug", 418))[0]
    missing = {k: v for k, v in LABEL.items() if k != "color"}
    (problem,) = check(_exchange("GET", "/repos/o/r/labels/bug", 200, missing))
    assert "$: 'color' is a required property" in problem
    (problem,) = check(_exchange("GET", "/repos/o/r/labels", 200, query="per_page=many"))
    assert "query per_page='many'" in problem
    (problem,) = check(_exchange("GET", "/repos/o/r/labels", 200, [], query="colour=red"))
    assert "'colour' is not documented" in problem
    (problem,) = check(_exchange("POST", "/repos/o/r/labels", 201, LABEL, body={"name": 7}))
    assert "body $.name: 7 is not of type 'string'" in problem


def test_refs_resolve_and_nested_shapes_are_checked(recorded: list[LoggedRequest]) -> None:
    posted = next(r for r in recorded if r.method == "POST" and r.path.endswith("/issues/1/comments"))
    broken = copy.deepcopy(posted)
    broken.response["user"].pop("login")  # issue-comment -> $ref nullable-simple-user
    assert any("$.user: 'login' is a required property" in p for p in check(broken))
    broken.response["user"] = None
    assert check(broken) == []


def test_nullable_allows_null_and_only_null() -> None:
    assert denull({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert denull({"allOf": [{"type": "object"}], "nullable": True}) == {
        "anyOf": [{"allOf": [{"type": "object"}]}, {"type": "null"}]
    }
    assert denull({"type": "string", "enum": ["a"], "nullable": True})["enum"] == ["a", None]


def test_a_comment_review_needs_a_body() -> None:
    path = "/repos/o/r/pulls/1/reviews"
    problems = check(_exchange("POST", path, 200, None, body={"event": "COMMENT", "comments": []}))
    assert problems == [f"POST {path} body $.body: required when event is COMMENT"]


def test_only_githubs_documented_behaviours_are_allowed() -> None:
    labels = "/repos/o/r/issues/1/labels"
    assert check(_exchange("POST", labels, 200, [LABEL], body=["bug"])) == []  # bare array of names
    assert check(_exchange("GET", "/repos/o/r/labels/bug", 200, {**LABEL, "description": None})) == []
    assert check(_exchange("GET", "/repos/o/r/labels/bug", 200, {**LABEL, "name": None}))  # not allowed
    gone = "/repos/o/r/issues/comments/1"
    not_found = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
    assert check(_exchange("DELETE", gone, 404, not_found)) == []  # documented: 204 only
    assert "404 $.message" in check(_exchange("DELETE", gone, 404, {"message": 1}))[0]
