"""A small client of speech-dispatcher's SSIP, for what Qt's speech engine cannot ask.

QtTextToSpeech speaks through libspeechd, but has no way to play speech-dispatcher's
sound icons (the earcons, kiosk.core.speech.earcons). This client opens its own
connection to the same server and sends the few SSIP commands the kiosk needs. SSIP is
a line protocol (the Speech Synthesis Interface Protocol, speech-dispatcher's manual,
"SSIP"): a command ends in CR LF; a reply is lines "NNN-text", the last "NNN text",
2xx success. The Debian package python3-speechd holds a full client, but it is not on
PyPI (the kiosk's libraries come from there, pinned) and is far more than four commands.

Calls block for at most ``timeout`` seconds: a sound that would wait longer than that
is better not played than late, and a server that does not answer never holds the
kiosk's screen. Errors are SsipError.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from kiosk.core.errors import KioskError

TIMEOUT_S = 0.25
SOCKET_NAME = Path("speech-dispatcher") / "speechd.sock"


class SsipError(KioskError):
    """speech-dispatcher could not be reached, or refused a command."""


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


class SsipClient:
    """One connection to speech-dispatcher at ``address`` (opened on the first command),
    named ``client_name`` ("user:application:component", as SSIP's CLIENT_NAME)."""

    def __init__(self, address: Path, client_name: str, timeout: float = TIMEOUT_S) -> None:
        self._address = address
        self._name = client_name
        self._timeout = timeout
        self._socket: socket.socket | None = None
        self._buffer = b""

    @property
    def connected(self) -> bool:
        return self._socket is not None

    def connect(self) -> None:
        """Open the connection and name the client. SsipError if the server is not there
        (no socket yet: Qt's engine starts it) or does not answer."""
        if self._socket is not None:
            return
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self._timeout)
        try:
            sock.connect(str(self._address))
        except OSError as err:
            sock.close()
            raise SsipError(f"cannot reach speech-dispatcher at {self._address}: {err}") from None
        self._socket, self._buffer = sock, b""
        self.command(f"SET SELF CLIENT_NAME {self._name}")

    def command(self, line: str) -> tuple[int, list[str]]:
        """Send one SSIP command; its reply code and lines. SsipError if the server does
        not answer in time, closes, or refuses it (a code of 300 or more)."""
        if "\r" in line or "\n" in line:
            raise ValueError(f"an SSIP command is one line: {line!r}")
        self.connect()
        assert self._socket is not None
        try:
            self._socket.sendall(line.encode("utf-8") + b"\r\n")
            code, lines = self._reply()
        except OSError as err:  # a timeout too: the connection is out of step, drop it
            self.close()
            raise SsipError(f"speech-dispatcher did not answer {line.split()[0]}: {err}") from None
        if code >= 300:
            raise SsipError(f"speech-dispatcher refused {line!r}: {code} {' '.join(lines)}")
        return code, lines

    def _reply(self) -> tuple[int, list[str]]:
        lines: list[str] = []
        while True:
            line = self._read_line()
            if len(line) < 4 or not line[:3].isdigit():
                raise OSError(f"not an SSIP reply: {line!r}")
            lines.append(line[4:])
            if line[3] == " ":
                return int(line[:3]), lines

    def _read_line(self) -> str:
        assert self._socket is not None
        while b"\r\n" not in self._buffer:
            chunk = self._socket.recv(4096)
            if not chunk:
                raise OSError("the server closed the connection")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\r\n", 1)
        return line.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket, self._buffer = None, b""
