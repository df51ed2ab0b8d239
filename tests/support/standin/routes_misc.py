"""Repository, user, rate-limit, collaborator and issue-label endpoints."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, integration_forbidden, not_found
from .model import LEGACY_PERMISSION, ROLE_RANK, ROLES
from .render import label_json, permissions, repo_json, user_json
from .routes_issues import _set_labels, get_issue
from .routing import Ctx, Reply, route

R = "/repos/<owner>/<repo>"


@route(R, "GET")
def get_repo(ctx: Ctx) -> Reply:
    """GET /repos/{o}/{r}."""
    repo = ctx.repo()
    return Reply(200, repo_json(ctx.world, repo, ctx.world.token_role(ctx.token, repo)))


@route("/user", "GET")
def get_user(ctx: Ctx) -> Reply:
    """GET /user: 403 for installation tokens, 401 without a token."""
    if ctx.token is None:
        raise ApiError(401, "Requires authentication")
    if ctx.token.installation:
        raise integration_forbidden()
    out = user_json(ctx.world, ctx.token.login)
    out.update(name=ctx.token.login, email=None, created_at="2020-01-01T00:00:00Z")
    return Reply(200, out)


@route("/users/<login>", "GET")
def get_user_by_login(ctx: Ctx) -> Reply:
    """GET /users/{login}."""
    if ctx.values["login"].lower() not in ctx.world.users:
        raise not_found()
    return Reply(200, user_json(ctx.world, ctx.values["login"]))


@route("/rate_limit", "GET")
def rate_limit(ctx: Ctx) -> Reply:
    """GET /rate_limit (does not count against the budget)."""
    token = ctx.token
    limit, used = (token.limit, token.used) if token else (60, 0)
    reset = int((token.window_start if token and token.window_start else ctx.world.now()) + 3600)
    core = {
        "limit": limit,
        "used": used,
        "remaining": max(0, limit - used),
        "reset": reset,
        "resource": "core",
    }
    other = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
    return Reply(200, {"resources": {"core": core, "search": {**other, "resource": "search"}}, "rate": core})


def _collaborator(ctx: Ctx, login: str, role: str) -> dict[str, Any]:
    out = user_json(ctx.world, login)
    out.update(permissions=permissions(role), role_name=role)
    return out


@route(f"{R}/collaborators/<login>/permission", "GET")
def collaborator_permission(ctx: Ctx) -> Reply:
    """GET /collaborators/{user}/permission: legacy ``permission`` plus ``role_name``."""
    repo = ctx.repo()
    if ROLE_RANK[ctx.world.token_role(ctx.token, repo)] < ROLE_RANK["write"]:
        raise ApiError(403, "Must have push access to view collaborator permission.")
    login = ctx.values["login"]
    if login.lower() not in ctx.world.users:
        raise not_found()
    role = ctx.world.role(repo, ctx.world.user(login).login)
    body = {"permission": LEGACY_PERMISSION[role], "role_name": role, "user": _collaborator(ctx, login, role)}
    return Reply(200, body)


@route(f"{R}/collaborators", "GET")
def list_collaborators(ctx: Ctx) -> Reply:
    """GET /collaborators (owner and explicit roles)."""
    repo = ctx.repo("write")
    logins = [repo.owner] + [ctx.world.user(n).login for n, r in sorted(repo.roles.items()) if r != "none"]
    items = [_collaborator(ctx, n, ctx.world.role(repo, n)) for n in dict.fromkeys(logins)]
    return Reply(200, ctx.paginate(items))


@route(f"{R}/collaborators/<login>", "GET")
def is_collaborator(ctx: Ctx) -> Reply:
    """GET /collaborators/{user}: 204 or 404."""
    repo = ctx.repo("write")
    login = ctx.values["login"].lower()
    if login != repo.owner.lower() and repo.roles.get(login, "none") == "none":
        raise not_found()
    return Reply(204)


@route(f"{R}/collaborators/<login>", "PUT")
def add_collaborator(ctx: Ctx) -> Reply:
    """PUT /collaborators/{user}: granted at once (no invitation step)."""
    repo = ctx.repo("admin")
    role = {"pull": "read", "push": "write"}.get(ctx.field("permission") or "push", ctx.field("permission"))
    if role not in ROLES:
        raise ApiError(
            422, "Validation Failed", [{"resource": "Repository", "field": "permission", "code": "invalid"}]
        )
    user = ctx.world.user(ctx.values["login"])
    existed = repo.roles.get(user.login.lower(), "none") != "none"
    repo.roles[user.login.lower()] = str(role)
    return Reply(204) if existed else Reply(201, {"id": ctx.world.next_id(), "permissions": role})


@route(f"{R}/collaborators/<login>", "DELETE")
def remove_collaborator(ctx: Ctx) -> Reply:
    """DELETE /collaborators/{user}."""
    repo = ctx.repo("admin")
    repo.roles.pop(ctx.values["login"].lower(), None)
    return Reply(204)


def _issue_labels(ctx: Ctx) -> Reply:
    repo = ctx.repo()
    issue = get_issue(ctx, repo)
    return Reply(200, [label_json(ctx.world, repo, lb) for n in issue.labels if (lb := repo.label(n))])


@route(f"{R}/issues/<int:number>/labels", "GET")
def list_issue_labels(ctx: Ctx) -> Reply:
    """GET /issues/{n}/labels."""
    return _issue_labels(ctx)


@route(f"{R}/issues/<int:number>/labels", "POST", "PUT")
def add_issue_labels(ctx: Ctx) -> Reply:
    """POST adds (creating missing labels), PUT replaces; body is a list or ``{"labels": [...]}``."""
    repo = ctx.repo("triage")
    issue = get_issue(ctx, repo)
    names = ctx.body if isinstance(ctx.body, list) else ctx.field("labels")
    if not isinstance(names, list):
        raise ApiError(
            422, "Validation Failed", [{"resource": "Label", "field": "labels", "code": "missing_field"}]
        )
    flat = [n["name"] if isinstance(n, dict) else n for n in names]
    _set_labels(ctx, repo, issue, flat, replace=ctx.request.method == "PUT")
    issue.updated_at = ctx.world.now()
    return _issue_labels(ctx)


@route(f"{R}/issues/<int:number>/labels/<path:name>", "DELETE")
def remove_issue_label(ctx: Ctx) -> Reply:
    """DELETE /issues/{n}/labels/{name}: 404 "Label does not exist" when not on the issue."""
    repo = ctx.repo("triage")
    issue = get_issue(ctx, repo)
    name = ctx.values["name"].lower()
    if name not in (n.lower() for n in issue.labels):
        raise ApiError(404, "Label does not exist")
    issue.labels = [n for n in issue.labels if n.lower() != name]
    ctx.world.emit("issues", "unlabeled", ctx.login or repo.owner, repo, number=issue.number)
    return _issue_labels(ctx)


@route(f"{R}/issues/<int:number>/labels", "DELETE")
def clear_issue_labels(ctx: Ctx) -> Reply:
    """DELETE /issues/{n}/labels."""
    repo = ctx.repo("triage")
    get_issue(ctx, repo).labels = []
    return Reply(204)
