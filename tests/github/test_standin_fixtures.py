"""Replays the recorded real GitHub interactions (octokit fixtures) against the stand-in and compares
status codes, key sets of response bodies (recursively) and the headers that matter to clients."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.paths import API_FIXTURES
from tests.support.standin import GitHubStandin

ORG = "octokit-fixture-org"
USER = "octokit-fixture-user-a"
TOKEN = "0000000000000000000000000000000000000001"
SHA1 = "0000000000000000000000000000000000000001"
SHA2 = "0000000000000000000000000000000000000002"
HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
    "link",
    "location",
)


def fixture(name: str) -> list[dict[str, Any]]:
    """One recorded scenario of octokit/fixtures (bundled in tests/fixtures/github/api-fixtures)."""
    data: list[dict[str, Any]] = json.loads((API_FIXTURES / name).read_text())
    return data


# Fields GitHub added after octokit/fixtures recorded its answers; its current API description requires
# them (tests/support/openapi_check.py checks the stand-in against that description).
ADDED_SINCE_RECORDED = {"verified_at", "has_discussions"}


def shape_diff(ours: Any, theirs: Any, path: str = "$") -> list[str]:
    """Differences in key sets and JSON types, recursively (lists compare their first items)."""
    if theirs is None or ours is None:
        return []
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            return [f"{path}: expected object"]
        out = [f"{path}: missing {sorted(set(theirs) - set(ours))}"] if set(theirs) - set(ours) else []
        extra = set(ours) - set(theirs) - ADDED_SINCE_RECORDED
        out += [f"{path}: extra {sorted(extra)}"] if extra else []
        for key in sorted(set(theirs) & set(ours)):
            out += shape_diff(ours[key], theirs[key], f"{path}.{key}")
        return out
    if isinstance(theirs, list):
        if not isinstance(ours, list):
            return [f"{path}: expected array"]
        return shape_diff(ours[0], theirs[0], f"{path}[0]") if ours and theirs else []
    kinds = (bool, int, float, str)
    if next(k for k in kinds if isinstance(theirs, k)) is not next(
        (k for k in kinds if isinstance(ours, k)), None
    ):
        return [f"{path}: {type(ours).__name__} instead of {type(theirs).__name__}"]
    return []


def replay(
    srv: GitHubStandin,
    name: str,
    subst: dict[str, str] | None = None,
    skip: Callable[[dict[str, Any]], bool] = lambda _: False,
) -> list[tuple[dict[str, Any], requests.Response]]:
    """Send each recorded request (with placeholder SHAs/ids substituted) and check status, shape, headers."""
    subst = subst or {}
    done = []
    for rec in fixture(name):
        if skip(rec):
            continue
        text = json.dumps({"path": rec["path"], "body": rec["body"]})
        for old, new in subst.items():
            text = text.replace(old, new)
        sent = json.loads(text)
        headers = {"Authorization": f"token {TOKEN}", "Accept": rec["reqheaders"]["accept"]}
        resp = requests.request(
            rec["method"].upper(),
            srv.url + sent["path"],
            json=sent["body"] or None,
            headers=headers,
            timeout=10,
        )
        where = f"{name}: {rec['method'].upper()} {rec['path']}"
        assert resp.status_code == rec["status"], f"{where}: {resp.status_code} {resp.text[:300]}"
        missing = [h for h in HEADERS if h in rec["headers"] and h not in {k.lower() for k in resp.headers}]
        assert not missing, f"{where}: headers {missing} missing"
        if isinstance(rec["response"], (dict, list)):
            assert shape_diff(resp.json(), rec["response"]) == [], where
        elif rec["response"]:
            assert resp.text == rec["response"], where
        done.append((rec, resp))
    return done


@pytest.fixture
def srv(github_standin: GitHubStandin) -> GitHubStandin:
    """The fixture user with the fixture token."""
    github_standin.add_user(ORG, "Organization")
    github_standin.add_token(USER, TOKEN)
    return github_standin


def make_repo(srv: GitHubStandin, name: str, files: dict[str, Any] | None, branch: str = "main") -> str:
    """An org repository where the fixture user is admin."""
    full = f"{ORG}/{name}"
    srv.create_repo(full, files, default_branch=branch)
    srv.set_role(full, USER, "admin")
    return full


def test_get_repository_and_contents(srv: GitHubStandin) -> None:
    """get-repository.json and get-content.json (directory listing and raw media type)."""
    make_repo(srv, "hello-world", {"README.md": "# hello-world"}, branch="master")
    replay(srv, "get-repository.json")
    replay(srv, "get-content.json")


def test_create_file_in_empty_repository(srv: GitHubStandin) -> None:
    """create-file.json: the first file of an empty repository creates the branch (201)."""
    full = make_repo(srv, "create-file", None)
    replay(srv, "create-file.json")
    assert srv.read_file(full, "test.txt") == b"Test content"


def test_git_refs(srv: GitHubStandin) -> None:
    """git-refs.json: list, create, fast-forward, delete."""
    full = make_repo(srv, "git-refs", {"a": "1"})
    parent = srv.ref_sha(full) or ""
    tip = srv.commit(full, "main", {"b": "2"})
    replay(srv, "git-refs.json", {SHA2: parent, SHA1: tip})


def test_labels_and_errors(srv: GitHubStandin) -> None:
    """labels.json (with GitHub's nine default labels) and errors.json (422 body, exactly)."""
    make_repo(srv, "labels", {"a": "1"})
    replay(srv, "labels.json")
    make_repo(srv, "errors", {"a": "1"})
    [(rec, resp)] = replay(srv, "errors.json")
    assert {k: v for k, v in resp.json().items() if k != "documentation_url"} == {
        k: v for k, v in rec["response"].items() if k != "documentation_url"
    }


def test_issue_labels(srv: GitHubStandin) -> None:
    """add-labels-to-issue.json: creating an issue, then adding labels that do not exist yet."""
    make_repo(srv, "add-labels-to-issue", {"a": "1"})
    [_, (_, resp)] = replay(srv, "add-labels-to-issue.json")
    assert [lb["name"] for lb in resp.json()] == ["Foo", "bAr", "baZ"]


def test_commit_statuses(srv: GitHubStandin) -> None:
    """create-status.json: two statuses, the list, and the combined status."""
    full = make_repo(srv, "create-status", {"a": "1"})
    done = replay(srv, "create-status.json", {SHA1: srv.ref_sha(full) or ""})
    assert done[-1][1].json()["state"] == "failure"


def test_paginate_issues(srv: GitHubStandin) -> None:
    """paginate-issues.json: Link headers with /repositories/{id} URLs and rel prev/next/last/first."""
    full = make_repo(srv, "paginate-issues", {"a": "1"})
    for i in range(1, 14):
        srv.create_issue(full, f"Test issue {i}", author=USER)
    repo_id = str(srv._repo(full).id)
    done = replay(srv, "paginate-issues.json", {"/repositories/1000/": f"/repositories/{repo_id}/"})
    for rec, resp in done:
        theirs = rec["headers"].get("link", "").replace("https://api.github.com", srv.url)
        assert resp.headers.get("Link", "") == theirs.replace(
            "/repositories/1000/", f"/repositories/{repo_id}/"
        )
        assert [i["number"] for i in resp.json()] == [i["number"] for i in rec["response"]]


def test_collaborators(srv: GitHubStandin) -> None:
    """add-and-remove-repository-collaborator.json (invitations are accepted at once, so skipped)."""
    full = make_repo(srv, "add-and-remove-repository-collaborator", {"a": "1"})
    srv.set_role(full, "octokit-fixture-user-b", "write")
    srv.set_role(full, USER, "none")
    srv._repo(full).owner = USER
    invitations = ("/invitations", "/repository_invitations/")
    done = replay(
        srv,
        "add-and-remove-repository-collaborator.json",
        skip=lambda rec: any(p in rec["path"] for p in invitations) or rec["method"] == "put",
    )
    assert [len(resp.json()) for rec, resp in done if rec["method"] == "get"] == [2, 1]
    listed = done[0][1].json()[0]
    permission = requests.get(
        f"{srv.url}/repos/{full}/collaborators/{USER}/permission",
        headers={"Authorization": f"token {TOKEN}"},
        timeout=10,
    ).json()
    assert set(permission) == {"permission", "role_name", "user"}
    assert set(permission["user"]) == set(listed)
