"""A real HTTP server on loopback for download tests: each test file gives its own
request handler; this starts it on a free port and stops it whole."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator


class LoopbackServer(http.server.ThreadingHTTPServer):
    """Threads per request (a slow answer must not hold the next); ``stop`` is set when
    the test ends, so a handler that trickles or stalls can wait on it and end."""

    daemon_threads = True
    stop: threading.Event

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up half way is what these tests do


@contextlib.contextmanager
def serving(server: LoopbackServer) -> Iterator[str]:
    """``server`` running in a thread; yields its base address, http://127.0.0.1:PORT."""
    server.stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
