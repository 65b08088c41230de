"""Deployment: the systemd watchdog client, the unit files and the setup scripts."""

from __future__ import annotations

import configparser
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kiosk.ui import watchdog

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
SCRIPTS = [DEPLOY / "setup-kiosk.sh", DEPLOY / "kiosk-xinitrc", DEPLOY / "kiosk-stopped-screen"]
KIOSK_COMMAND = "/opt/kiosk/kiosk run --kiosk"

# --- sd_notify -----------------------------------------------------------------------

# A QApplication with the real Watchdog; after 0.5 s the GUI thread sleeps 1.5 s, as a
# frozen GUI would, then runs on for 0.6 s and quits.
_HARNESS = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from kiosk.ui.watchdog import Watchdog

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.show()
    Watchdog(app)

    def freeze():
        time.sleep(1.5)
        QTimer.singleShot(600, app.quit)

    QTimer.singleShot(500, freeze)
    sys.exit(app.exec())
    """
)


def _bind(tmp_path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    return sock


def _receive(sock: socket.socket, proc: subprocess.Popen[bytes]) -> list[tuple[float, str]]:
    """Every datagram with the time it came, until the process ends (or 20 s)."""
    sock.settimeout(0.02)
    got: list[tuple[float, str]] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            got.append((time.monotonic(), sock.recv(4096).decode()))
        except TimeoutError:
            if proc.poll() is not None:
                break
    return got


def test_watchdog_pings_stop_while_the_gui_thread_is_blocked(tmp_path: Path) -> None:
    sock = _bind(tmp_path)
    env = dict(
        os.environ,
        NOTIFY_SOCKET=str(tmp_path / "notify.sock"),
        WATCHDOG_USEC="200000",  # pings every 100 ms
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
    )
    with sock:
        proc = subprocess.Popen(
            [sys.executable, "-c", _HARNESS], env=env, stderr=subprocess.PIPE, cwd=tmp_path
        )
        try:
            messages = _receive(sock, proc)
        finally:
            if proc.poll() is None:
                proc.kill()
            _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err.decode()
    texts = [text for _, text in messages]
    assert texts[0] == "READY=1", texts
    assert texts[-1] == "STOPPING=1", texts
    pings = [at for at, text in messages if text == "WATCHDOG=1"]
    assert set(texts[1:-1]) == {"WATCHDOG=1"}, texts
    gaps = [later - earlier for earlier, later in itertools.pairwise(pings)]
    frozen = [i for i, gap in enumerate(gaps) if gap > 1.0]
    assert len(frozen) == 1, f"exactly one gap over 1 s (the block): {gaps}"
    before, after = pings[: frozen[0] + 1], pings[frozen[0] + 1 :]
    assert len(before) >= 3, f"regular pings before the block: {gaps}"
    assert len(after) >= 3, f"pings again after the block: {gaps}"
    assert max(gaps[: frozen[0]]) < 0.5, f"pings before the block are regular: {gaps}"
    assert 1.3 < gaps[frozen[0]] < 3.0, gaps


def test_notify_without_notify_socket_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert watchdog.notify("READY=1") is False


def test_notify_to_an_abstract_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"clinic-kiosk-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert watchdog.notify("WATCHDOG=1") is True
        assert sock.recv(4096) == b"WATCHDOG=1"


def test_notify_to_a_missing_socket_is_false(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "nobody-listens"))
    assert watchdog.notify("READY=1") is False


@pytest.mark.parametrize(
    ("usec", "interval"), [("30000000", 15000), ("200000", 100), (None, None), ("0", None)]
)
def test_ping_interval_is_half_of_watchdog_usec(
    monkeypatch: pytest.MonkeyPatch, usec: str | None, interval: int | None
) -> None:
    if usec is None:
        monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    else:
        monkeypatch.setenv("WATCHDOG_USEC", usec)
    # systemd names cage (the main process) in WATCHDOG_PID; the kiosk pings anyway.
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert watchdog.watchdog_interval_ms() == interval


# --- Unit files ------------------------------------------------------------------------


def _unit(name: str) -> configparser.ConfigParser:
    # strict=False: systemd allows a key more than once (the last one wins here, which
    # is why repeated keys such as Environment= are checked on the raw text).
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.parametrize("name", ["kiosk.service", "kiosk-x11.service"])
def test_kiosk_units_restart_watch_and_give_up_on_purpose(name: str) -> None:
    unit = _unit(name)
    service = unit["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"  # pings come from a child of cage / xinit
    assert int(service["WatchdogSec"]) >= 10
    assert service["Restart"] == "always"
    assert service["User"] == "kiosk"
    assert KIOSK_COMMAND in service["ExecStart"]
    assert int(unit["Unit"]["StartLimitIntervalSec"]) >= 60
    assert 2 <= int(unit["Unit"]["StartLimitBurst"]) <= 10
    assert "StartLimitIntervalSec" not in service  # ignored by systemd in [Service]
    assert unit["Unit"]["OnFailure"] == "kiosk-failed.service"
    assert unit["Install"]["WantedBy"] == "graphical.target"
    assert "getty@tty1.service" in unit["Unit"]["Conflicts"].split()


def test_cage_unit_runs_the_kiosk_in_cage_without_vt_switching() -> None:
    exec_start = _unit("kiosk.service")["Service"]["ExecStart"].split()
    assert exec_start[0] == "/usr/bin/cage"
    assert "-s" not in exec_start[: exec_start.index("--")]  # -s would allow VT switching
    assert " ".join(exec_start[exec_start.index("--") + 1 :]) == KIOSK_COMMAND
    text = (DEPLOY / "kiosk.service").read_text("utf-8")
    assert re.search(r'^Environment="QT_QPA_PLATFORM=wayland;xcb"$', text, re.MULTILINE)


def test_x11_fallback_conflicts_with_the_cage_unit() -> None:
    unit = _unit("kiosk-x11.service")
    assert "kiosk.service" in unit["Unit"]["Conflicts"].split()
    exec_start = unit["Service"]["ExecStart"]
    assert exec_start.startswith("/usr/bin/xinit /usr/local/lib/clinic-kiosk/kiosk-xinitrc")
    assert "-novtswitch" in exec_start.split()
    xinitrc = (DEPLOY / "kiosk-xinitrc").read_text("utf-8")
    for line in ("xset s off", "xset -dpms", "matchbox-window-manager"):
        assert line in xinitrc


def test_failure_screen_unit() -> None:
    unit = _unit("kiosk-failed.service")
    assert unit["Service"]["ExecStart"] == "/usr/local/lib/clinic-kiosk/kiosk-stopped-screen"
    assert unit["Service"]["TTYPath"] == "/dev/tty1"
    assert "OnFailure" not in unit["Unit"]  # no loop of failure screens
    for name in ("kiosk.service", "kiosk-x11.service"):
        assert "kiosk-failed.service" in _unit(name)["Unit"]["Conflicts"].split()


def test_setup_installs_every_file_it_names() -> None:
    setup = (DEPLOY / "setup-kiosk.sh").read_text("utf-8")
    for path in sorted(DEPLOY.iterdir()):
        if path.name not in ("setup-kiosk.sh", "90-kiosk-touchscreen.rules"):
            assert f'"$here/{path.name}"' in setup, path.name


# --- Checks with the tools, where this machine has them ----------------------------------

# Executables that setup-kiosk.sh installs, so they are missing on a build machine.
_INSTALLED_BY_SETUP = re.compile(
    r"Command (/opt/kiosk/\S+|/usr/local/lib/clinic-kiosk/\S+|/usr/bin/cage|/usr/bin/xinit)"
    r" is not executable: No such file or directory"
)


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_systemd_analyze_verify() -> None:
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    problems = [line for line in lines if not _INSTALLED_BY_SETUP.search(line)]
    assert not problems, "\n".join(lines)
    assert result.returncode == 0 or lines, "failed without saying why"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_parse(script: Path) -> None:
    shell = "bash" if script.suffix == ".sh" else "sh"
    result = subprocess.run(
        [shell, "-n", str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK), f"{script.name} is not executable"


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed here")
def test_shell_scripts_are_shellcheck_clean() -> None:
    result = subprocess.run(
        ["shellcheck", "-x", *map(str, SCRIPTS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout
