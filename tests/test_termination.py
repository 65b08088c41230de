"""SIGTERM quits the kiosk cleanly, and never cuts short the frozen stack a watchdog abort
writes to crash.log (what systemd does to a frozen kiosk: SIGABRT, then, once cage has
died, SIGTERM; see kiosk/ui/system/termination.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from e2e.xserver import missing_tools, xvfb

REPO = Path(__file__).resolve().parent.parent
FREEZE = REPO / "tests" / "vm" / "guest" / "freeze.py"

# The kiosk's crash file and termination handling in a bare QApplication. READY on stdout
# once the event loop runs; with "--without" the termination handling is left out.
_HARNESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    from kiosk.ui.system.crash import setup_logging
    from kiosk.ui.system.termination import QuitOnTermination

    import signal
    setup_logging(Path(sys.argv[1]))
    if "--threads-block-abort" in sys.argv:  # as GLib's and libspeechd's threads do
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGABRT})
    app = QApplication(sys.argv[:1])
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGABRT})  # this thread takes it
    if "--without" not in sys.argv:
        QuitOnTermination(app)
    window = QLabel("kiosk")
    window.show()
    ticks = QTimer(interval=50)  # the GUI thread's heartbeat, as the watchdog's pings
    ticks.timeout.connect(lambda: print("TICK", flush=True))
    ticks.start()
    QTimer.singleShot(0, lambda: print("READY", flush=True))
    code = app.exec()
    print("QUIT", code, flush=True)
    """
)


def _start(state: Path, *flags: str, display: str = "") -> subprocess.Popen[str]:
    platform = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display} if display else {}
    process = subprocess.Popen(
        [sys.executable, "-c", _HARNESS, str(state), *flags],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), **platform},
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


def _ticks_within(process: subprocess.Popen[str], seconds: float) -> int:
    """TICK lines the harness prints within ``seconds``."""
    assert process.stdout is not None
    reader = process.stdout.fileno()
    os.set_blocking(reader, False)
    seen, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            seen += os.read(reader, 65536) or b""
        except BlockingIOError:
            time.sleep(0.02)
    os.set_blocking(reader, True)
    return seen.count(b"TICK")


@pytest.mark.skipif(bool(missing_tools()), reason="needs Xvfb (make setup installs it)")
@pytest.mark.parametrize(
    "flags", [(), ("--threads-block-abort",)], ids=["any thread", "only the hung thread"]
)
def test_a_hung_gui_thread_gets_its_stack_written_while_the_display_dies(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    """What the watchdog meets in the field, and the VM test reproduces: the GUI thread
    hangs (frozen by tests/vm/guest/freeze.py, with ptrace, as a deadlock would) while Qt's
    other threads run; systemd aborts every process of the unit, so the X server dies
    too, and SIGTERM follows. The stack of the hung GUI thread reaches crash.log whole,
    whichever thread the kernel hands the abort to: one of Qt's, or, when every other
    thread blocks signals, the hung one itself."""
    with xvfb(640, 480) as display:
        process = _start(tmp_path, *flags, display=display)
        freezer = subprocess.Popen(
            [sys.executable, str(FREEZE), str(process.pid)], stdout=subprocess.PIPE, text=True
        )
        assert freezer.stdout is not None
        assert freezer.stdout.readline().startswith(f"frozen {process.pid}")
        _ticks_within(process, 0.3)  # what was printed before the freeze
        assert _ticks_within(process, 1.0) == 0, "the GUI thread still runs"
        process.send_signal(signal.SIGABRT)
        process.send_signal(signal.SIGCONT)
        subprocess.run(["pkill", "-ABRT", "-f", f"^Xvfb {display} "], check=False)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
        freezer.communicate(timeout=10)
        assert freezer.returncode == 0
    crash = (tmp_path / "crash.log").read_text()
    assert process.returncode == -signal.SIGABRT
    assert "Fatal Python error: Aborted" in crash
    assert 'File "<string>"' in crash  # the harness's own code: the GUI thread's stack


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
    assert f"stopping: {number.name} (" in (tmp_path / "kiosk.log").read_text()
