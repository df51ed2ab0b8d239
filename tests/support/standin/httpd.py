"""A small threaded HTTP/1.1 server for a WSGI app, with keep-alive (werkzeug's dev server closes
every connection, which costs a TCP handshake per request) and a hook for abortive connection resets.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote_to_bytes

WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
SOCKET_KEY = "standin.socket"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    timeout = 30
    server: KeepAliveServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        self.server.track(self.connection, add=False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            SOCKET_KEY: self.connection,
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = f"{environ[name]},{value}" if name in environ else value
        return environ

    def _run(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            started[:] = [status, headers]

        try:
            payload = b"".join(self.server.app(self._environ(body), start_response))
        except ConnectionResetError:
            self.close_connection = True
            return
        except Exception as exc:  # a stand-in bug: answer 500 with the cause instead of dropping the line
            traceback.print_exc()
            payload = json.dumps({"message": f"stand-in error: {exc!r}", "documentation_url": ""}).encode()
            started[:] = ["500 Internal Server Error", [("Content-Type", "application/json; charset=utf-8")]]
        status, headers = started
        lines = [f"HTTP/1.1 {status}\r\n"]
        lines += [f"{k}: {v}\r\n" for k, v in headers if k.lower() not in ("content-length", "connection")]
        lines.append(f"Content-Length: {len(payload)}\r\n\r\n")
        head = "".join(lines).encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _run


class KeepAliveServer(ThreadingHTTPServer):
    """Threaded server that keeps connections open and can cut them all on shutdown."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._sockets: set[socket.socket] = set()
        self._sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def track(self, sock: socket.socket, add: bool) -> None:
        """Remember or forget an open client connection."""
        with self._sockets_lock:
            (self._sockets.add if add else self._sockets.discard)(sock)

    def close_connections(self) -> None:
        """Shut down every open client connection (idle keep-alive ones included)."""
        with self._sockets_lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
