"""Handler registry, per-request context and pagination shared by the route modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request

from .errors import ApiError, missing_field, not_found
from .model import Repo, Token
from .world import World

RAW_TYPES = ("application/vnd.github.raw", "application/vnd.github.v3.raw", "application/vnd.github.raw+json")


@dataclass
class Reply:
    """A handler's answer: status, JSON-able body (or raw bytes) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[["Ctx"], Reply]
ROUTES: list[tuple[str, tuple[str, ...], Handler]] = []


def route(rule: str, *methods: str) -> Callable[[Handler], Handler]:
    """Register a handler for a werkzeug URL rule and HTTP methods."""

    def deco(fn: Handler) -> Handler:
        ROUTES.append((rule, methods, fn))
        return fn

    return deco


class Ctx:
    """Everything a handler needs: the world, the caller's token, URL values, query and JSON body."""

    def __init__(
        self, world: World, request: Request, token: Token | None, values: dict[str, Any], body: Any
    ):
        self.world = world
        self.request = request
        self.token = token
        self.values = values
        self.body = body
        self.headers: dict[str, str] = {}
        self._repo: Repo | None = None

    @property
    def login(self) -> str | None:
        """The caller's login (None when anonymous)."""
        return self.token.login if self.token else None

    @property
    def raw(self) -> bool:
        """True when the raw media type was requested."""
        accept = self.request.headers.get("Accept", "")
        return any(kind in accept for kind in RAW_TYPES)

    def raw_reply(self, data: bytes) -> Reply:
        """Raw bytes answered with the media type the client asked for."""
        accept = self.request.headers.get("Accept", "")
        kind = next((k for k in RAW_TYPES if k in accept), RAW_TYPES[0])
        return Reply(200, data, {"Content-Type": kind})

    def arg(self, name: str, default: str | None = None) -> str | None:
        """A query-string argument."""
        return self.request.args.get(name, default)

    def field(self, name: str, default: Any = None) -> Any:
        """A field of the JSON object body."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default

    def need(self, name: str, resource: str) -> Any:
        """A required JSON field, or 422 missing_field."""
        value = self.field(name)
        if value is None:
            raise missing_field(resource, name)
        return value

    def repo(self, needed: str = "read") -> Repo:
        """The repository named in the URL, checked for visibility and the ``needed`` role."""
        if self._repo is None:
            repo = self.world.repo(self.values["owner"], self.values["repo"])
            if self.world.token_role(self.token, repo) == "none":
                raise not_found()
            self._repo = repo
        self.world.require(self.token, self._repo, needed)
        return self._repo

    def issue_number(self) -> int:
        """The ``number`` URL value."""
        return int(self.values["number"])

    def paginate(self, items: list[Any], cap: int | None = None) -> list[Any]:
        """Slice ``items`` by ``per_page`` (max 100) and ``page``; set GitHub's ``Link`` header."""
        if cap is not None:
            items = items[:cap]
        try:
            per_page = max(1, min(int(self.arg("per_page") or 30), 100))
            page = max(1, int(self.arg("page") or 1))
        except ValueError as exc:
            raise ApiError(400, "Invalid pagination parameters") from exc
        last = max(1, -(-len(items) // per_page))
        repo = self._repo
        path = self.request.path
        if repo is not None:
            prefix = f"/repos/{self.values['owner']}/{self.values['repo']}"
            if path.lower().startswith(prefix.lower()):
                path = f"/repositories/{repo.id}{path[len(prefix) :]}"
        query = {k: v for k, v in self.request.args.items() if k != "page"}

        def link(n: int, rel: str) -> str:
            return f'<{self.world.api_url}{path}?{urlencode({**query, "page": n})}>; rel="{rel}"'

        links = []
        if page > 1:
            links.append(link(min(page - 1, last), "prev"))
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links.append(link(1, "first"))
        if links:
            self.headers["Link"] = ", ".join(links)
        return items[(page - 1) * per_page : page * per_page]
