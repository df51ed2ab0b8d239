"""Issues (pull requests included), issue comments and labels."""

from __future__ import annotations

import re

from .errors import ApiError, missing_field, not_found, too_long, validation
from .model import Comment, Issue, Label, Repo
from .render import comment_json, issue_json, label_json
from .routing import Ctx, Reply, route

R = "/repos/<owner>/<repo>"
MAX_BODY = 65536
MAX_LABEL = 50
COLOR_RE = re.compile(r"^[0-9a-fA-F]{6}$")


def get_issue(ctx: Ctx, repo: Repo) -> Issue:
    """The issue (or PR) numbered in the URL, or 404."""
    issue = repo.issues.get(ctx.issue_number())
    if issue is None:
        raise not_found()
    return issue


def check_body(body: object, resource: str) -> None:
    """Enforce GitHub's 65,536-character limit on issue and comment bodies."""
    if isinstance(body, str) and len(body) > MAX_BODY:
        message = f"Body is too long (maximum is {MAX_BODY} characters)"
        raise ApiError(
            422,
            "Validation Failed",
            [{"resource": resource, "code": "unprocessable", "field": "data", "message": message}],
        )


def ensure_label(ctx: Ctx, repo: Repo, name: str) -> Label:
    """Return a label, creating it when missing (as adding labels to an issue does)."""
    if not name or len(name) > MAX_LABEL:
        raise too_long("Label", "name", MAX_LABEL)
    label = repo.label(name)
    if label is None:
        label = repo.labels[name.lower()] = Label(ctx.world.next_id(), name)
    return label


def _set_labels(ctx: Ctx, repo: Repo, issue: Issue, names: list[str], replace: bool) -> None:
    labels = [ensure_label(ctx, repo, str(n)).name for n in names]
    actor = ctx.login or repo.owner
    current = [] if replace else list(issue.labels)
    for name in labels:
        if name.lower() not in (c.lower() for c in current):
            current.append(name)
            ctx.world.emit("issues", "labeled", actor, repo, number=issue.number, label=name)
    issue.labels = current


@route(f"{R}/issues", "POST")
def create_issue(ctx: Ctx) -> Reply:
    """POST /issues (labels/assignees apply only for users with triage access, as on GitHub)."""
    repo = ctx.repo()
    world = ctx.world
    title = ctx.field("title")
    if not title:
        raise missing_field("Issue", "title")
    check_body(ctx.field("body"), "Issue")
    now = world.now()
    login = ctx.login or repo.owner
    issue = Issue(
        max(repo.issues, default=0) + 1, world.next_id(), str(title), ctx.field("body"), login, now, now
    )
    repo.issues[issue.number] = issue
    if world.token_role(ctx.token, repo) not in ("none", "read"):
        _set_labels(ctx, repo, issue, list(ctx.field("labels") or []), replace=True)
        issue.assignees = [str(a) for a in ctx.field("assignees") or []]
    world.emit("issues", "opened", login, repo, number=issue.number)
    return Reply(201, issue_json(world, repo, issue))


@route(f"{R}/issues", "GET")
def list_issues(ctx: Ctx) -> Reply:
    """GET /issues?state=&labels= (pull requests included, newest first)."""
    repo = ctx.repo()
    state = ctx.arg("state") or "open"
    wanted = [w.strip().lower() for w in (ctx.arg("labels") or "").split(",") if w.strip()]
    found = [
        i
        for i in sorted(repo.issues.values(), key=lambda i: -i.number)
        if (state == "all" or i.state == state) and all(w in (n.lower() for n in i.labels) for w in wanted)
    ]
    return Reply(200, [issue_json(ctx.world, repo, i, listed=True) for i in ctx.paginate(found)])


@route(f"{R}/issues/<int:number>", "GET")
def read_issue(ctx: Ctx) -> Reply:
    """GET /issues/{n}."""
    repo = ctx.repo()
    return Reply(200, issue_json(ctx.world, repo, get_issue(ctx, repo)))


@route(f"{R}/issues/<int:number>", "PATCH")
def update_issue(ctx: Ctx) -> Reply:
    """PATCH /issues/{n}: title, body, state, state_reason, labels, assignees."""
    repo = ctx.repo()
    issue = get_issue(ctx, repo)
    if ctx.login != issue.user:
        ctx.repo("triage")
    world = ctx.world
    actor = ctx.login or repo.owner
    check_body(ctx.field("body"), "Issue")
    for name in ("title", "body"):
        if isinstance(ctx.body, dict) and name in ctx.body:
            setattr(issue, name, ctx.body[name])
    if ctx.field("labels") is not None:
        _set_labels(ctx, repo, issue, list(ctx.field("labels")), replace=True)
    if ctx.field("assignees") is not None:
        issue.assignees = [str(a) for a in ctx.field("assignees")]
    state = ctx.field("state")
    if state in ("open", "closed") and state != issue.state:
        issue.state = state
        closing = state == "closed"
        issue.state_reason = (ctx.field("state_reason") or "completed") if closing else "reopened"
        issue.closed_at, issue.closed_by = (world.now(), actor) if closing else (None, None)
        world.emit("issues", "closed" if closing else "reopened", actor, repo, number=issue.number)
    issue.updated_at = world.now()
    world.emit("issues", "edited", actor, repo, number=issue.number)
    return Reply(200, issue_json(world, repo, issue))


@route(f"{R}/issues/<int:number>/comments", "GET")
def list_comments(ctx: Ctx) -> Reply:
    """GET /issues/{n}/comments (oldest first, paginated with Link)."""
    repo = ctx.repo()
    issue = get_issue(ctx, repo)
    found = [c for c in sorted(repo.comments.values(), key=lambda c: c.id) if c.number == issue.number]
    return Reply(200, [comment_json(ctx.world, repo, c) for c in ctx.paginate(found)])


@route(f"{R}/issues/comments", "GET")
def list_repo_comments(ctx: Ctx) -> Reply:
    """GET /issues/comments (every issue comment of the repository)."""
    repo = ctx.repo()
    found = sorted(repo.comments.values(), key=lambda c: c.id)
    return Reply(200, [comment_json(ctx.world, repo, c) for c in ctx.paginate(found)])


@route(f"{R}/issues/<int:number>/comments", "POST")
def create_comment(ctx: Ctx) -> Reply:
    """POST /issues/{n}/comments: body required, at most 65,536 characters."""
    repo = ctx.repo()
    issue = get_issue(ctx, repo)
    body = ctx.field("body")
    if not isinstance(body, str) or not body:
        raise missing_field("IssueComment", "body")
    check_body(body, "IssueComment")
    now = ctx.world.now()
    login = ctx.login or repo.owner
    comment = Comment(ctx.world.next_id(), issue.number, login, body, now, now)
    repo.comments[comment.id] = comment
    issue.updated_at = now
    ctx.world.emit("issue_comment", "created", login, repo, number=issue.number, comment_id=comment.id)
    return Reply(201, comment_json(ctx.world, repo, comment))


def _comment(ctx: Ctx, repo: Repo, edit: bool) -> Comment:
    comment = repo.comments.get(int(ctx.values["comment_id"]))
    if comment is None:
        raise not_found()
    if edit and comment.user != ctx.login:
        ctx.repo("write")
    return comment


@route(f"{R}/issues/comments/<int:comment_id>", "GET")
def get_comment(ctx: Ctx) -> Reply:
    """GET /issues/comments/{id}."""
    repo = ctx.repo()
    return Reply(200, comment_json(ctx.world, repo, _comment(ctx, repo, edit=False)))


@route(f"{R}/issues/comments/<int:comment_id>", "PATCH")
def update_comment(ctx: Ctx) -> Reply:
    """PATCH /issues/comments/{id} (author, or write access)."""
    repo = ctx.repo()
    comment = _comment(ctx, repo, edit=True)
    body = ctx.field("body")
    if not isinstance(body, str) or not body:
        raise missing_field("IssueComment", "body")
    check_body(body, "IssueComment")
    comment.body, comment.updated_at = body, ctx.world.now()
    ctx.world.emit("issue_comment", "edited", ctx.login or repo.owner, repo, number=comment.number)
    return Reply(200, comment_json(ctx.world, repo, comment))


@route(f"{R}/issues/comments/<int:comment_id>", "DELETE")
def delete_comment(ctx: Ctx) -> Reply:
    """DELETE /issues/comments/{id}."""
    repo = ctx.repo()
    comment = _comment(ctx, repo, edit=True)
    del repo.comments[comment.id]
    ctx.world.emit("issue_comment", "deleted", ctx.login or repo.owner, repo, number=comment.number)
    return Reply(204)


@route(f"{R}/labels", "GET")
def list_labels(ctx: Ctx) -> Reply:
    """GET /labels."""
    repo = ctx.repo()
    labels = sorted(repo.labels.values(), key=lambda lb: lb.id)
    return Reply(200, [label_json(ctx.world, repo, lb) for lb in ctx.paginate(labels)])


@route(f"{R}/labels", "POST")
def create_label(ctx: Ctx) -> Reply:
    """POST /labels: names at most 50 characters, colour six hex digits, unique (case-insensitive)."""
    repo = ctx.repo("write")
    name = ctx.field("name")
    if not name:
        raise missing_field("Label", "name")
    color = str(ctx.field("color") or "ededed").lstrip("#")
    if not COLOR_RE.match(color):
        raise validation("Label", "color", "invalid")
    if repo.label(str(name)) is not None:
        raise validation("Label", "name", "already_exists")
    label = ensure_label(ctx, repo, str(name))
    label.color, label.description = color, ctx.field("description")
    return Reply(201, label_json(ctx.world, repo, label))


@route(f"{R}/labels/<path:name>", "GET")
def get_label(ctx: Ctx) -> Reply:
    """GET /labels/{name}."""
    repo = ctx.repo()
    label = repo.label(ctx.values["name"])
    if label is None:
        raise not_found()
    return Reply(200, label_json(ctx.world, repo, label))


@route(f"{R}/labels/<path:name>", "PATCH")
def update_label(ctx: Ctx) -> Reply:
    """PATCH /labels/{name}: new_name, color, description."""
    repo = ctx.repo("write")
    label = repo.label(ctx.values["name"])
    if label is None:
        raise not_found()
    new_name = ctx.field("new_name")
    if new_name:
        if len(new_name) > MAX_LABEL:
            raise too_long("Label", "name", MAX_LABEL)
        del repo.labels[label.name.lower()]
        for issue in repo.issues.values():
            issue.labels = [new_name if n.lower() == label.name.lower() else n for n in issue.labels]
        label.name = new_name
        repo.labels[new_name.lower()] = label
    if ctx.field("color"):
        color = str(ctx.field("color")).lstrip("#")
        if not COLOR_RE.match(color):
            raise validation("Label", "color", "invalid")
        label.color = color
    if isinstance(ctx.body, dict) and "description" in ctx.body:
        label.description = ctx.body["description"]
    return Reply(200, label_json(ctx.world, repo, label))


@route(f"{R}/labels/<path:name>", "DELETE")
def delete_label(ctx: Ctx) -> Reply:
    """DELETE /labels/{name} (also removes it from issues)."""
    repo = ctx.repo("write")
    label = repo.label(ctx.values["name"])
    if label is None:
        raise not_found()
    del repo.labels[label.name.lower()]
    for issue in repo.issues.values():
        issue.labels = [n for n in issue.labels if n.lower() != label.name.lower()]
    return Reply(204)
