"""Every stop of the real kiosk is logged with its cause, and a stray signal never ends it
unnoticed (issue 13, item 6; kiosk/ui/system/termination.py decides per signal)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.theme import Theme

from conftest import REPO, built_kiosk

pytestmark = pytest.mark.gui
START_TIMEOUT_S = 60.0


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    state = tmp_path / "state"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'state = "{state}"\nstore = "{tmp_path / "store"}"\n', "utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    env.pop("NOTIFY_SOCKET", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    log = state / "kiosk.log"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (log.exists() and "showing bundled content" in log.read_text("utf-8")):
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the kiosk did not start"
        time.sleep(0.05)
    return process, log


def _wait_for(log: Path, words: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text("utf-8")
        if words in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{words!r} not in the log:\n{log.read_text('utf-8')}")


# Signals nobody sends a kiosk on purpose: ignored, each with a line in the log.
IGNORED = [signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGTSTP]


@pytest.mark.parametrize("number", IGNORED, ids=[s.name for s in IGNORED])
def test_a_stray_signal_is_logged_and_the_kiosk_goes_on(
    tmp_path: Path, number: signal.Signals
) -> None:
    process, log = _start(tmp_path)
    try:
        process.send_signal(number)
        text = _wait_for(log, f"ignoring {number.name}")
        assert text.count(f"ignoring {number.name}") == 1
        assert process.poll() is None  # still running, not stopped either
        stat = Path(f"/proc/{process.pid}/stat").read_text("ascii")
        assert stat.rpartition(")")[2].split()[0] != "T"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


STOPS = [signal.SIGTERM, signal.SIGINT, signal.SIGQUIT]


@pytest.mark.parametrize("number", STOPS, ids=[s.name for s in STOPS])
def test_a_stop_signal_ends_the_kiosk_cleanly_and_says_why(
    tmp_path: Path, number: signal.Signals
) -> None:
    process, log = _start(tmp_path)
    process.send_signal(number)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    text = log.read_text("utf-8")
    stopping = [line for line in text.splitlines() if "stopping" in line]
    assert len(stopping) == 1 and number.name in stopping[0], text
    assert text.splitlines()[-1].endswith(f"stopped ({number.name}), exit code 0"), text


def test_staff_exit_is_logged_as_the_cause(
    tmp_path: Path,
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The admin panel's Exit kiosk, in-process: the stop is logged with its cause."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core.config import KioskConfig
    from kiosk.ui.system.termination import QuitOnTermination

    caplog.set_level(logging.INFO, logger="kiosk")
    app = QApplication.instance()
    assert app is not None
    stops = QuitOnTermination(app)
    # The test's own application must not quit: Qt's exit() also tells every object
    # listening for aboutToQuit (speech engines among them) that it is over.
    exits: list[int] = []
    monkeypatch.setattr(stops, "_app", SimpleNamespace(exit=exits.append))
    config = KioskConfig(
        store=tmp_path / "store", state=tmp_path / "state", admin_pin_hash=pin_hash
    )
    try:
        with built_kiosk(qtbot, config, theme, stops=stops) as kiosk:
            assert kiosk.window is not None
            kiosk.window.exit_requested.emit()
        assert exits == [0]
        assert stops.cause == "staff tapped Exit kiosk on the admin panel"
        assert "stopping: staff tapped Exit kiosk on the admin panel" in caplog.messages
    finally:
        stops.restore()
