"""Where speech-dispatcher listens, and its errors (SSIP, kiosk.core.speech.channel).

SSIP is a line protocol (the Speech Synthesis Interface Protocol, speech-dispatcher's
manual, "SSIP"): a command ends in CR LF; a reply is lines "NNN-text", the last "NNN
text", 2xx success, 7xx an event. The Debian package python3-speechd holds a client, but
it is not on PyPI (the kiosk's libraries come from there, pinned), blocks its caller,
and the kiosk needs a dozen commands.

``SsipConnection`` blocks only the thread that sends a command (the speech channel's
worker, never the GUI), for at most REPLY_TIMEOUT_S.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import socket
import struct
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.core.errors import KioskError

SOCKET_NAME = Path("speech-dispatcher") / "speechd.sock"


class SsipError(KioskError):
    """speech-dispatcher could not be reached, or refused a command."""


class SsipConnectionLostError(SsipError):
    """The server closed the connection (it was quitting, or was killed): a new one may
    work at once."""


def server_address(environ: dict[str, str] | None = None) -> Path | None:
    """The Unix socket speech-dispatcher listens on for this user, as libspeechd finds it:
    ``SPEECHD_ADDRESS`` ("unix_socket:PATH"), else $XDG_RUNTIME_DIR/speech-dispatcher/
    speechd.sock, else the same under ~/.cache (GLib's fallback). None for an address this
    client does not speak (an inet_socket)."""
    env = os.environ if environ is None else environ
    address = env.get("SPEECHD_ADDRESS", "")
    if address:
        method, _, path = address.partition(":")
        if method != "unix_socket":
            return None
        if path:
            return Path(path)
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / SOCKET_NAME
    return Path(env.get("HOME", "~")).expanduser() / ".cache" / SOCKET_NAME


REPLY_TIMEOUT_S = 5.0
QUEUED = 225  # SSIP's "OK MESSAGE QUEUED", its first line the message's id
SEND_TIMEOUT_S = 5
LONGEST_LINE = 65536  # bytes of one reply line, far beyond any speech-dispatcher sends
SPAWN_TIMEOUT_S = 30.0
INSTALL_HINT = "install speech-dispatcher, speech-dispatcher-espeak-ng and espeak-ng"

log = logging.getLogger("kiosk.speech")


def installed() -> bool:
    """Whether speech-dispatcher is on this machine (to start one if none runs)."""
    return shutil.which("speech-dispatcher") is not None


class SsipConnection:
    """One connection to the speech-dispatcher at ``address``, started first as
    libspeechd would if none listens there. Commands are sent from one thread at a time
    and wait for their reply; events (7xx) go to ``on_event`` (code, lines) from a
    reader thread of the connection's own, ``on_queued`` gets each queued message's id
    there before the events that follow it are read, and ``on_end`` is called there once
    if the server ends it. SsipError if it cannot be opened."""

    def __init__(
        self,
        address: Path,
        on_event: Callable[[int, list[str]], None],
        on_queued: Callable[[int], None],
        on_end: Callable[[], None],
    ) -> None:
        sock = _open(address)
        if sock is None:
            spawn(address)
            sock = _open(address)
        if sock is None:
            raise SsipError(f"speech-dispatcher started but does not listen on {address}")
        self._sock = sock
        self._replies: queue.Queue[tuple[int, list[str]] | None] = queue.Queue()
        self._on_event, self._on_queued, self._on_end = on_event, on_queued, on_end
        self.alive = True  # until the reader saw it end
        self._closing = False
        threading.Thread(target=self._read, name="speech-events", daemon=True).start()

    def command(self, line: str, timeout: float | None = None) -> tuple[int, list[str]]:
        """Send one command line; its reply code and lines. SsipError if the server
        does not answer in ``timeout`` s (REPLY_TIMEOUT_S), went away, or refused it."""
        if "\r" in line or "\n" in line:
            raise SsipError(f"an SSIP command is one line: {line!r}")
        return self._send(line, timeout)

    def speak(self, text: str) -> int | None:
        """SPEAK ``text`` (any lines); the message's id once queued."""
        self.command("SPEAK")
        # The data ends at a line holding only "."; a line starting with "." doubles it.
        lines = [("." + line if line.startswith(".") else line) for line in text.splitlines()]
        _code, reply = self._send("\r\n".join([*lines, "."]), None)
        return int(reply[0]) if reply and _number(reply[0]) else None

    def _send(self, data: str, timeout: float | None) -> tuple[int, list[str]]:
        what = data.split(maxsplit=1)[0] if data.strip() else "data"
        try:
            self._sock.sendall(data.encode("utf-8") + b"\r\n")
            reply = self._replies.get(timeout=timeout or REPLY_TIMEOUT_S)
        except (BrokenPipeError, ConnectionResetError) as err:
            self.alive = False
            self.close()
            raise SsipConnectionLostError(
                f"speech-dispatcher closed the connection: {err}"
            ) from None
        except (OSError, queue.Empty) as err:
            # A late reply would be taken for the next command's: this connection is done.
            self.alive = False
            self.close()
            raise SsipError(
                f"speech-dispatcher did not answer {what!r}: {str(err) or 'no reply'}"
            ) from None
        if reply is None:
            raise SsipConnectionLostError("speech-dispatcher closed the connection")
        code, lines = reply
        if code >= 300:
            raise SsipError(f"speech-dispatcher refused {what!r}: {code} {' '.join(lines)}")
        return code, lines

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):  # close() alone would not wake the reader's recv
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _read(self) -> None:
        """Replies to the commands' thread, events to ``on_event``, until the end."""
        buffer, lines = b"", []
        try:
            while chunk := self._sock.recv(65536):
                buffer += chunk
                *complete, buffer = buffer.split(b"\r\n")
                if len(buffer) > LONGEST_LINE:  # no server of ours sends that: not ours
                    break
                for raw in complete:
                    line = raw.decode("utf-8", errors="replace")
                    lines.append(line[4:])
                    if len(line) >= 4 and line[3] == " ":
                        code = int(line[:3]) if _number(line[:3]) else 500  # garbled: refused
                        if 700 <= code < 800:
                            self._on_event(code, lines)
                        elif code == QUEUED and lines and _number(lines[0]):
                            self._on_queued(int(lines[0]))
                            self._replies.put((code, lines))
                        else:
                            self._replies.put((code, lines))
                        lines = []
        except OSError:
            pass  # closed by close(), or the server went away
        self.alive = False
        self._replies.put(None)
        if not self._closing:
            self._on_end()


def _number(text: str) -> bool:
    """Whether ``text`` is a number as SSIP writes them (ASCII digits: "²" is a digit to
    str.isdigit, and not to int)."""
    return text.isascii() and text.isdigit()


def _open(address: Path) -> socket.socket | None:
    """A connection to the server at ``address``; None if none listens there. SsipError
    if another user's process listens there: it would hear what patients read."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(REPLY_TIMEOUT_S)
    try:
        sock.connect(str(address))
    except OSError:
        sock.close()
        return None
    credentials = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    if uid != os.getuid():
        sock.close()
        raise SsipError(f"{address} belongs to another user's speech-dispatcher (uid {uid})")
    sock.settimeout(None)  # the reader waits for events as long as the connection lives
    # Sending may still not wait for ever: a server that stops reading fails the send.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", SEND_TIMEOUT_S, 0))
    return sock


def spawn(address: Path) -> None:
    """Start speech-dispatcher on ``address`` as libspeechd's autospawn does; SsipError
    naming what to install, or what went wrong, if it cannot."""
    program = shutil.which("speech-dispatcher")
    if program is None:
        raise SsipError(f"speech-dispatcher is not installed: {INSTALL_HINT}")
    command = [program, "--spawn", "--communication-method", "unix_socket"]
    try:
        address.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        done = subprocess.run(
            [*command, "--socket-path", str(address)],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=SPAWN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SsipError(f"speech-dispatcher did not start: {err}") from None
    if done.returncode != 0:  # "already running" too: the caller tries the socket again
        said = (done.stderr or done.stdout).strip().splitlines()
        log.debug("speech-dispatcher --spawn exited %d: %s", done.returncode, said)
