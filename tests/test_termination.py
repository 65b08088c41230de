"""SIGTERM quits the kiosk cleanly, and never cuts short the frozen stack a watchdog abort
writes to crash.log (what systemd does to a frozen kiosk: SIGABRT, then, once cage has
died, SIGTERM; see kiosk/ui/termination.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# The kiosk's crash file and termination handling in a bare QApplication. READY on stdout
# once the event loop runs; with "--without" the termination handling is left out.
_HARNESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from kiosk.ui.crash import setup_logging
    from kiosk.ui.termination import QuitOnTermination

    setup_logging(Path(sys.argv[1]))
    app = QApplication(sys.argv[:1])
    if "--without" not in sys.argv:
        QuitOnTermination(app)
    QTimer.singleShot(0, lambda: print("READY", flush=True))
    code = app.exec()
    print("QUIT", code, flush=True)
    """
)


def _start(state: Path, *flags: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", _HARNESS, str(state), *flags],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    return process


def _abort_then_terminate_while_stopped(process: subprocess.Popen[str]) -> None:
    """A frozen process gets SIGABRT and SIGTERM before it runs again (SIGCONT)."""
    process.send_signal(signal.SIGSTOP)
    time.sleep(0.2)
    process.send_signal(signal.SIGABRT)
    process.send_signal(signal.SIGTERM)
    process.send_signal(signal.SIGCONT)
    process.communicate(timeout=30)


def test_a_watchdog_abort_writes_the_frozen_stack_although_sigterm_follows(
    tmp_path: Path,
) -> None:
    process = _start(tmp_path)
    _abort_then_terminate_while_stopped(process)
    crash = (tmp_path / "crash.log").read_text()
    assert process.returncode == -signal.SIGABRT
    assert "Fatal Python error: Aborted" in crash
    assert "most recent call first" in crash


def test_without_the_handler_sigterm_loses_the_stack(tmp_path: Path) -> None:
    """The fault the handler fixes, shown on the same harness: the stack is lost."""
    process = _start(tmp_path, "--without")
    _abort_then_terminate_while_stopped(process)
    assert process.returncode == -signal.SIGTERM
    assert (tmp_path / "crash.log").read_text() == ""


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_quit_through_the_event_loop(
    tmp_path: Path, number: signal.Signals
) -> None:
    process = _start(tmp_path)
    process.send_signal(number)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert out.strip() == "QUIT 0"
    assert f"quitting on {number.name}" in (tmp_path / "kiosk.log").read_text()
