"""The GitHub stand-in's issue tracker side via PyGithub: comments, labels, reviews, permissions, checks."""

from __future__ import annotations

import pytest
from github import Github, GithubException
from github.Repository import Repository

from tests.support.standin import ACTIONS_BOT, GitHubStandin

REPO = "octo-org/leaderboard"


@pytest.fixture
def lb(github_standin: GitHubStandin) -> tuple[GitHubStandin, Repository, Repository]:
    """A repository with an open PR by carol; alice (maintainer) and the Actions bot as clients."""
    srv = github_standin
    srv.create_repo(REPO, {"README.md": "x\n"}, owner_type="Organization")
    srv.set_role(REPO, "alice", "maintain")
    srv.commit(REPO, "sub", {"data/e.json": "{}\n"}, base="main", author="carol")
    srv.open_pr(REPO, "sub", title="Submission", author="carol")
    alice = srv.client(srv.user_token("alice")).get_repo(REPO)
    bot = srv.client(srv.actions_token()).get_repo(REPO)
    return srv, alice, bot


def test_comments_by_two_users_with_pagination(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """Authors come from the token; Bot type for [bot]; Link pagination; edit, delete, 65,536 limit."""
    srv, alice, bot = lb
    issue = bot.get_issue(1)
    first = issue.create_comment("<!-- marker -->\nresult v1")
    alice.get_issue(1).create_comment("thanks")
    for i in range(3):
        issue.create_comment(f"extra {i}")
    assert (first.user.login, first.user.type) == (ACTIONS_BOT, "Bot")
    assert first.html_url.endswith(f"#issuecomment-{first.id}")
    paged = srv.client(srv.user_token("carol"), per_page=2).get_repo(REPO).get_issue(1).get_comments()
    srv.clear_log()
    comments = list(paged)
    assert [c.user.login for c in comments][:2] == [ACTIONS_BOT, "alice"]
    assert len(comments) == 5
    assert srv.count("GET", r"/comments$") == 3
    assert comments[1].user.type == "User"
    assert comments[0].created_at is not None
    first.edit("<!-- marker -->\nresult v2")
    assert srv.comments(REPO, 1)[0]["body"].endswith("v2")
    with pytest.raises(GithubException) as other:
        srv.client(srv.user_token("carol")).get_repo(REPO).get_issue(1).get_comment(first.id).edit("hijack")
    assert other.value.status == 403
    with pytest.raises(GithubException) as long:
        issue.create_comment("x" * 65_537)
    assert long.value.status == 422
    assert long.value.data["message"] == "Validation Failed"
    assert long.value.data["errors"][0]["message"] == "Body is too long (maximum is 65536 characters)"
    issue.create_comment("y" * 65_536)
    issue.get_comment(comments[-1].id).delete()
    assert len(srv.comments(REPO, 1)) == 5


def test_labels_are_created_on_demand_and_limited(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """Adding a missing label creates it; names over 50 characters are refused; removal."""
    srv, _, bot = lb
    pr = bot.get_issue(1)
    pr.add_to_labels("needs-review", "bug")
    assert {lb.name for lb in pr.get_labels()} == {"needs-review", "bug"}
    created = bot.get_label("needs-review")
    assert (created.color, created.default) == ("ededed", False)
    with pytest.raises(GithubException) as long:
        pr.add_to_labels("x" * 51)
    assert long.value.status == 422
    pr.add_to_labels("y" * 50)
    pr.remove_from_labels("bug")
    assert "bug" not in {lb.name for lb in bot.get_issue(1).labels}
    with pytest.raises(GithubException) as gone:
        pr.remove_from_labels("bug")
    assert gone.value.status == 404
    assert srv.api("x").get(f"/repos/{REPO}/labels/needs-review")["name"] == "needs-review"
    assert bot.create_label("submission", "0e8a16", "A leaderboard submission").description.startswith(
        "A lead"
    )


def test_reviews_states_and_self_approval(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """The author cannot approve; REST states are upper-case and carry the reviewed commit."""
    srv, alice, _ = lb
    carol = srv.client(srv.user_token("carol")).get_repo(REPO)
    with pytest.raises(GithubException) as own:
        carol.get_pull(1).create_review(body="lgtm", event="APPROVE")
    assert own.value.status == 422
    assert own.value.data["errors"] == ["Can not approve your own pull request"]
    head = alice.get_pull(1).head.sha
    review = alice.get_pull(1).create_review(body="ok", event="APPROVE")
    assert (review.state, review.commit_id, review.user.login) == ("APPROVED", head, "alice")
    srv.review(REPO, 1, author="bob", event="REQUEST_CHANGES", body="fix")
    newer = srv.commit(REPO, "sub", {"data/e.json": '{"v": 2}\n'})
    reviews = list(alice.get_pull(1).get_reviews())
    assert [(r.user.login, r.state) for r in reviews] == [("alice", "APPROVED"), ("bob", "CHANGES_REQUESTED")]
    assert reviews[0].commit_id != newer == alice.get_pull(1).head.sha


def test_permission_levels(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """permission maps maintain→write and triage→read; role_name keeps the role; public repo → read."""
    srv, _, bot = lb
    for login, role in [("m", "maintain"), ("w", "write"), ("t", "triage"), ("r", "read"), ("n", "none")]:
        srv.set_role(REPO, login, role)
    srv.add_token("stranger")
    expected = {
        "octo-org": ("admin", "admin"),
        "m": ("write", "maintain"),
        "w": ("write", "write"),
        "t": ("read", "triage"),
        "r": ("read", "read"),
        "n": ("none", "none"),
        "stranger": ("read", "read"),
    }
    for login, (permission, role) in expected.items():
        data = srv.api(ACTIONS_BOT, kind="actions").get(f"/repos/{REPO}/collaborators/{login}/permission")
        assert (data["permission"], data["role_name"], data["user"]["login"]) == (permission, role, login)
        assert bot.get_collaborator_permission(login) == permission
    with pytest.raises(GithubException) as denied:
        srv.client(srv.user_token("r")).get_repo(REPO).get_collaborator_permission("m")
    assert denied.value.status == 403
    with pytest.raises(GithubException) as unknown:
        bot.get_collaborator_permission("ghost")
    assert unknown.value.status == 404


def test_installation_token_identity_and_restrictions(github_standin: GitHubStandin) -> None:
    """GET /user is 403 for GITHUB_TOKEN; it cannot open PRs unless allowed, nor touch workflows."""
    srv = github_standin
    srv.create_repo(REPO, {".github/workflows/ci.yml": "on: push\n", "README.md": "x\n"})
    token = srv.actions_token()
    with pytest.raises(GithubException) as whoami:
        _ = srv.client(token).get_user().login
    assert whoami.value.status == 403
    assert whoami.value.data["message"] == "Resource not accessible by integration"
    assert srv.client(srv.user_token("alice")).get_user().login == "alice"
    repo = srv.client(token).get_repo(REPO)
    repo.create_git_ref("refs/heads/bot", srv.ref_sha(REPO) or "")
    repo.create_file("data/e.json", "add", "{}", branch="bot")
    with pytest.raises(GithubException) as refused:
        repo.create_pull(base="main", head="bot", title="Bot PR", body="")
    assert refused.value.status == 403
    assert "not permitted to create" in refused.value.data["message"]
    srv._repo(REPO).allow_actions_prs = True
    assert repo.create_pull(base="main", head="bot", title="Bot PR", body="").user.login == ACTIONS_BOT
    ci = repo.get_contents(".github/workflows/ci.yml")
    with pytest.raises(GithubException) as workflows:
        repo.update_file(ci.path, "edit ci", "on: pull_request\n", ci.sha, branch="bot")
    assert workflows.value.status == 403
    bot_events = [e for e in srv.events if e.actor == ACTIONS_BOT]
    assert bot_events
    assert not any(e.triggers_workflows for e in bot_events)
    with pytest.raises(GithubException) as bad:
        Github(base_url=srv.url, auth=None, retry=None).get_repo(REPO).get_contents("README.md", ref="nope")
    assert bad.value.status == 404


def test_check_runs_and_statuses(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """Check runs: apps only, ≤50 annotations per request, ≤65,535-char output; statuses: ≤140, states."""
    _srv, alice, bot = lb
    sha = bot.get_pull(1).head.sha
    with pytest.raises(GithubException) as user:
        alice.create_check_run("validate", sha)
    assert user.value.status == 403
    note = {
        "path": "data/e.json",
        "start_line": 1,
        "end_line": 1,
        "annotation_level": "failure",
        "message": "bad",
    }
    with pytest.raises(GithubException) as many:
        bot.create_check_run(
            "validate", sha, output={"title": "t", "summary": "s", "annotations": [note] * 51}
        )
    assert many.value.status == 422
    with pytest.raises(GithubException) as big:
        bot.create_check_run("validate", sha, output={"title": "t", "summary": "s" * 65_536})
    assert big.value.status == 422
    run = bot.create_check_run(
        "validate",
        sha,
        status="in_progress",
        output={"title": "t", "summary": "s", "annotations": [note] * 50},
    )
    run.edit(conclusion="failure", output={"title": "t", "summary": "s" * 65_535, "annotations": [note] * 50})
    done = bot.get_check_run(run.id)
    assert (done.status, done.conclusion, done.output.annotations_count) == ("completed", "failure", 100)
    assert [r.id for r in bot.get_commit(sha).get_check_runs()] == [run.id]
    commit = bot.get_commit(sha)
    with pytest.raises(GithubException) as desc:
        commit.create_status("failure", description="d" * 141, context="lb/validate")
    assert desc.value.status == 422
    with pytest.raises(GithubException) as state:
        commit.create_status("broken", context="lb/validate")
    assert state.value.status == 422
    commit.create_status("pending", description="d" * 140, context="lb/validate")
    commit.create_status("success", context="lb/validate")
    commit.create_status("success", context="lb/other")
    combined = commit.get_combined_status()
    assert combined.state == "success"
    assert combined.total_count == 2


def test_pull_and_issue_updates(lb: tuple[GitHubStandin, Repository, Repository]) -> None:
    """PATCH title/body/state on PRs and issues; list filters; shared numbering; Closes #N only on merge."""
    srv, alice, bot = lb
    issue = bot.create_issue("[Submission] model x", body="### Model\n\nx\n")
    assert issue.number == 2
    pr = alice.get_pull(1)
    pr.edit(title="Renamed", body=f"Fixes #{issue.number}")
    pr.edit(state="closed")
    assert bot.get_issue(issue.number).state == "open"
    assert [p.number for p in bot.get_pulls(state="closed")] == [1]
    assert list(bot.get_pulls(state="open")) == []
    pr.edit(state="open")
    again = bot.get_pull(1)
    assert (again.title, again.state, again.merged) == ("Renamed", "open", False)
    carol = srv.client(srv.user_token("carol")).get_repo(REPO)
    carol.get_pull(1).edit(body="still mine")
    with pytest.raises(GithubException) as foreign:
        carol.get_issue(issue.number).edit(title="not mine")
    assert foreign.value.status == 403
    bot.get_issue(issue.number).edit(state="closed", state_reason="not_planned")
    closed = bot.get_issue(issue.number)
    assert (closed.state, closed.state_reason, closed.closed_by.login) == (
        "closed",
        "not_planned",
        ACTIONS_BOT,
    )
    assert {i.number for i in bot.get_issues(state="all")} == {1, 2}
