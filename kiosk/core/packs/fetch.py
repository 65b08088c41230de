"""Where an administrator's pack comes from: a file, a folder (a USB stick), or a web address.

Only the standard library's urllib fetches, with a size limit, a timeout on the
connection and on every read, an overall deadline and a minimum rate. A timeout per
read alone lets a server that sends a byte every few seconds hold an install for
ever; the deadline and the rate are kept by a watch that cuts the connection's
socket, so they hold while a read, the headers or the TLS handshake is waiting.
Nothing fetched is trusted: the store verifies it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from kiosk.core.errors import KioskError
from kiosk.core.files import atomic_writer
from kiosk.core.packs.buildorder import is_from_the_future
from kiosk.core.packs.format import PackError
from kiosk.core.packs.verify import peek_signed_manifest
from kiosk.core.terminal import printable, reason_text

PACK_SUFFIX = ".kpack"
# The minimum rate is an average over this long: longer than the default --timeout, so
# a server that goes silent is reported as silent, and short enough to stop a trickle.
RATE_WINDOW_S = 60.0
_CHUNK = 64 * 1024
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_INFINITE = urllib.request.HTTPRedirectHandler.inf_msg  # how urllib's loop error starts
_ZIP_START = b"PK"  # every zip archive, so every .kpack, starts so


class FetchError(KioskError):
    """A source that cannot be used, as one line naming it; ``status``: the server's
    HTTP status, if it answered one (a TUF client reads 404 as "not there")."""

    status: int | None = None


def resolve_source(
    source: str,
    work_dir: Path,
    max_bytes: int,
    timeout_s: float,
    trusted_keys: tuple[str, ...] = (),
    *,
    deadline_s: float,
    min_rate: float,
    now: datetime | None = None,
) -> Path:
    """A local .kpack file for ``source``: the file itself, the newest in a folder, or a download.

    Downloads go into ``work_dir``; the caller removes it. In a folder, packs signed by
    one of ``trusted_keys`` come first; see newest_in_folder. For downloads, see download.
    """
    scheme = _SCHEME.match(source)
    if scheme:
        if scheme.group(1).lower() in ("http", "https"):
            return download(
                source, work_dir, max_bytes, timeout_s, deadline_s=deadline_s, min_rate=min_rate
            )
        raise FetchError(
            f"{source}: '{scheme.group(1)}' addresses are not supported; "
            "give a file, a folder, or an http:// or https:// address"
        )
    path = Path(source).expanduser()
    if path.is_dir():
        return newest_in_folder(path, trusted_keys, now)
    if path.is_file():
        return path
    if path.exists():
        raise FetchError(f"{path}: not a file or a folder")
    raise FetchError(f"{path}: no such file or folder")


def newest_in_folder(
    folder: Path, trusted_keys: tuple[str, ...] = (), now: datetime | None = None
) -> Path:
    """The .kpack in ``folder`` with the highest manifest version.

    A pack whose manifest a trusted key signed beats any other, so a newer pack from a
    stranger on the same stick does not hide the clinic's own; and a pack from the
    present beats one built in the future (by a computer whose clock was wrong, judged
    against ``now``), which the install would refuse. Only the manifest and its
    signature are read here; the install verifies every file.
    """
    now = now or datetime.now(UTC)
    try:
        candidates = sorted(
            p
            for p in folder.iterdir()
            if p.suffix == PACK_SUFFIX and not p.name.startswith(".") and p.is_file()
        )
    except OSError as err:
        raise FetchError(f"{folder}: cannot list the folder ({err.strerror})") from None
    if not candidates:
        raise FetchError(f"no {PACK_SUFFIX} file in {folder}")
    best: tuple[tuple[bool, bool, int], Path] | None = None
    reasons: list[str] = []
    for path in candidates:
        try:
            manifest, trusted = peek_signed_manifest(path, trusted_keys)
        except PackError as err:
            reasons.append(str(err))
            continue
        rank = (trusted, not is_from_the_future(manifest.version, now), manifest.version)
        if best is None or rank > best[0]:
            best = (rank, path)
    if best is None:
        raise FetchError(f"no usable {PACK_SUFFIX} file in {folder}: {reasons[0]}")
    return best[1]


class _RedirectError(FetchError):
    """A redirect that is not followed; ``download`` names the address typed."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib would also follow ftp://), and
    stop a loop in words: urllib's own error was three lines ("... would lead to an
    infinite loop.\nThe last 30x error message was:\nFound")."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        match = _SCHEME.match(newurl)
        visited: dict[str, int] = getattr(req, "redirect_dict", {})  # as urllib counts
        problem = ""
        if match and match.group(1).lower() not in ("http", "https"):
            problem = f"redirected to a non-web address {printable(newurl)}; check the address"
        elif visited.get(newurl, 0) >= self.max_repeats:  # urllib's own test, made first
            problem = "the server redirects in a loop; check the address"
        elif len(visited) >= self.max_redirections:
            problem = f"the server redirects more than {self.max_redirections} times"
            problem += "; check the address"
        if problem:
            fp.close()  # the redirect's own answer, never read
            raise _RedirectError(problem)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _limit_text(max_bytes: int) -> str:
    return f"download is larger than the limit of {max_bytes / 1_000_000:g} MB"


class _Watch:
    """The clock a download must beat: ``deadline_s`` in all, and at least ``min_rate``
    bytes a second over every ``window_s``. A thread checks both and, when one fails,
    shuts down the download's sockets, so a read blocked on a trickle returns at once."""

    def __init__(self, deadline_s: float, min_rate: float, window_s: float) -> None:
        self.deadline_s = deadline_s
        self.min_rate = min_rate
        self.window_s = window_s
        self.received = 0  # body bytes; written by the reading thread only
        self.failure = ""  # why the connection was cut, once it was
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="download-watch", daemon=True)

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def create_connection(self, *args: Any, **kwargs: Any) -> socket.socket:
        """socket.create_connection, for http.client, with the socket watched."""
        sock = socket.create_connection(*args, **kwargs)
        with self._lock:
            # A duplicate: TLS takes the original's descriptor over, and shutting the
            # duplicate down ends the one connection both name.
            self._sockets.append(sock.dup())
            if self.failure:
                self._cut()
        return sock

    def _cut(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):  # already closed by the server or by us
                sock.shutdown(socket.SHUT_RDWR)

    def _run(self) -> None:
        started = time.monotonic()
        window_start, window_bytes = started, 0
        while True:
            now = time.monotonic()
            wake = min(started + self.deadline_s, window_start + self.window_s)
            if self._done.wait(min(max(0.0, wake - now), 60.0)):  # inf: wake now and then
                return
            now = time.monotonic()
            failure = ""
            if now - started >= self.deadline_s:
                failure = "deadline"
            elif now - window_start >= self.window_s:
                got = self.received - window_bytes
                if self.min_rate > 0 and got < self.min_rate * (now - window_start):
                    failure = "slow"
                window_start, window_bytes = now, self.received
            if failure:
                with self._lock:
                    self.failure = failure
                    self._cut()
                return


class _WatchedHttp(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self._watch), req)


class _WatchedHttps(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _watched(http.client.HTTPSConnection, self._watch),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


def _watched(kind: type[http.client.HTTPConnection], watch: _Watch) -> Any:
    def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
        connection = kind(*args, **kwargs)
        connection._create_connection = watch.create_connection  # type: ignore[attr-defined]
        return connection

    return make


def _stopped_text(url: str, watch: _Watch) -> str:
    got = f"{watch.received:,} bytes received"
    if watch.failure == "deadline":
        return (
            f"{url}: the download took longer than {watch.deadline_s:g} s and was stopped "
            f"({got}); try again when the network is less busy, install from a USB stick, "
            "or allow more time with --deadline"
        )
    return (
        f"{url}: the download was too slow (under {watch.min_rate / 1000:g} kB/s for "
        f"{watch.window_s:g} s; {got}) and was stopped; check the network and the server, "
        "install from a USB stick, or lower --min-rate"
    )


def download(
    url: str,
    work_dir: Path,
    max_bytes: int,
    timeout_s: float,
    *,
    deadline_s: float,
    min_rate: float,
    rate_window_s: float = RATE_WINDOW_S,
) -> Path:
    """Fetch ``url`` into a new file in ``work_dir``; stops at ``max_bytes``.

    Stops too when nothing arrives for ``timeout_s``, when the whole download takes
    longer than ``deadline_s``, and when less than ``min_rate`` bytes a second arrive
    on average over any ``rate_window_s`` (``min_rate`` 0: no minimum). Every stop is
    a one-line FetchError naming the URL, what happened and what to do."""
    silent = f"no data from {url} for {timeout_s:g} s"
    watch = _Watch(deadline_s, min_rate, rate_window_s)
    opener = urllib.request.build_opener(
        _HttpOnlyRedirects, _WatchedHttp(watch), _WatchedHttps(watch)
    )
    request = urllib.request.Request(url, headers={"User-Agent": "clinic-kiosk"})
    target = work_dir / f"download-{os.urandom(8).hex()}{PACK_SUFFIX}"
    with contextlib.ExitStack() as stack:
        try:
            work_dir.mkdir(parents=True, exist_ok=True)
            # A download cut short never appears under its name: the writer removes it.
            out = stack.enter_context(atomic_writer(target))
        except OSError as err:
            raise FetchError(
                f"{work_dir}: cannot save the download there ({err.strerror})"
            ) from None
        try:
            _fetch_watched(out, opener, request, url, max_bytes, timeout_s, watch)
            stack.close()  # flushed, fsynced and named: a full disk here fails it too
        except _RedirectError as err:
            raise FetchError(f"{url}: {err}") from None
        except FetchError:
            raise
        except (OSError, ValueError, http.client.HTTPException) as err:
            if isinstance(err, urllib.error.HTTPError):
                err.close()  # the error page's connection, never read
            raise _download_error(err, url, silent) from None
    return target


def _fetch_watched(
    out: IO[bytes],
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    url: str,
    max_bytes: int,
    timeout_s: float,
    watch: _Watch,
) -> None:
    """_fetch_into under the watch; FetchError saying why if the watch cut it."""
    try:
        with watch:
            _fetch_into(out, opener, request, url, max_bytes, timeout_s, watch)
    except FetchError:
        raise
    except (OSError, ValueError, http.client.HTTPException):
        if watch.failure:  # the watch cut the connection: say why
            raise FetchError(_stopped_text(url, watch)) from None
        raise
    if watch.failure:  # a cut can look like the end of the data
        raise FetchError(_stopped_text(url, watch))


def _download_error(err: Exception, url: str, silent: str) -> FetchError:
    """The one line an administrator reads for a download that failed with ``err``."""
    if isinstance(err, urllib.error.HTTPError):
        if 300 <= err.code < 400 and str(err.reason).startswith(_INFINITE):
            return FetchError(f"{url}: the server redirects in a loop; check the address")
        answered = FetchError(f"{url}: the server answered {err.code} {reason_text(err.reason)}")
        answered.status = err.code
        return answered
    if isinstance(err, urllib.error.URLError):
        if isinstance(err.reason, TimeoutError):
            return FetchError(silent)
        return FetchError(f"cannot reach {url}: {reason_text(err.reason)}")
    if isinstance(err, TimeoutError):
        return FetchError(silent)
    return FetchError(f"cannot download {url}: {reason_text(err)}")  # reset, bad address, ...


def _fetch_into(
    out: IO[bytes],
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    url: str,
    max_bytes: int,
    timeout_s: float,
    watch: _Watch,
) -> None:
    with opener.open(request, timeout=timeout_s) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"{url}: {_limit_text(max_bytes)}")
        # read1: whatever has arrived, so the count the watch reads keeps up.
        start = b""
        while chunk := response.read1(_CHUNK):
            watch.received += len(chunk)
            if watch.received > max_bytes:
                raise FetchError(f"{url}: {_limit_text(max_bytes)}")
            out.write(chunk)
            start += chunk[: len(_ZIP_START) - len(start)]
        # read1 ends quietly when the server closes early (and when the watch cut the
        # connection, which says why itself); the length the server promised tells.
        short = declared and declared.isdigit() and watch.received < int(declared)
        if short and not watch.failure:
            raise FetchError(
                f"{url}: the download was cut short at {watch.received:,} of "
                f"{int(declared):,} bytes; check the network and try again"
            )
        # A login page, an error page or a folder listing, answered with 200 OK: the
        # install would name a temporary file that it is "not a .kpack file".
        if response.headers.get_content_type() == "text/html" and start != _ZIP_START:
            raise FetchError(
                f"{url}: the server sent a web page, not a .kpack file; check the address"
            )
