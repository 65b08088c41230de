"""A fleet repository served on loopback by a real HTTP server, which can misbehave as
mirrors do: keep serving an old file (a freeze) or send a byte at a time (a slow server)."""

from __future__ import annotations

import contextlib
import http.server
from collections.abc import Iterator
from pathlib import Path

from loopback import LoopbackServer, serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The repository's files; ``server.frozen``: paths answered with saved bytes (a
    mirror that keeps serving an old file); ``server.trickle``: paths sent a byte at a
    time (a slow server)."""

    server: _Server

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(self.server_root), **kwargs)  # type: ignore[arg-type]

    server_root = Path()

    def do_GET(self) -> None:
        with contextlib.suppress(OSError):
            path = self.path.split("?")[0]
            if path in self.server.frozen:
                body = self.server.frozen[path]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif any(path.endswith(end) for end in self.server.trickle):
                self.send_response(200)  # no length said: it ends when it ends
                self.end_headers()
                while not self.server.stop.wait(0.5):
                    self.wfile.write(b"P")
                    self.wfile.flush()
            else:
                super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(LoopbackServer):
    frozen: dict[str, bytes]
    trickle: set[str]


@contextlib.contextmanager
def web(repo: Path) -> Iterator[tuple[str, _Server]]:
    handler = type("Handler", (_Handler,), {"server_root": repo})
    server = _Server(("127.0.0.1", 0), handler)
    server.frozen, server.trickle = {}, set()
    with serving(server) as url:
        yield url + "/", server
