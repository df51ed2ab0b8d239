"""JSON shapes of GitHub REST resources (key sets follow the recorded api-fixtures)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .git import iso_time
from .model import Comment, Issue, Label, Repo, Review
from .world import World

HTML = "https://github.com"
NODE_ID = "MDA6RW50aXR5MQ=="
_REPO_TEMPLATES = (
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
)


def t(value: float | None) -> str | None:
    """ISO time or None."""
    return None if value is None else iso_time(value)


def api(world: World, repo: Repo) -> str:
    """The API URL of a repository."""
    return f"{world.api_url}/repos/{repo.full_name}"


def user_json(world: World, login: str) -> dict[str, Any]:
    """A simple-user object."""
    user = world.user(login)
    base = f"{world.api_url}/users/{user.login}"
    return {
        "login": user.login,
        "id": user.id,
        "node_id": NODE_ID,
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"{HTML}/{user.login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": user.type,
        "site_admin": False,
    }


def permissions(role: str) -> dict[str, bool]:
    """The ``permissions`` object for a role."""
    order = ["pull", "triage", "push", "maintain", "admin"]
    rank = {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}[role]
    return {name: rank > i for i, name in enumerate(order)}


def repo_json(world: World, repo: Repo, role: str = "read", minimal: bool = False) -> dict[str, Any]:
    """A full repository object (``minimal``: identity and URL templates only, as nested in statuses)."""
    url = api(world, repo)
    html = f"{HTML}/{repo.full_name}"
    owner = user_json(world, repo.owner)
    out: dict[str, Any] = {
        "id": repo.id,
        "node_id": NODE_ID,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "owner": owner,
        "html_url": html,
        "description": None,
        "fork": repo.parent is not None,
        "url": url,
    }
    out.update({key: url + suffix for key, suffix in _REPO_TEMPLATES})
    if minimal:
        return out
    created = t(repo.created_at)
    out.update(
        created_at=created,
        updated_at=created,
        pushed_at=created,
        git_url=f"git://github.com/{repo.full_name}.git",
        ssh_url=f"git@github.com:{repo.full_name}.git",
        clone_url=f"{html}.git",
        svn_url=html,
        homepage=None,
        size=0,
        stargazers_count=0,
        watchers_count=0,
        language=None,
        has_issues=True,
        has_projects=True,
        has_downloads=True,
        has_wiki=True,
        has_discussions=False,
        has_pages=False,
        forks_count=0,
        mirror_url=None,
        archived=False,
        disabled=False,
        open_issues_count=sum(1 for i in repo.issues.values() if i.state == "open"),
        license=None,
        allow_forking=True,
        is_template=False,
        web_commit_signoff_required=False,
        topics=[],
        visibility="private" if repo.private else "public",
        forks=0,
        open_issues=sum(1 for i in repo.issues.values() if i.state == "open"),
        watchers=0,
        default_branch=repo.default_branch,
        permissions=permissions(role),
        temp_clone_token="",
        allow_squash_merge=True,
        allow_merge_commit=True,
        allow_rebase_merge=True,
        allow_auto_merge=False,
        delete_branch_on_merge=False,
        allow_update_branch=False,
        use_squash_pr_title_as_default=False,
    )
    if owner["type"] == "Organization":
        out["organization"] = owner
    if repo.parent is not None:
        parent = root = world.repos[repo.parent.lower()]
        while root.parent is not None:
            root = world.repos[root.parent.lower()]
        out["parent"], out["source"] = repo_json(world, parent), repo_json(world, root)
    out.update(network_count=0, subscribers_count=0)
    return out


def label_json(world: World, repo: Repo, label: Label) -> dict[str, Any]:
    """A label object."""
    return {
        "id": label.id,
        "node_id": NODE_ID,
        "url": f"{api(world, repo)}/labels/{quote(label.name)}",
        "name": label.name,
        "color": label.color,
        "default": label.default,
        "description": label.description,
    }


def association(world: World, repo: Repo, login: str) -> str:
    """``author_association`` (not a permission level)."""
    if login.lower() == repo.owner.lower():
        return "OWNER"
    if repo.roles.get(login.lower(), "none") != "none":
        return "COLLABORATOR"
    merged = any(i.pull and i.pull.merged and i.user.lower() == login.lower() for i in repo.issues.values())
    return "CONTRIBUTOR" if merged else "NONE"


def reactions(url: str) -> dict[str, Any]:
    """An empty reactions rollup."""
    keys = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
    return {"url": f"{url}/reactions", "total_count": 0, **dict.fromkeys(keys, 0)}


def issue_json(world: World, repo: Repo, issue: Issue, listed: bool = False) -> dict[str, Any]:
    """An issue object (pull requests carry ``pull_request``); list items have no ``closed_by``."""
    base = f"{api(world, repo)}/issues/{issue.number}"
    kind = "pull" if issue.pull else "issues"
    out: dict[str, Any] = {
        "url": base,
        "repository_url": api(world, repo),
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": f"{HTML}/{repo.full_name}/{kind}/{issue.number}",
        "id": issue.id,
        "node_id": NODE_ID,
        "number": issue.number,
        "title": issue.title,
        "user": user_json(world, issue.user),
        "labels": [label_json(world, repo, lb) for n in issue.labels if (lb := repo.label(n))],
        "state": issue.state,
        "locked": issue.locked,
        "assignee": user_json(world, issue.assignees[0]) if issue.assignees else None,
        "assignees": [user_json(world, a) for a in issue.assignees],
        "milestone": None,
        "comments": sum(1 for c in repo.comments.values() if c.number == issue.number),
        "created_at": t(issue.created_at),
        "updated_at": t(issue.updated_at),
        "closed_at": t(issue.closed_at),
        "author_association": association(world, repo, issue.user),
        "active_lock_reason": None,
        "body": issue.body,
        "closed_by": user_json(world, issue.closed_by) if issue.closed_by else None,
        "reactions": reactions(base),
        "timeline_url": f"{base}/timeline",
        "performed_via_github_app": None,
        "state_reason": issue.state_reason,
    }
    if listed:
        del out["closed_by"]
    if issue.pull:
        pr_url = f"{api(world, repo)}/pulls/{issue.number}"
        html = out["html_url"]
        out["draft"] = issue.pull.draft
        out["pull_request"] = {
            "url": pr_url,
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": t(issue.pull.merged_at),
        }
    return out


def comment_json(world: World, repo: Repo, comment: Comment) -> dict[str, Any]:
    """An issue comment object."""
    url = f"{api(world, repo)}/issues/comments/{comment.id}"
    kind = "pull" if repo.issues[comment.number].pull else "issues"
    return {
        "url": url,
        "html_url": f"{HTML}/{repo.full_name}/{kind}/{comment.number}#issuecomment-{comment.id}",
        "issue_url": f"{api(world, repo)}/issues/{comment.number}",
        "id": comment.id,
        "node_id": NODE_ID,
        "user": user_json(world, comment.user),
        "created_at": t(comment.created_at),
        "updated_at": t(comment.updated_at),
        "author_association": association(world, repo, comment.user),
        "body": comment.body,
        "reactions": reactions(url),
        "performed_via_github_app": None,
    }


def review_json(world: World, repo: Repo, review: Review) -> dict[str, Any]:
    """A pull request review object (REST state is upper-case)."""
    pr_url = f"{api(world, repo)}/pulls/{review.number}"
    html = f"{HTML}/{repo.full_name}/pull/{review.number}"
    return {
        "id": review.id,
        "node_id": NODE_ID,
        "user": user_json(world, review.user),
        "body": review.body,
        "state": review.state,
        "html_url": f"{html}#pullrequestreview-{review.id}",
        "pull_request_url": pr_url,
        "author_association": association(world, repo, review.user),
        "_links": {
            "html": {"href": f"{html}#pullrequestreview-{review.id}"},
            "pull_request": {"href": pr_url},
        },
        "submitted_at": t(review.submitted_at) if review.state != "PENDING" else None,
        "commit_id": review.commit_id,
    }


def ref_json(world: World, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
    """A git reference object."""
    kind = world.store.kind(sha) or "commit"
    return {
        "ref": ref,
        "node_id": NODE_ID,
        "url": f"{api(world, repo)}/git/{ref}",
        "object": {"sha": sha, "type": kind, "url": f"{api(world, repo)}/git/{kind}s/{sha}"},
    }
