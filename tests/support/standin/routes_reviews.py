"""Pull request reviews: list, create (no self-approval), get, dismiss."""

from __future__ import annotations

from .diff_lines import diff_lines
from .errors import ApiError, not_found
from .model import Repo, Review
from .render import review_json
from .render_pulls import pr_changes
from .routes_pulls import get_pull
from .routing import Ctx, Reply, route

R = "/repos/<owner>/<repo>"
REVIEW_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


@route(f"{R}/pulls/<int:number>/reviews", "GET")
def list_reviews(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/reviews (pending reviews are visible only to their author)."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    reviews = [
        r
        for r in sorted(repo.reviews.values(), key=lambda r: r.id)
        if r.number == issue.number and (r.state != "PENDING" or r.user == ctx.login)
    ]
    return Reply(200, [review_json(ctx.world, repo, r) for r in ctx.paginate(reviews)])


@route(f"{R}/pulls/<int:number>/reviews", "POST")
def create_review(ctx: Ctx) -> Reply:
    """POST /pulls/{n}/reviews: an author cannot approve or request changes on their own PR."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    assert issue.pull is not None
    login = ctx.login or repo.owner
    event = ctx.field("event")
    state = REVIEW_STATES.get(str(event).upper(), "PENDING") if event else "PENDING"
    if event and str(event).upper() not in REVIEW_STATES:
        raise ApiError(422, "Unprocessable Entity", [f"Invalid event {event!r}"])
    if login == issue.user and state in ("APPROVED", "CHANGES_REQUESTED"):
        verb = "approve" if state == "APPROVED" else "request changes on"
        raise ApiError(422, "Unprocessable Entity", [f"Can not {verb} your own pull request"])
    if state == "APPROVED" and ctx.token and ctx.token.kind == "actions" and not repo.allow_actions_prs:
        raise ApiError(
            422, "Unprocessable Entity", ["GitHub Actions is not permitted to approve pull requests."]
        )
    body = ctx.field("body") or ""
    comments = _line_comments(ctx, repo, issue.number)
    if state in ("CHANGES_REQUESTED", "COMMENTED") and not body and not comments:
        raise ApiError(422, "Unprocessable Entity", [f"Review Can not {state.lower()} without a body"])
    commit_id = ctx.field("commit_id") or issue.pull.head_sha
    review = Review(ctx.world.next_id(), issue.number, login, state, body, commit_id, ctx.world.now())
    repo.reviews[review.id] = review
    for comment in comments:
        comment.update(
            id=ctx.world.next_id(), pull_request_review_id=review.id, user=login, commit_id=commit_id
        )
        _stored(repo).append(comment)
    if state != "PENDING":
        ctx.world.emit(
            "pull_request_review", "submitted", login, repo, number=issue.number, state=state.lower()
        )
    return Reply(200, review_json(ctx.world, repo, review))


@route(f"{R}/pulls/<int:number>/reviews/<int:review>", "GET")
def get_review(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/reviews/{id}."""
    repo = ctx.repo()
    review = repo.reviews.get(int(ctx.values["review"]))
    if review is None or review.number != ctx.issue_number():
        raise not_found()
    return Reply(200, review_json(ctx.world, repo, review))


@route(f"{R}/pulls/<int:number>/reviews/<int:review>/dismissals", "PUT")
def dismiss_review(ctx: Ctx) -> Reply:
    """PUT /pulls/{n}/reviews/{id}/dismissals."""
    repo = ctx.repo("write")
    review = repo.reviews.get(int(ctx.values["review"]))
    if review is None or review.number != ctx.issue_number():
        raise not_found()
    review.state = "DISMISSED"
    ctx.world.emit("pull_request_review", "dismissed", ctx.login or repo.owner, repo, number=review.number)
    return Reply(200, review_json(ctx.world, repo, review))


def _stored(repo: Repo) -> list[dict[str, object]]:
    """Review comments of a repository (kept beside the model; only this module uses them)."""
    if not hasattr(repo, "_review_comments"):
        repo._review_comments = []  # type: ignore[attr-defined]
    comments: list[dict[str, object]] = repo._review_comments  # type: ignore[attr-defined]
    return comments


def _line_comments(ctx: Ctx, repo: Repo, number: int) -> list[dict[str, object]]:
    """Validate a review's ``comments``: each names a file of the pull request and a line."""
    raw = ctx.field("comments") or []
    if not isinstance(raw, list):
        raise ApiError(422, "Unprocessable Entity", ["comments is not an array"])
    issue = get_pull(ctx, repo)  # type: ignore[arg-type]
    patches = {change.filename: change.patch for change in pr_changes(ctx.world, repo, issue)}  # type: ignore[arg-type]
    result = []
    for item in raw:
        path, line = (
            item.get("path") if isinstance(item, dict) else None,
            item.get("line") if isinstance(item, dict) else None,
        )
        if path not in patches:
            raise ApiError(422, "Unprocessable Entity", ["Path could not be resolved"])
        side = str(item.get("side", "RIGHT"))
        if not isinstance(line, int) or line not in diff_lines(patches[path], side) or not item.get("body"):
            raise ApiError(
                422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]
            )
        result.append(
            {
                "path": path,
                "line": line,
                "side": item.get("side", "RIGHT"),
                "body": item["body"],
                "number": number,
            }
        )
    return result


@route(f"{R}/pulls/<int:number>/comments", "GET")
def list_review_comments(ctx: Ctx) -> Reply:
    """GET /pulls/{n}/comments: the line comments of the pull request's reviews."""
    repo = ctx.repo()
    issue = get_pull(ctx, repo)
    items = [c for c in _stored(repo) if c["number"] == issue.number]
    return Reply(200, [{**c, "user": {"login": c["user"]}} for c in ctx.paginate(items)])
