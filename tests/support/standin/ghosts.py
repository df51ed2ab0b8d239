"""Deleted accounts: GitHub keeps their comments and reviews but answers ``"user": null`` for them (the web
shows @ghost). ``delete_user`` marks a login deleted; ``erase`` rewrites a reply's JSON the same way, so
every route renders deleted users as GitHub does without knowing about them."""

from __future__ import annotations

from typing import Any

from .model import Repo
from .world import World

USER_KEYS = ("user", "merged_by", "closed_by", "assignee", "author", "committer", "sender", "actor")


def deleted(world: World) -> set[str]:
    """The deleted logins of a world (kept beside the model; only this module uses them)."""
    if not hasattr(world, "_deleted_users"):
        world._deleted_users = set()  # type: ignore[attr-defined]
    logins: set[str] = world._deleted_users  # type: ignore[attr-defined]
    return logins


def delete_user(world: World, login: str, repos: list[Repo]) -> None:
    """Delete an account (caller holds the lock): its roles go, its content stays."""
    deleted(world).add(login.lower())
    for repo in repos:
        repo.roles.pop(login.lower(), None)


def erase(world: World, body: Any) -> Any:
    """The reply with every user object of a deleted account replaced by null."""
    gone = deleted(world)
    if not gone:
        return body
    return _erase(body, gone)


def _erase(value: Any, gone: set[str]) -> Any:
    if isinstance(value, list):
        return [_erase(item, gone) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        is_user = isinstance(item, dict) and str(item.get("login", "")).lower() in gone and "id" in item
        out[key] = None if key in USER_KEYS and is_user else _erase(item, gone)
    return out
