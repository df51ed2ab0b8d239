"""Fault injection, rate limits and the request log, as PyGithub (with GithubRetry) experiences them."""

from __future__ import annotations

import time

import pytest
import requests
from github import GithubException, GithubRetry

from tests.support.standin import GitHubStandin

REPO = "octo-org/leaderboard"


def fast_retry(total: int = 3) -> GithubRetry:
    """GithubRetry that never sleeps (backoff 0, Retry-After 0 honoured)."""
    return GithubRetry(total=total, backoff_factor=0, secondary_rate_wait=0)


@pytest.fixture
def srv(github_standin: GitHubStandin) -> GitHubStandin:
    """A stand-in with one seeded repository and an open issue."""
    github_standin.create_repo(REPO, {"README.md": "x\n"})
    github_standin.create_issue(REPO, "Submission")
    return github_standin


def test_502_on_get_is_retried(srv: GitHubStandin) -> None:
    """A 502 on a GET is retried by GithubRetry; the log shows both attempts."""
    gh = srv.client(srv.actions_token(), retry=fast_retry())
    srv.faults.fail(502, "GET", r"/issues/1$")
    srv.clear_log()
    assert gh.get_repo(REPO).get_issue(1).title == "Submission"
    assert [(r.status, r.fault) for r in srv.requests if r.path.endswith("/1")] == [
        (502, "status 502"),
        (200, None),
    ]
    assert srv.count("GET", r"/issues/1$") == 2


def test_patch_is_not_retried_and_errors_have_github_shape(srv: GitHubStandin) -> None:
    """PATCH is outside GithubRetry's allowed methods: one 503 surfaces as GithubException."""
    repo = srv.client(srv.actions_token(), retry=fast_retry()).get_repo(REPO)
    issue = repo.get_issue(1)
    srv.faults.fail(503, "PATCH")
    with pytest.raises(GithubException) as failed:
        issue.edit(title="new")
    assert failed.value.status == 503
    assert set(failed.value.data) == {"message", "documentation_url"}
    assert srv.count("PATCH") == 1
    assert srv.issue(REPO, 1)["title"] == "Submission"


def test_stored_but_answered_502_duplicates_a_retried_post(srv: GitHubStandin) -> None:
    """A POST that is stored and then answered 502 is re-sent by GithubRetry: two comments exist."""
    issue = srv.client(srv.actions_token(), retry=fast_retry()).get_repo(REPO).get_issue(1)
    srv.faults.fail(502, "POST", r"/issues/1/comments$", after_apply=True)
    issue.create_comment("<!-- bot -->")
    assert [c["body"] for c in srv.comments(REPO, 1)] == ["<!-- bot -->", "<!-- bot -->"]


def test_rate_limit_fault_with_retry_after_is_retried(srv: GitHubStandin) -> None:
    """Primary and secondary rate-limit 403s with Retry-After: 0 are retried without sleeping."""
    gh = srv.client(srv.actions_token(), retry=fast_retry())
    srv.faults.rate_limit("GET", r"/issues/1$")
    srv.faults.rate_limit("GET", r"/issues/1$", secondary=True)
    started = time.monotonic()
    assert gh.get_repo(REPO).get_issue(1).title == "Submission"
    assert time.monotonic() - started < 5
    assert [r.status for r in srv.requests if r.path.endswith("/issues/1")] == [403, 403, 200]


def test_connection_reset_is_retried_and_surfaces_without_retry(srv: GitHubStandin) -> None:
    """A dropped connection is retried on GET; without retries it raises a connection error."""
    gh = srv.client(srv.actions_token(), retry=fast_retry())
    srv.faults.reset("GET", r"/issues/1$")
    assert gh.get_repo(REPO).get_issue(1).title == "Submission"
    bare = srv.client(srv.actions_token(), retry=0).get_repo(REPO)
    srv.faults.reset("GET", r"/issues/1$")
    with pytest.raises(requests.exceptions.ConnectionError):
        bare.get_issue(1)


def test_nth_request_fault_and_delay(srv: GitHubStandin) -> None:
    """fail_nth hits exactly the n-th request from now; delay slows one request down."""
    repo = srv.client(srv.actions_token()).get_repo(REPO)
    srv.faults.fail_nth(2, 409, message="Conflict here")
    repo.get_issue(1)
    with pytest.raises(GithubException) as second:
        repo.get_issue(1)
    assert second.value.status == 409
    assert second.value.data["message"] == "Conflict here"
    repo.get_issue(1)
    srv.faults.delay(0.2, "GET")
    started = time.monotonic()
    repo.get_issue(1)
    assert time.monotonic() - started >= 0.2
    assert srv.faults.pending() == []


def test_rate_limit_budget_headers_and_reset(srv: GitHubStandin) -> None:
    """Every answer carries X-RateLimit-*; a spent budget answers 403; the window resets after an hour."""
    token = srv.actions_token(rate_limit=3)
    gh = srv.client(token, retry=None)
    repo = gh.get_repo(REPO)
    repo.get_issue(1)
    assert gh.get_rate_limit().resources.core.remaining == 1
    headers = requests.get(
        f"{srv.url}/repos/{REPO}", headers={"Authorization": f"token {token}"}, timeout=5
    ).headers
    assert {k: headers[k] for k in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used")} == {
        "X-RateLimit-Limit": "3",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Used": "3",
    }
    assert headers["X-RateLimit-Resource"] == "core"
    assert int(headers["X-RateLimit-Reset"]) > time.time()
    with pytest.raises(GithubException) as spent:
        repo.get_issue(1)
    assert spent.value.status == 403
    assert spent.value.data["message"].startswith("API rate limit exceeded")
    srv.advance_time(3601)
    assert repo.get_issue(1).number == 1
    bad = requests.get(f"{srv.url}/repos/{REPO}", headers={"Authorization": "token nope"}, timeout=5)
    assert bad.status_code == 401
    assert bad.json()["message"] == "Bad credentials"


def test_request_log_counts_a_flow(srv: GitHubStandin) -> None:
    """Tests can count API requests per flow by method and path."""
    repo = srv.client(srv.actions_token()).get_repo(REPO)
    srv.clear_log()
    issue = repo.get_issue(1)
    issue.create_comment("a")
    issue.add_to_labels("x")
    assert [(r.method, r.status) for r in srv.requests] == [("GET", 200), ("POST", 201), ("POST", 200)]
    assert srv.count("POST") == 2
    assert srv.count(path=r"/labels$", status=200) == 1
    assert srv.requests[1].body == {"body": "a"}
    assert srv.requests[1].login == "github-actions[bot]"
