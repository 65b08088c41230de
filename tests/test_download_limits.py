"""A download cannot stall an install: an overall deadline and a minimum rate.

``--timeout`` alone bounds each read, so a server that sends one byte every second or
two (or trickles its headers) kept ``kiosk content install`` waiting for ever. A real
HTTP server on loopback trickles here; the limits are small so the tests stay quick.
"""

from __future__ import annotations

import contextlib
import http.server
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import LoopbackServer, serving

from kiosk.core.packs.fetch import FetchError, download

TRICKLE_EVERY_S = 0.1


class _Handler(http.server.BaseHTTPRequestHandler):
    server: LoopbackServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        with contextlib.suppress(OSError):
            if self.path == "/trickle-headers.kpack":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                self._trickle()
            elif self.path == "/silent.kpack":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"x")
                self.wfile.flush()
                self.server.stop.wait(30)
            elif self.path == "/cut-short.kpack":  # promises 500 kB, sends 1,000 bytes
                self.send_response(200)
                self.send_header("Content-Length", "500000")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"x" * 1000)
                self.wfile.flush()
                self.close_connection = True
            elif self.path == "/loop.kpack":
                self._redirect("/loop.kpack")
            elif self.path == "/to-ftp.kpack":
                self._redirect("ftp://127.0.0.1/p.kpack")
            elif self.path == "/evil-reason.kpack":  # a reason phrase with escape codes
                self.wfile.write(b"HTTP/1.1 500 \x1b[31mEvil\x1b[0m\r\nContent-Length: 0\r\n\r\n")
            elif self.path == "/to-evil-ftp.kpack":
                self._redirect("ftp://127.0.0.1/\x1b]0;owned\x07.kpack")
            elif self.path.startswith("/hop/"):  # /hop/1, /hop/2, ...: never the same
                self._redirect(f"/hop/{int(self.path.removeprefix('/hop/')) + 1}")
            elif self.path == "/page.kpack":  # a login page, answered with 200 OK
                self._send("text/html; charset=utf-8", b"<!DOCTYPE html><p>Sign in</p>\n")
            elif self.path == "/junk.kpack":
                self._send("application/octet-stream", b"not a zip archive\n" * 10)
            elif self.path == "/trickle-body.kpack":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self._trickle()
            else:
                self.send_error(404)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, kind: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self) -> None:
        """One byte at a time, never enough to trip a per-read timeout."""
        while not self.server.stop.wait(TRICKLE_EVERY_S):
            self.wfile.write(b"x")
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    with serving(LoopbackServer(("127.0.0.1", 0), _Handler)) as address:
        yield address


def _fails_quickly(url: str, work: Path, within_s: float, **limits: float) -> str:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        download(url, work, 1_000_000, **limits)
    elapsed = time.monotonic() - started
    assert elapsed < within_s, f"took {elapsed:.1f} s"
    assert list(work.iterdir()) == [], "a stopped download leaves no file behind"
    message = str(caught.value)
    assert "\n" not in message and url in message, message
    return message


def test_a_trickled_body_stops_at_the_deadline(web: str, tmp_path: Path) -> None:
    url = f"{web}/trickle-body.kpack"
    message = _fails_quickly(url, tmp_path, 5, timeout_s=5, deadline_s=1.0, min_rate=0)
    assert message.startswith(f"{url}: the download took longer than 1 s and was stopped ("), (
        message
    )
    assert "bytes received" in message and "--deadline" in message, message


def test_trickled_headers_stop_at_the_deadline(web: str, tmp_path: Path) -> None:
    url = f"{web}/trickle-headers.kpack"
    message = _fails_quickly(url, tmp_path, 5, timeout_s=5, deadline_s=1.0, min_rate=0)
    assert message.startswith(f"{url}: the download took longer than 1 s"), message


def test_a_download_below_the_minimum_rate_stops(web: str, tmp_path: Path) -> None:
    url = f"{web}/trickle-body.kpack"
    # About 10 bytes a second arrive; 1,000 are wanted, on average over every second.
    message = _fails_quickly(
        url, tmp_path, 5, timeout_s=5, deadline_s=60, min_rate=1000, rate_window_s=1
    )
    assert message.startswith(f"{url}: the download was too slow (under 1 kB/s for 1 s; "), message
    assert "bytes received) and was stopped" in message and "--min-rate" in message, message


def test_a_silent_server_is_still_reported_as_silent(web: str, tmp_path: Path) -> None:
    """The per-read --timeout keeps its own message; the rate is judged over longer."""
    url = f"{web}/silent.kpack"
    message = _fails_quickly(url, tmp_path, 5, timeout_s=0.5, deadline_s=60, min_rate=1000)
    assert message == f"no data from {url} for 0.5 s"


def test_a_download_cut_short_says_so(web: str, tmp_path: Path) -> None:
    """It named a deleted temporary file, 'not a .kpack file (not a zip archive, or cut
    short)' (attacker's review)."""
    url = f"{web}/cut-short.kpack"
    message = _fails_quickly(url, tmp_path, 5, timeout_s=5, deadline_s=60, min_rate=0)
    assert message == (
        f"{url}: the download was cut short at 1,000 of 500,000 bytes; "
        "check the network and try again"
    )


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/loop.kpack", "the server redirects in a loop; check the address"),
        ("/hop/1", "the server redirects more than 10 times; check the address"),
        (
            "/to-ftp.kpack",
            "redirected to a non-web address ftp://127.0.0.1/p.kpack; check the address",
        ),
    ],
)
def test_redirects_without_end_are_one_line_naming_the_address(
    web: str, tmp_path: Path, path: str, says: str
) -> None:
    """A loop was three lines: '... would lead to an infinite loop.', 'The last 30x
    error message was:', 'Found'."""
    url = f"{web}{path}"
    message = _fails_quickly(url, tmp_path, 5, timeout_s=5, deadline_s=60, min_rate=0)
    assert message == f"{url}: {says}"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/evil-reason.kpack", "the server answered 500 \\x1b[31mEvil\\x1b[0m"),
        (
            "/to-evil-ftp.kpack",
            # urllib quotes a redirect's address itself; the line is printable either way
            "redirected to a non-web address ftp://127.0.0.1/%1B]0;owned%07.kpack; "
            "check the address",
        ),
    ],
)
def test_what_a_server_says_reaches_the_terminal_escaped(
    web: str, tmp_path: Path, path: str, says: str
) -> None:
    """A reason phrase was printed as sent: 'the server answered 500 ESC[31mEvil ESC[0m'
    coloured the administrator's terminal; any escape sequence could have been sent."""
    url = f"{web}{path}"
    message = _fails_quickly(url, tmp_path / "work", 5, timeout_s=5, deadline_s=60, min_rate=0)
    assert message == f"{url}: {says}"
    run, _ = _cli_install(url, tmp_path)
    line = _one_line(run)
    assert line == f"kiosk: {url}: {says}" and line.isprintable()


def _cli_install(
    url: str, tmp_path: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    config = tmp_path / "kiosk.toml"
    config.write_text('store = "store"\n', "utf-8")
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "install", url, "--config", str(config), *extra],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return run, time.monotonic() - started


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: "), run.stderr
    return lines[0]


def test_the_cli_stops_a_trickle_at_its_deadline(web: str, tmp_path: Path) -> None:
    url = f"{web}/trickle-body.kpack"
    # The default --timeout (30 s a read) never fires on a byte every 0.1 s.
    run, elapsed = _cli_install(url, tmp_path, "--deadline", "1")
    line = _one_line(run)
    assert line.startswith(f"kiosk: {url}: the download took longer than 1 s and was stopped"), line
    assert elapsed < 15, f"took {elapsed:.1f} s"
    assert not (tmp_path / "store" / "current").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--deadline", "0"),
        ("--deadline", "-1"),
        ("--min-rate", "-1"),
        ("--max-mb", "inf"),  # was an OverflowError traceback
        ("--max-mb", "1e308"),  # the same: 1e308 MB is inf bytes
        ("--timeout", "1e10"),  # the same, from the socket's clock
        ("--timeout", "nan"),
        ("--deadline", "inf"),
        ("--min-rate", "inf"),
    ],
)
def test_the_cli_refuses_impossible_limits(tmp_path: Path, option: str, value: str) -> None:
    run, _ = _cli_install("http://127.0.0.1:9/x.kpack", tmp_path, f"{option}={value}")
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [run.stderr.strip()], run.stderr
    assert run.stderr.startswith(f"kiosk: {option}: '{value}' is not a number "), run.stderr
    assert "write one such as" in run.stderr and "kiosk content install --help" in run.stderr


def test_the_cli_names_the_address_of_a_redirect_loop(web: str, tmp_path: Path) -> None:
    url = f"{web}/loop.kpack"
    run, _ = _cli_install(url, tmp_path)
    assert _one_line(run) == f"kiosk: {url}: the server redirects in a loop; check the address"


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/page.kpack", "the server sent a web page, not a .kpack file; check the address"),
        ("/junk.kpack", "not a .kpack file (not a zip archive, or cut short)"),
    ],
)
def test_what_is_not_a_pack_is_named_by_its_address(
    web: str, tmp_path: Path, path: str, says: str
) -> None:
    """It named the download's temporary file, deleted by then:
    'kiosk: /tmp/kiosk-install-.../download-....kpack: not a .kpack file (...)'."""
    url = f"{web}{path}"
    run, _ = _cli_install(url, tmp_path)
    assert _one_line(run) == f"kiosk: {url}: {says}"
    assert not (tmp_path / "store" / "current").exists()
