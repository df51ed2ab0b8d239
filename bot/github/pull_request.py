"""Results pull requests: every push (and reopen, or edited title) is checked and reported
(bot.github.checking)."""

from __future__ import annotations

from bot.github.checking import PullCheck, check_pull
from bot.github.context import Context
from bot.github.routing import Event, Router

PR_ACTIONS = ("opened", "synchronize", "reopened", "edited")
router = Router()


def _on_pull_request(event: Event, ctx: Context) -> None:
    pull = event.payload.get("pull_request") or {}
    if pull.get("state") != "open":
        return
    check = PullCheck(
        number=int(pull["number"]),
        head_sha=str(pull["head"]["sha"]),
        author=str(pull["user"]["login"]),
        base_ref=str(pull["base"]["ref"]),
        labels=[str(label.get("name")) for label in pull.get("labels") or []],
        suggest=event.action != "edited",  # an edited title is no new commit: no new suggestions
        fresh=event.action == "opened",  # a new pull request has no comment of the bot yet
        opened_at=pull.get("created_at"),
    )
    check_pull(ctx, check)


for _event in ("pull_request_target", "pull_request"):
    for _action in PR_ACTIONS:
        router.register(_event, _action)(_on_pull_request)
