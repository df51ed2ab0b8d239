"""GitHubStandin: the stand-in served over real HTTP on 127.0.0.1 from a background thread."""

from __future__ import annotations

import re
import secrets
import threading
from types import TracebackType
from typing import Any

from github import Auth, Github
from urllib3.util.retry import Retry

from .app import StandinApp
from .faults import FaultPlan, LoggedRequest
from .httpd import KeepAliveServer
from .model import ACTIONS_BOT, Event, Token
from .seed import SeedMixin
from .world import World


class GitHubStandin(SeedMixin):
    """A stateful fake of the GitHub REST API; use as a context manager or call start()/stop()."""

    def __init__(self, rate_limit: int = 1000) -> None:
        self.world = World(default_rate_limit=rate_limit)
        self.faults = FaultPlan()
        self.app = StandinApp(self.world, self.faults)
        self._server: KeepAliveServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL to give PyGithub (``http://127.0.0.1:PORT``)."""
        return self.world.api_url

    def start(self) -> GitHubStandin:
        """Bind a free port and serve in a daemon thread."""
        self._server = KeepAliveServer(self.app)
        self.world.api_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="github-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> GitHubStandin:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def add_user(self, login: str, kind: str | None = None) -> None:
        """Register an account (``User``, ``Organization``; ``Bot`` is implied by a ``[bot]`` login)."""
        with self.world.lock:
            self.world.user(login, kind)

    def add_token(
        self,
        login: str,
        token: str | None = None,
        *,
        kind: str = "user",
        workflows: bool | None = None,
        read_only: bool = False,
        rate_limit: int | None = None,
    ) -> str:
        """Register a token for ``login``; kind is ``user``, ``actions`` (GITHUB_TOKEN) or ``app``."""
        if kind not in ("user", "actions", "app"):
            raise ValueError(f"unknown token kind {kind!r}")
        value = token or f"{'ghs' if kind != 'user' else 'ghp'}_{secrets.token_hex(16)}"
        with self.world.lock:
            self.world.user(login)
            self.world.tokens[value] = Token(
                value,
                login,
                kind,
                workflows=kind == "user" if workflows is None else workflows,
                read_only=read_only,
                limit=self.world.default_rate_limit if rate_limit is None else rate_limit,
            )
        return value

    def user_token(self, login: str, **kwargs: Any) -> str:
        """Register a personal access token for a user."""
        return self.add_token(login, **kwargs)

    def actions_token(self, **kwargs: Any) -> str:
        """Register a workflow GITHUB_TOKEN (login ``github-actions[bot]``, no ``workflows`` permission)."""
        return self.add_token(ACTIONS_BOT, kind="actions", **kwargs)

    def app_token(self, slug: str, **kwargs: Any) -> str:
        """Register a GitHub App installation token (login ``<slug>[bot]``)."""
        return self.add_token(f"{slug}[bot]", kind="app", **kwargs)

    def set_rate_limit(self, token: str, limit: int, used: int = 0) -> None:
        """Change a token's hourly budget and how much of it is spent."""
        with self.world.lock:
            entry = self.world.tokens[token]
            entry.limit, entry.used = limit, used
            entry.window_start = entry.window_start or self.world.now()

    def advance_time(self, seconds: float) -> None:
        """Move the stand-in's clock forward (rate-limit windows, timestamps)."""
        with self.world.lock:
            self.world.time_offset += seconds

    def client(self, token: str | None, *, retry: int | Retry | None = None, per_page: int = 30) -> Github:
        """A PyGithub client for ``token`` against this server, with no client-side throttling."""
        return Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.url,
            seconds_between_requests=0,
            seconds_between_writes=0,
            retry=retry,
            per_page=per_page,
            timeout=15,
        )

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every HTTP request answered so far (copy)."""
        return list(self.faults.log)

    def count(self, method: str | None = None, path: str | None = None, status: int | None = None) -> int:
        """Count logged requests by method, path regex (searched) and status."""
        return len(
            [
                r
                for r in self.faults.log
                if (method is None or r.method == method.upper())
                and (path is None or re.search(path, r.path))
                and (status is None or r.status == status)
            ]
        )

    def clear_log(self) -> None:
        """Forget the request log (the sequence counter keeps counting)."""
        self.faults.clear_log()

    @property
    def events(self) -> list[Event]:
        """Events the stand-in recorded (``triggers_workflows`` is False for GITHUB_TOKEN actors)."""
        with self.world.lock:
            return list(self.world.events)
