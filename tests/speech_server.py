"""A private speech-dispatcher for tests that speak, and what its log says reached it.

No Qt here: the in-process fixtures (tests/conftest.py's speech_home) and the end-to-end
tests (tests/e2e) share it. Each server lives in a folder of its own ("root"): its
configuration, socket and log, and the earcons folder the kiosk writes, which its
espeak-ng module plays sound icons from (as deploy/setup-kiosk.sh sets it up).
"""

from __future__ import annotations

import html
import os
import re
import signal
import time
from pathlib import Path

from kiosk.core.speech.earcons import Earcon, module_conf

SPEECHD_CONF = """\
# Written by tests/speech_server.py.
LogLevel {log_level}
LogDir "{log_dir}"
# A sink that swallows the audio at once. With no audio device at all speech-dispatcher
# never reports the end of a message, and the kiosk waits for its deadline.
AudioOutputMethod "alsa"
AudioALSADevice "null"
# The module's own settings: modules/espeak-ng.conf beside this file (the earcons
# folder), the rest its defaults.
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
DefaultModule espeak-ng
"""


def prepare(root: Path, log_level: int = 2) -> Path:
    """Folders and configuration for a server in ``root``; returns its socket's path.
    LogLevel 5 logs every message queued (``heard`` reads them)."""
    config, runtime, logs = root / "config", root / "run", root / "log"
    (config / "speech-dispatcher" / "modules").mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    logs.mkdir()
    conf = config / "speech-dispatcher"
    (conf / "speechd.conf").write_text(
        SPEECHD_CONF.format(log_dir=logs, log_level=log_level), encoding="utf-8"
    )
    (conf / "modules" / "espeak-ng.conf").write_text(
        module_conf(earcons_folder(root)), encoding="utf-8"
    )
    socket = runtime / "speech-dispatcher" / "speechd.sock"
    assert len(str(socket)) < 100, f"too long for a Unix socket (108 bytes): {socket}"
    return socket


def earcons_folder(root: Path) -> Path:
    """Where a kiosk with environment(root) writes its earcons (sound_icons.earcons_folder)."""
    return root / "data" / "clinic-kiosk" / "earcons"


def environment(root: Path) -> dict[str, str]:
    """What points a kiosk (and any libspeechd client, spd-say) at the server of ``root``.

    libspeechd finds the socket through GLib, which reads XDG_RUNTIME_DIR once per
    process, so SPEECHD_ADDRESS names it too; XDG_DATA_HOME puts the earcons where the
    module configuration says."""
    socket = root / "run" / "speech-dispatcher" / "speechd.sock"
    return {
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_RUNTIME_DIR": str(root / "run"),
        "XDG_DATA_HOME": str(root / "data"),
        "SPEECHD_ADDRESS": f"unix_socket:{socket}",
    }


def log_of(root: Path) -> Path:
    return root / "log" / "speech-dispatcher.log"


def end(root: Path) -> None:
    folder = root / "run" / "speech-dispatcher"
    end_server(folder / "pid" / "speech-dispatcher.pid", folder / "speechd.sock")


# --- what reached it (LogLevel 5) ---------------------------------------------------------

_QUEUED = re.compile(r"Queueing message \|(.*?)\| with priority", re.S)
_TAG = re.compile(r"<[^>]*>")
EARCONS = frozenset(earcon.value for earcon in Earcon)


def queued(log: Path) -> list[str]:
    """Every message speech-dispatcher queued, in order: texts (as plain text: the
    kiosk sends SSML with a mark before each word) and sound icons."""
    if not log.exists():
        return []
    return queued_in(log.read_text("utf-8", errors="replace"))


def queued_in(text: str) -> list[str]:
    """``queued`` of a part of the log."""
    return [plain(message) for message in _QUEUED.findall(text)]


def plain(message: str) -> str:
    """A queued message as its text: the kiosk's SSML without its markup."""
    return html.unescape(_TAG.sub("", message)) if message.startswith("<speak>") else message


def heard(log: Path) -> list[str]:
    """The texts speech-dispatcher queued, in order (the earcons left out)."""
    return [message for message in queued(log) if message not in EARCONS]


def sounds(log: Path) -> list[str]:
    """The earcons speech-dispatcher queued, in order ("kiosk-move.wav"...)."""
    return [message for message in queued(log) if message in EARCONS]


def played(log: Path) -> list[str]:
    """The sound files its espeak-ng module found and played, in order. A sound icon
    with no file is spoken as its name instead, and is not here."""
    if not log.exists():
        return []
    text = log.read_text("utf-8", errors="replace")
    return [Path(path).name for path in re.findall(r"Playing \|([^|\n]*)\|", text)]


# --- ending a server and its modules, nobody else's ------------------------------------------


def end_server(pid_file: Path, socket: Path) -> None:
    """End the server spawned on this socket, and its voice modules; nothing else."""
    try:
        pid = int(pid_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # nothing spoke, or the server already quit (it removes its pid file)
    if str(socket).encode() not in _proc_read(pid, "cmdline"):
        return  # gone, and the number may belong to someone else's process by now
    pids = [pid, *children_of(pid)]
    os.kill(pid, signal.SIGTERM)  # it stops its modules itself on the way out
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.05)
    for left in filter(_alive, pids):
        os.kill(left, signal.SIGKILL)


def _proc_read(pid: int, name: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""


def _stat_fields(pid: int) -> list[bytes]:
    # After the ")" that ends the command name: state, parent pid, ...
    return _proc_read(pid, "stat").rpartition(b")")[2].split()


def children_of(parent: int) -> list[int]:
    pids = (int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [pid for pid in pids if _stat_fields(pid)[1:2] == [str(parent).encode()]]


def _alive(pid: int) -> bool:
    # A zombie has exited; its new parent reaps it when it gets round to it.
    return _stat_fields(pid)[:1] not in ([], [b"Z"])
