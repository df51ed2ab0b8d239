"""The WSGI application: authentication, rate limits, faults, routing and GitHub-style responses."""

from __future__ import annotations

import json
import re
import socket
import struct
import time
from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import (  # noqa: F401  (importing registers the routes)
    ghosts,
    routes_checks,
    routes_contents,
    routes_git,
    routes_issues,
    routes_misc,
    routes_pulls,
    routes_reviews,
)
from .errors import ApiError
from .faults import FaultPlan, LoggedRequest
from .httpd import SOCKET_KEY
from .model import Token
from .routing import ROUTES, Ctx, Reply
from .world import World

REPOSITORIES_RE = re.compile(r"^/repositories/(\d+)(/.*)?$")
ANONYMOUS_LIMIT = 60
UNCOUNTED = ("/rate_limit",)


class StandinApp:
    """Callable WSGI app over a :class:`World` and a :class:`FaultPlan`."""

    def __init__(self, world: World, faults: FaultPlan) -> None:
        self.world = world
        self.faults = faults
        self.anonymous = Token("", "", kind="anonymous", limit=ANONYMOUS_LIMIT)
        rules = [Rule(rule, methods=list(methods), endpoint=i) for i, (rule, methods, _) in enumerate(ROUTES)]
        self.urls = Map(rules, strict_slashes=False, merge_slashes=False)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        path = self._canonical_path(request.path)
        header = request.headers.get("Authorization", "")
        value = header.split(" ", 1)[1].strip() if " " in header else ""
        with self.world.lock:
            token = self.world.tokens.get(value) if value else None
        entry, fault = self.faults.start(
            request.method, path, request.query_string.decode(), token.login if token else None
        )
        entry.body = self._json_or_none(request)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.reset and not fault.after_apply:
            self._reset(environ)
        if fault is not None and fault.status and not fault.after_apply:
            reply = Reply(fault.status, fault.error_body(), dict(fault.headers))
        else:
            reply = self._handle(request, path, value, token)
            if fault is not None and fault.after_apply:
                if fault.reset:
                    entry.status = reply.status
                    self._reset(environ)
                reply = Reply(fault.status or 502, fault.error_body(), dict(fault.headers))
        return self._respond(reply, token, entry)(environ, start_response)

    def _canonical_path(self, path: str) -> str:
        match = REPOSITORIES_RE.match(path)
        if match:
            with self.world.lock:
                repo = self.world.repo_by_id(int(match.group(1)))
            if repo is not None:
                return f"/repos/{repo.full_name}{match.group(2) or ''}"
        return path

    @staticmethod
    def _json_or_none(request: Request) -> Any:
        data = request.get_data(cache=True)
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None

    @staticmethod
    def _reset(environ: dict[str, Any]) -> None:
        sock = environ.get(SOCKET_KEY)
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raise ConnectionResetError("fault injection: connection reset")

    def _handle(self, request: Request, path: str, value: str, token: Token | None) -> Reply:
        try:
            with self.world.lock:
                if value and token is None:
                    raise ApiError(401, "Bad credentials")
                counted = path not in UNCOUNTED and not path.startswith("/_raw/")
                if counted and not self.world.charge(token or self.anonymous):
                    raise self._rate_limited(token)
        except ApiError as err:
            return Reply(err.status, err.body(), err.headers)
        return self.dispatch(request, path, token)

    def dispatch(self, request: Request, path: str, token: Token | None) -> Reply:
        """Route and run one request as ``token`` (no log, rate limit or faults)."""
        try:
            adapter = self.urls.bind("127.0.0.1", path_info=path)
            try:
                endpoint, values = adapter.match(path, method=request.method)
            except (MethodNotAllowed, NotFound) as exc:
                raise ApiError(404, "Not Found") from exc
            raw = request.get_data(cache=True)
            try:
                body = json.loads(raw) if raw else None
            except ValueError as exc:
                raise ApiError(400, "Problems parsing JSON") from exc
            ctx = Ctx(self.world, request, token, dict(values), body)
            with self.world.lock:
                reply: Reply = ROUTES[endpoint][2](ctx)
                reply.body = ghosts.erase(self.world, reply.body)  # deleted accounts: "user": null
            reply.headers = {**ctx.headers, **reply.headers}
            return reply
        except ApiError as err:
            return Reply(err.status, err.body(), err.headers)

    def _rate_limited(self, token: Token | None) -> ApiError:
        who = (
            f"installation ID {abs(hash(token.value)) % 10**6}"
            if token and token.installation
            else "user ID 1"
        )
        return ApiError(
            403,
            f"API rate limit exceeded for {who}.",
            doc="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        )

    def _respond(self, reply: Reply, token: Token | None, entry: LoggedRequest) -> Response:
        entry.status = reply.status
        entry.response = reply.body if isinstance(reply.body, (dict, list)) else None
        headers = dict(self._rate_headers(token or self.anonymous))
        headers["X-GitHub-Request-Id"] = f"0000:{entry.seq:05d}"
        headers["X-GitHub-Media-Type"] = "github.v3; format=json"
        headers.update(reply.headers)
        if reply.status == 204 or reply.body is None:
            return Response(b"", status=reply.status, headers=headers)
        if isinstance(reply.body, bytes):
            headers["X-GitHub-Media-Type"] = "github.v3; param=raw"
            kind = reply.headers.get("Content-Type", "application/vnd.github.raw")
            headers.pop("Content-Type", None)
            return Response(
                reply.body, status=reply.status, headers=headers, content_type=f"{kind}; charset=utf-8"
            )
        if reply.status == 201 and isinstance(reply.body, dict) and isinstance(reply.body.get("url"), str):
            headers.setdefault("Location", reply.body["url"])
        data = json.dumps(reply.body).encode()
        return Response(
            data, status=reply.status, headers=headers, content_type="application/json; charset=utf-8"
        )

    def _rate_headers(self, token: Token) -> dict[str, str]:
        with self.world.lock:
            reset = int(token.window_start + 3600) if token.window_start else int(self.world.now() + 3600)
            return {
                "X-RateLimit-Limit": str(token.limit),
                "X-RateLimit-Remaining": str(max(0, token.limit - token.used)),
                "X-RateLimit-Reset": str(reset),
                "X-RateLimit-Used": str(token.used),
                "X-RateLimit-Resource": "core",
            }
