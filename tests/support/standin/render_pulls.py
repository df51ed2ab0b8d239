"""JSON shapes of pull requests, their files, check runs and commit statuses."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from . import gitops
from .gitops import FileChange
from .model import CheckRun, Issue, Repo, Status
from .render import HTML, NODE_ID, api, association, issue_json, repo_json, t, user_json
from .world import World


def file_json(world: World, repo: Repo, head: str, change: FileChange) -> dict[str, Any]:
    """A pull-request / commit file item."""
    path = quote(change.filename)
    out: dict[str, Any] = {
        "sha": change.sha or change.old_sha,
        "filename": change.filename,
        "status": change.status,
        "additions": change.additions,
        "deletions": change.deletions,
        "changes": change.additions + change.deletions,
        "blob_url": f"{HTML}/{repo.full_name}/blob/{head}/{path}",
        "raw_url": f"{HTML}/{repo.full_name}/raw/{head}/{path}",
        "contents_url": f"{api(world, repo)}/contents/{path}?ref={head}",
    }
    if change.patch is not None:
        out["patch"] = change.patch
    if change.previous_filename is not None:
        out["previous_filename"] = change.previous_filename
    return out


def pr_changes(world: World, repo: Repo, issue: Issue) -> list[FileChange]:
    """Files changed by a PR: three-dot diff from the merge base to the head."""
    pull = issue.pull
    assert pull is not None
    store = world.store
    base_tip = repo.refs.get(f"refs/heads/{pull.base_ref}")
    base = gitops.merge_base(store, base_tip, pull.head_sha) if base_tip else None
    base_tree = store.commit(base).tree if base else None
    return gitops.diff_trees(store, base_tree, store.commit(pull.head_sha).tree)


def mergeable(world: World, repo: Repo, issue: Issue) -> bool | None:
    """Whether a merge commit could be built without conflicts (None once merged or closed)."""
    pull = issue.pull
    assert pull is not None
    base_tip = repo.refs.get(f"refs/heads/{pull.base_ref}")
    if pull.merged or issue.state != "open" or base_tip is None:
        return None
    store = world.store
    base = gitops.merge_base(store, base_tip, pull.head_sha)
    base_tree = store.commit(base).tree if base else None
    return (
        gitops.three_way(store, base_tree, store.commit(base_tip).tree, store.commit(pull.head_sha).tree)
        is not None
    )


def _side(world: World, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
    return {
        "label": f"{repo.owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user_json(world, repo.owner),
        "repo": repo_json(world, repo),
    }


def pull_json(world: World, repo: Repo, issue: Issue, detail: bool = True) -> dict[str, Any]:
    """A pull request; ``detail`` adds merge state and diff statistics like ``GET /pulls/{n}``."""
    pull = issue.pull
    assert pull is not None
    as_issue = issue_json(world, repo, issue)
    url = f"{api(world, repo)}/pulls/{issue.number}"
    html = f"{HTML}/{repo.full_name}/pull/{issue.number}"
    head_repo = world.repos.get(pull.head_repo.lower(), repo)
    base_sha = repo.refs.get(f"refs/heads/{pull.base_ref}", pull.head_sha)
    out: dict[str, Any] = {
        "url": url,
        "id": pull.id,
        "node_id": NODE_ID,
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": as_issue["url"],
        "number": issue.number,
        "state": issue.state,
        "locked": issue.locked,
        "title": issue.title,
        "user": as_issue["user"],
        "body": issue.body,
        "created_at": as_issue["created_at"],
        "updated_at": as_issue["updated_at"],
        "closed_at": as_issue["closed_at"],
        "merged_at": t(pull.merged_at),
        "merge_commit_sha": pull.merge_commit_sha,
        "assignee": as_issue["assignee"],
        "assignees": as_issue["assignees"],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": as_issue["labels"],
        "milestone": None,
        "draft": pull.draft,
        "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{api(world, repo)}/pulls/comments{{/number}}",
        "comments_url": as_issue["comments_url"],
        "statuses_url": f"{api(world, repo)}/statuses/{pull.head_sha}",
        "head": _side(world, head_repo, pull.head_ref, pull.head_sha),
        "base": _side(world, repo, pull.base_ref, base_sha),
        "_links": {
            "self": {"href": url},
            "html": {"href": html},
            "issue": {"href": as_issue["url"]},
            "comments": {"href": as_issue["comments_url"]},
            "review_comments": {"href": f"{url}/comments"},
            "review_comment": {"href": f"{api(world, repo)}/pulls/comments{{/number}}"},
            "commits": {"href": f"{url}/commits"},
            "statuses": {"href": f"{api(world, repo)}/statuses/{pull.head_sha}"},
        },
        "author_association": association(world, repo, issue.user),
        "auto_merge": None,
        "active_lock_reason": None,
    }
    if detail:
        can_merge = mergeable(world, repo, issue)
        changes = pr_changes(world, repo, issue)
        base_tip = repo.refs.get(f"refs/heads/{pull.base_ref}")
        out.update(
            merged=pull.merged,
            mergeable=can_merge,
            rebaseable=can_merge,
            mergeable_state={True: "clean", False: "dirty", None: "unknown"}[can_merge],
            merged_by=user_json(world, pull.merged_by) if pull.merged_by else None,
            comments=as_issue["comments"],
            review_comments=0,
            maintainer_can_modify=pull.maintainer_can_modify,
            commits=len(gitops.commits_between(world.store, base_tip, pull.head_sha)),
            additions=sum(c.additions for c in changes),
            deletions=sum(c.deletions for c in changes),
            changed_files=len(changes),
        )
    return out


def check_run_json(world: World, repo: Repo, run: CheckRun) -> dict[str, Any]:
    """A check run object."""
    url = f"{api(world, repo)}/check-runs/{run.id}"
    output = {
        "title": run.output.get("title"),
        "summary": run.output.get("summary"),
        "text": run.output.get("text"),
        "annotations_count": len(run.annotations),
        "annotations_url": f"{url}/annotations",
    }
    app = world.user(run.app)
    return {
        "id": run.id,
        "head_sha": run.head_sha,
        "node_id": NODE_ID,
        "external_id": run.external_id,
        "url": url,
        "html_url": f"{HTML}/{repo.full_name}/runs/{run.id}",
        "details_url": run.details_url,
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": t(run.started_at),
        "completed_at": t(run.completed_at),
        "output": output,
        "name": run.name,
        "check_suite": {"id": run.id},
        "app": app_json(world, app.id, run.app.removesuffix("[bot]")),
        "pull_requests": [],
    }


def app_json(world: World, app_id: int, slug: str) -> dict[str, Any]:
    """The GitHub App (``integration``) that owns a check run: GitHub Actions for GITHUB_TOKEN's runs."""
    owner = "github" if slug == "github-actions" else slug
    world.user(owner, "Organization")
    return {
        "id": app_id,
        "slug": slug,
        "node_id": NODE_ID,
        "owner": user_json(world, owner),
        "name": "GitHub Actions" if slug == "github-actions" else slug,
        "description": "Automate your workflow from idea to production" if slug == "github-actions" else "",
        "external_url": f"{HTML}/features/actions" if slug == "github-actions" else f"{HTML}/apps/{slug}",
        "html_url": f"{HTML}/apps/{slug}",
        "created_at": "2018-07-30T09:30:17Z",
        "updated_at": "2024-04-10T20:33:16Z",
        "permissions": {"checks": "write", "contents": "write", "issues": "write", "metadata": "read"},
        "events": ["check_run", "check_suite", "pull_request", "push"],
    }


def status_json(world: World, repo: Repo, status: Status, creator: bool = True) -> dict[str, Any]:
    """A commit status object (``creator`` omitted inside combined status)."""
    user = world.user(status.creator)
    out: dict[str, Any] = {
        "url": f"{api(world, repo)}/statuses/{status.sha}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
        "id": status.id,
        "node_id": NODE_ID,
        "state": status.state,
        "description": status.description,
        "target_url": status.target_url,
        "context": status.context,
        "created_at": t(status.created_at),
        "updated_at": t(status.created_at),
    }
    if creator:
        out["creator"] = user_json(world, status.creator)
    return out
