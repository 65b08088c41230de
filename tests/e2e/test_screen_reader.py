"""A screen reader can find, read and press the kiosk's controls (AT-SPI, on a real X server).

Qt speaks AT-SPI only on a real display (the offscreen platform exposes nothing), and
only to an accessibility bus in the same D-Bus session. So one private D-Bus session
(dbus-run-session) holds the accessibility bus, the kiosk and atspi_probe.py, which
drives the kiosk as a screen reader would: by accessible names, roles and actions,
never by coordinates. The probe runs under the system python because pyatspi is
Debian's python3-pyatspi, not a pip package.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from e2e.xserver import missing_tools, xvfb

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
# Debian 12's at-spi2-core: the accessibility bus, started on demand by the session bus.
A11Y_BUS_SERVICE = Path("/usr/share/dbus-1/services/org.a11y.Bus.service")

APP_NAME = "Clinic kiosk"
START = "Start"
TOPIC = "Harm Reduction Therapy"
# The first words of the intro card of content/en/topics/harm-reduction-therapy.md.
FIRST_WORDS = "Harm reduction is a kind and caring way"
# Roles whose Text a screen reader reads out. Qt 6 exposes the read-only QTextBrowser
# of a card as a "label" (with the Text interface, multi line, read only).
READABLE_ROLES = {"label", "text", "paragraph", "document text", "document frame", "static"}

# Runs inside dbus-run-session: $1 the system python, $2 the probe, $3 the kiosk's python,
# $4 the kiosk's log, the rest for the probe. Qt waits for the accessibility bus but never
# starts it, so it is started first (by asking the session bus for its address); the kiosk
# is stopped on the way out whatever happens, and the session bus takes the accessibility
# bus with it.
SESSION = r"""
set -u
system_python=$1 probe=$2 kiosk_python=$3 kiosk_log=$4
shift 4
dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
  org.a11y.Bus.GetAddress >/dev/null || { echo "no accessibility bus" >&2; exit 3; }
"$kiosk_python" -m kiosk run --kiosk >"$kiosk_log" 2>&1 &
kiosk=$!
stop_kiosk() {
  kill -TERM "$kiosk" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$kiosk" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$kiosk" 2>/dev/null
  wait "$kiosk" 2>/dev/null
}
trap stop_kiosk EXIT
"$system_python" "$probe" --pid "$kiosk" "$@"
"""
SESSION_TIMEOUT = 90  # seconds; the probe gives up on any one step after 20


def missing_for_screen_reader() -> list[str]:
    missing = missing_tools()
    missing += [tool for tool in ("dbus-run-session", "dbus-send") if not shutil.which(tool)]
    if not A11Y_BUS_SERVICE.exists():
        missing.append("at-spi2-core (the org.a11y.Bus service)")
    if not Path(SYSTEM_PYTHON).exists():
        missing.append(f"python3 at {SYSTEM_PYTHON}")
    elif subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode:
        missing.append(f"python3-pyatspi (import pyatspi in {SYSTEM_PYTHON})")
    return missing


def session_env(display: str, tmp_path: Path, token: str) -> dict[str, str]:
    """The real X server, accessibility always on, and private folders for everyone."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AT_SPI_BUS_ADDRESS", "DBUS_SESSION_BUS_ADDRESS")
    }
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        KIOSK_SCREEN_READER_TEST=token,  # marks every process of this run, to find strays
    )
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_RUNTIME_DIR", "runtime"),  # the accessibility bus puts its socket here
    ):
        folder = tmp_path / sub
        folder.mkdir(mode=0o700)
        env[var] = str(folder)
    return env


def processes_marked(token: str) -> list[int]:
    marker = f"KIOSK_SCREEN_READER_TEST={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


def end_strays(token: str, grace: float = 5) -> list[str]:
    """Stop whatever this run left running (found by its mark), and say what it was.

    The session's bus daemons exit by themselves once their bus has gone: give them
    ``grace`` seconds to.
    """
    deadline = time.monotonic() + grace
    while (pids := processes_marked(token)) and time.monotonic() < deadline:
        time.sleep(0.05)
    strays = []
    for pid in pids:
        with suppress(OSError):
            strays.append(f"{pid} {Path(f'/proc/{pid}/cmdline').read_bytes()!r}")
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return strays


def run_probe(display: str, tmp_path: Path) -> tuple[dict[str, Any], str]:
    """Run the kiosk and the probe in one D-Bus session; the probe's JSON and a transcript."""
    token = uuid.uuid4().hex
    kiosk_log = tmp_path / "kiosk-output.txt"
    command = [
        "dbus-run-session", "--", "bash", "-c", SESSION, "bash",
        SYSTEM_PYTHON, str(PROBE), sys.executable, str(kiosk_log),
        "--app-name", APP_NAME, "--start", START, "--topic", TOPIC,
    ]  # fmt: skip
    session = subprocess.Popen(
        command,
        env=session_env(display, tmp_path, token),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # one process group, to stop it all on a timeout
    )
    timed_out = False
    try:
        try:
            out, err = session.communicate(timeout=SESSION_TIMEOUT)
        except subprocess.TimeoutExpired:
            timed_out = True
            with suppress(ProcessLookupError):
                os.killpg(session.pid, signal.SIGKILL)
            end_strays(token, grace=0)  # bus daemons hold the output pipes open too
            out, err = session.communicate(timeout=10)
    finally:
        if session.poll() is None:  # interrupted: take the whole session down
            with suppress(ProcessLookupError):
                os.killpg(session.pid, signal.SIGKILL)
            session.wait()
        strays = end_strays(token)
    kiosk_output = kiosk_log.read_text("utf-8", "replace") if kiosk_log.exists() else ""
    transcript = (
        f"exit status {session.returncode}\n--- stdout\n{out}\n--- stderr\n{err}\n"
        f"--- kiosk output\n{kiosk_output[-3000:]}"
    )
    assert not timed_out, f"the screen-reader session took over {SESSION_TIMEOUT}s\n{transcript}"
    assert not strays, f"the session left processes running: {strays}\n{transcript}"
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert lines, f"the probe printed no result\n{transcript}"
    return json.loads(lines[-1]), transcript


def test_a_screen_reader_can_start_open_a_topic_and_read_its_first_card(tmp_path: Path) -> None:
    missing = missing_for_screen_reader()
    assert not missing, (
        f"the screen-reader test needs {missing}: run 'make test' (it installs them)"
    )
    with xvfb() as display:
        result, transcript = run_probe(display, tmp_path)
    shown = json.dumps(result, indent=1, ensure_ascii=False)
    assert result["error"] is None, f"{result['error']}\n{shown}\n{transcript}"

    app = result["app"]
    assert app["name"] == APP_NAME and app["role"] == "application", shown
    assert app["toolkit"].startswith("Qt "), shown

    welcome = result["welcome"]
    assert welcome["button"]["role"] == "push button", shown
    # The welcome speaks every language the pack has at once: "Start / Empezar".
    assert START in welcome["button"]["name"].split(" / "), shown
    assert welcome["pressed"], shown

    home = result["home"]
    names = [button["name"] for button in home["buttons"]]
    assert TOPIC in names and "Health words A to Z" in names, names
    assert all(name.strip() for name in names), f"a button on the home screen has no name: {names}"
    assert home["button"]["role"] == "push button", shown
    assert home["button"]["description"].startswith("Harm reduction helps you"), shown
    assert home["pressed"], shown

    reader = result["reader"]
    card = reader["card"]
    assert card["name"] == TOPIC, shown  # the intro card is named after the article
    assert card["role"] in READABLE_ROLES and "Text" in card["interfaces"], shown
    assert FIRST_WORDS in card["text"], card["text"][:200]
    reader_buttons = [button["name"] for button in reader["buttons"]]
    assert {"Quick exit", "Previous", "Next"} <= set(reader_buttons), reader_buttons
