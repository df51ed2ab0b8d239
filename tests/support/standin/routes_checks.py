"""Check runs (GitHub Apps only) and commit statuses, with GitHub's size limits."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, missing_field, not_found, too_long, validation
from .git import parse_time
from .model import CheckRun, Repo, Status
from .render import api, repo_json
from .render_pulls import check_run_json, status_json
from .routing import Ctx, Reply, route

R = "/repos/<owner>/<repo>"
MAX_ANNOTATIONS = 50
MAX_OUTPUT = 65535
MAX_DESCRIPTION = 140
STATUS_STATES = ("error", "failure", "pending", "success")
CONCLUSIONS = (
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "success",
    "skipped",
    "stale",
    "timed_out",
)


def _apply(ctx: Ctx, run: CheckRun) -> None:
    output = ctx.field("output")
    if output is not None:
        if not isinstance(output, dict):
            raise validation("CheckRun", "output", "invalid")
        for key in ("title", "summary"):
            if not output.get(key):
                raise missing_field("CheckRun", f"output.{key}")
        for key in ("summary", "text"):
            if isinstance(output.get(key), str) and len(output[key]) > MAX_OUTPUT:
                raise too_long("CheckRun", f"output.{key}", MAX_OUTPUT)
        annotations = output.get("annotations") or []
        if len(annotations) > MAX_ANNOTATIONS:
            raise ApiError(
                422,
                "Validation Failed",
                [
                    {
                        "resource": "CheckRun",
                        "code": "custom",
                        "field": "output.annotations",
                        "message": f"Only {MAX_ANNOTATIONS} annotations are allowed per request",
                    }
                ],
            )
        run.output = {k: output.get(k) for k in ("title", "summary", "text")}
        run.annotations.extend(annotations)
    for name in ("external_id", "details_url"):
        if ctx.field(name) is not None:
            setattr(run, name, ctx.field(name))
    if ctx.field("started_at"):
        run.started_at = parse_time(ctx.field("started_at"))
    status, conclusion = ctx.field("status"), ctx.field("conclusion")
    if conclusion is not None and conclusion not in CONCLUSIONS:
        raise validation("CheckRun", "conclusion", "invalid")
    if status is not None and status not in ("queued", "in_progress", "completed"):
        raise validation("CheckRun", "status", "invalid")
    if conclusion is not None:
        status = "completed"
    if status == "completed" and conclusion is None and run.conclusion is None:
        raise missing_field("CheckRun", "conclusion")
    if status:
        run.status = status
    if conclusion:
        run.conclusion = conclusion
    if run.status == "completed" and run.completed_at is None:
        completed = ctx.field("completed_at")
        run.completed_at = parse_time(completed) if completed else ctx.world.now()
    if run.status != "queued" and run.started_at is None:
        run.started_at = ctx.world.now()


def _app_only(ctx: Ctx) -> Repo:
    repo = ctx.repo("write")
    if ctx.token is None or not ctx.token.installation:
        raise ApiError(403, "You must authenticate via a GitHub App.")
    return repo


@route(f"{R}/check-runs", "POST")
def create_check_run(ctx: Ctx) -> Reply:
    """POST /check-runs: at most 50 annotations and 65,535-character summary/text per request."""
    repo = _app_only(ctx)
    name, head_sha = ctx.need("name", "CheckRun"), ctx.need("head_sha", "CheckRun")
    if ctx.world.store.kind(head_sha) != "commit":
        raise ApiError(422, f"No commit found for SHA: {head_sha}")
    assert ctx.token is not None
    run = CheckRun(ctx.world.next_id(), str(name), head_sha, ctx.token.login)
    _apply(ctx, run)
    repo.check_runs[run.id] = run
    return Reply(201, check_run_json(ctx.world, repo, run))


def _run(ctx: Ctx, repo: Repo) -> CheckRun:
    run = repo.check_runs.get(int(ctx.values["run_id"]))
    if run is None:
        raise not_found()
    return run


@route(f"{R}/check-runs/<int:run_id>", "PATCH")
def update_check_run(ctx: Ctx) -> Reply:
    """PATCH /check-runs/{id}: further annotations are appended."""
    repo = _app_only(ctx)
    run = _run(ctx, repo)
    if ctx.field("name"):
        run.name = str(ctx.field("name"))
    _apply(ctx, run)
    return Reply(200, check_run_json(ctx.world, repo, run))


@route(f"{R}/check-runs/<int:run_id>", "GET")
def get_check_run(ctx: Ctx) -> Reply:
    """GET /check-runs/{id}."""
    repo = ctx.repo()
    return Reply(200, check_run_json(ctx.world, repo, _run(ctx, repo)))


@route(f"{R}/check-runs/<int:run_id>/annotations", "GET")
def list_annotations(ctx: Ctx) -> Reply:
    """GET /check-runs/{id}/annotations."""
    repo = ctx.repo()
    return Reply(200, ctx.paginate(list(_run(ctx, repo).annotations)))


@route(f"{R}/commits/<ref>/check-runs", "GET")
def runs_for_ref(ctx: Ctx) -> Reply:
    """GET /commits/{ref}/check-runs?check_name=&status=."""
    repo = ctx.repo()
    sha = ctx.world.resolve(repo, ctx.values["ref"])
    name, status = ctx.arg("check_name"), ctx.arg("status")
    runs = [
        r
        for r in sorted(repo.check_runs.values(), key=lambda r: -r.id)
        if r.head_sha == sha and (not name or r.name == name) and (not status or r.status == status)
    ]
    page = ctx.paginate(runs)
    return Reply(
        200, {"total_count": len(runs), "check_runs": [check_run_json(ctx.world, repo, r) for r in page]}
    )


@route(f"{R}/statuses/<sha>", "POST")
def create_status(ctx: Ctx) -> Reply:
    """POST /statuses/{sha}: state in error/failure/pending/success, description at most 140 characters."""
    repo = ctx.repo("write")
    sha = ctx.values["sha"]
    if ctx.world.store.kind(sha) != "commit":
        raise ApiError(422, f"No commit found for SHA: {sha}")
    state = ctx.field("state")
    if state not in STATUS_STATES:
        raise validation("Status", "state", "custom", "state is not included in the list")
    description = ctx.field("description")
    if isinstance(description, str) and len(description) > MAX_DESCRIPTION:
        raise too_long("Status", "description", MAX_DESCRIPTION)
    status = Status(
        ctx.world.next_id(),
        sha,
        str(state),
        str(ctx.field("context") or "default"),
        ctx.login or repo.owner,
        ctx.world.now(),
        description,
        ctx.field("target_url"),
    )
    repo.statuses.append(status)
    return Reply(201, status_json(ctx.world, repo, status))


def _statuses(ctx: Ctx, repo: Repo) -> tuple[str, list[Status]]:
    sha = ctx.world.resolve(repo, ctx.values["ref"])
    if sha is None:
        raise not_found()
    return sha, sorted((s for s in repo.statuses if s.sha == sha), key=lambda s: -s.id)


@route(f"{R}/commits/<ref>/statuses", "GET")
def list_statuses(ctx: Ctx) -> Reply:
    """GET /commits/{ref}/statuses (newest first)."""
    repo = ctx.repo()
    _, found = _statuses(ctx, repo)
    return Reply(200, [status_json(ctx.world, repo, s) for s in ctx.paginate(found)])


@route(f"{R}/commits/<ref>/status", "GET")
def combined_status(ctx: Ctx) -> Reply:
    """GET /commits/{ref}/status: latest status per context, combined."""
    repo = ctx.repo()
    sha, found = _statuses(ctx, repo)
    latest: dict[str, Status] = {}
    for status in found:
        latest.setdefault(status.context, status)
    states = {s.state for s in latest.values()}
    if states & {"error", "failure"}:
        combined = "failure"
    elif not states or "pending" in states:
        combined = "pending"
    else:
        combined = "success"
    items: list[dict[str, Any]] = [
        status_json(ctx.world, repo, s, creator=False) for s in sorted(latest.values(), key=lambda s: s.id)
    ]
    return Reply(
        200,
        {
            "state": combined,
            "statuses": items,
            "sha": sha,
            "total_count": len(items),
            "repository": repo_json(ctx.world, repo, minimal=True),
            "commit_url": f"{api(ctx.world, repo)}/commits/{sha}",
            "url": f"{api(ctx.world, repo)}/commits/{sha}/status",
        },
    )
