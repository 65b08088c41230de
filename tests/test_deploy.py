"""Deployment: the systemd watchdog client, and the deploy files as systemd, bash and
shellcheck read them. Their behaviour on a real system: `make deploy-test`."""

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

from kiosk.ui.system import watchdog

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNITS = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))
SCRIPTS = [
    DEPLOY / "setup-kiosk.sh",
    DEPLOY / "kiosk-xinitrc",
    DEPLOY / "kiosk-stopped-screen",
    DEPLOY / "kiosk-command",
    DEPLOY / "package-list",
]

# --- sd_notify -----------------------------------------------------------------------

# A QApplication with the real Watchdog; after 0.5 s the GUI thread sleeps 1.5 s, as a
# frozen GUI would, then runs on for 0.6 s and quits.
_HARNESS = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from kiosk.ui.system.crash import setup_logging
    from kiosk.ui.system.watchdog import Watchdog

    setup_logging(Path("state"))
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
    # The kiosk wrote where its GUI thread hung, itself, before any abort could come
    # (one and a half ping intervals into the block).
    crash = (tmp_path / "state" / "crash.log").read_text()
    assert "Timeout (" in crash, crash
    assert "in freeze" in crash, crash


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


# --- The deploy files, checked by the tools that read them --------------------------------
# What the units and the setup script do on a real Debian 12 system under systemd is
# proven by `make deploy-test` (tests/vm/deploytest.py): setup, the unit becoming
# active, touch, watchdog, crash loop, power cuts, reboot and the X11 fallback in a VM.

# Executables that setup-kiosk.sh installs, so they are missing on a build machine.
_INSTALLED_BY_SETUP = re.compile(
    r"Command (/opt/kiosk/\S+|/usr/local/lib/clinic-kiosk/\S+|/usr/bin/cage|/usr/bin/xinit)"
    r" is not executable: No such file or directory"
)


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    # A template is verified as one of its instances, as systemd would start it.
    failed = tmp_path / "kiosk-failed@kiosk.service"
    shutil.copy(DEPLOY / "kiosk-failed@.service", failed)
    units = [p for p in UNITS if "@" not in p.name] + [failed]
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    problems = [line for line in lines if not _INSTALLED_BY_SETUP.search(line)]
    assert not problems, "\n".join(lines)
    assert result.returncode == 0 or lines, "failed without saying why"


def _seconds(unit: configparser.ConfigParser, section: str, key: str) -> int:
    return int(unit[section][key].removesuffix("s"))


@pytest.mark.parametrize("name", ["kiosk.service", "kiosk-x11.service"])
def test_a_kiosk_that_never_gets_its_window_up_still_ends_on_the_ask_staff_screen(
    name: str,
) -> None:
    """A start that hangs (no READY=1) lasts TimeoutStartSec, then RestartSec passes:
    StartLimitBurst such starts must fit in StartLimitIntervalSec, or systemd never
    counts enough of them and the screen stays black, restarting, forever (the VM test
    shows the crash-loop end for quick crashes; a hanging start takes 10 minutes)."""
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / name, encoding="utf-8")
    each = _seconds(unit, "Service", "TimeoutStartSec") + _seconds(unit, "Service", "RestartSec")
    burst = int(unit["Unit"]["StartLimitBurst"])
    assert burst * each < _seconds(unit, "Unit", "StartLimitIntervalSec")


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


# --- setup-kiosk.sh refuses what it cannot use, before it changes anything -----------------


def _setup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEPLOY / "setup-kiosk.sh"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "name the kiosk bundle folder"),
        (("--wayland", "dist/kiosk"), "unknown option --wayland"),
        (("/nonexistent/kiosk-bundle",), "/nonexistent/kiosk-bundle/kiosk: not found"),
    ],
)
def test_setup_refuses_bad_arguments_with_one_line(args: tuple[str, ...], says: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("as a normal user setup stops at 'run it as root' first")
    result = _setup(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("setup-kiosk: "), result.stderr
    assert says in lines[0]
    assert not result.stdout  # nothing was installed, not even a step announced


def test_setup_help_names_its_options() -> None:
    result = _setup("--help")
    assert result.returncode == 0
    for option in ("--x11", "--no-start", "BUNDLE_DIR", "Exit status"):
        assert option in result.stdout
