"""Request log and fault injection (status errors, rate limits, connection resets, delays)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MESSAGES = {
    403: "API rate limit exceeded for installation ID 1.",
    409: "Conflict",
    422: "Validation Failed",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
}
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass
class LoggedRequest:
    """One request the stand-in answered."""

    seq: int
    method: str
    path: str
    query: str
    login: str | None
    status: int | None = None
    body: Any = None
    fault: str | None = None
    response: Any = None  # the decoded JSON answer (None for raw or empty ones), for conformance checks


@dataclass
class Fault:
    """A planned failure: which request it hits and how it fails.

    ``nth`` is an absolute request sequence number; otherwise ``method``/``path`` (regex searched
    in the path) pick the next matching requests, ``times`` of them. ``after_apply`` lets the
    handler change state first and then answers with the failure ("stored but answered 502").
    """

    status: int | None = None
    method: str | None = None
    path: str | None = None
    nth: int | None = None
    times: int = 1
    reset: bool = False
    delay: float = 0.0
    after_apply: bool = False
    message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0

    def matches(self, seq: int, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.hits >= self.times:
            return False
        if self.nth is not None and seq != self.nth:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def describe(self) -> str:
        """Short label for the request log."""
        if self.reset:
            return "reset"
        return f"status {self.status}" if self.status else f"delay {self.delay}"

    def error_body(self) -> dict[str, Any]:
        """The GitHub-shaped error body of the failure."""
        status = self.status or 500
        message = self.message or DEFAULT_MESSAGES.get(status, "Error")
        body: dict[str, Any] = {"message": message}
        if status == 422:
            body["errors"] = []
        body["documentation_url"] = "https://docs.github.com/rest"
        return body


class FaultPlan:
    """Thread-safe list of planned faults plus the request log and sequence counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.log: list[LoggedRequest] = []
        self.seq = 0

    def start(
        self, method: str, path: str, query: str, login: str | None
    ) -> tuple[LoggedRequest, Fault | None]:
        """Number and log a request; return the fault that applies to it, if any."""
        with self._lock:
            self.seq += 1
            entry = LoggedRequest(self.seq, method, path, query, login)
            self.log.append(entry)
            for fault in self._faults:
                if fault.matches(self.seq, method, path):
                    fault.hits += 1
                    entry.fault = fault.describe()
                    return entry, fault
            return entry, None

    def add(self, fault: Fault) -> Fault:
        """Plan a fault."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail(
        self,
        status: int = 502,
        method: str | None = None,
        path: str | None = None,
        *,
        times: int = 1,
        after_apply: bool = False,
        message: str | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
    ) -> Fault:
        """Fail the next ``times`` requests matching method/path with ``status``."""
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return self.add(Fault(status, method, path, None, times, False, delay, after_apply, message, headers))

    def fail_nth(self, n: int, status: int = 502, **kwargs: Any) -> Fault:
        """Fail the ``n``-th request from now on (1 = the next one)."""
        fault = self.fail(status, **kwargs)
        with self._lock:
            fault.nth = self.seq + n
        return fault

    def rate_limit(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        secondary: bool = False,
        retry_after: int = 0,
    ) -> Fault:
        """Answer a 403 rate-limit error with ``Retry-After`` (retried by GithubRetry)."""
        message = SECONDARY_MESSAGE if secondary else DEFAULT_MESSAGES[403]
        return self.fail(403, method, path, message=message, retry_after=retry_after)

    def reset(
        self, method: str | None = None, path: str | None = None, *, after_apply: bool = False
    ) -> Fault:
        """Drop the connection without an HTTP answer."""
        return self.add(Fault(None, method, path, reset=True, after_apply=after_apply))

    def delay(self, seconds: float, method: str | None = None, path: str | None = None) -> Fault:
        """Delay a matching request, then answer it normally."""
        return self.add(Fault(None, method, path, delay=seconds))

    def clear(self) -> None:
        """Forget all planned faults."""
        with self._lock:
            self._faults.clear()

    def clear_log(self) -> None:
        """Forget the request log (the sequence counter keeps counting)."""
        with self._lock:
            self.log.clear()

    def pending(self) -> list[Fault]:
        """Faults that have not fired as often as planned."""
        with self._lock:
            return [f for f in self._faults if f.hits < f.times]
