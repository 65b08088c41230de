"""Crashes the kiosk way: logged for staff, never a traceback on a patient's screen.

faulthandler writes hard crashes (segfaults, aborts) to a file kept open in the state
dir. Python exceptions, including those raised inside Qt slots, go to the log and
trigger a calm "One moment" screen that returns home with a fresh session.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("kiosk")
_fault_file: IO[str] | None = None


def setup_logging(state_dir: Path, verbose: bool = False) -> Path:
    state_dir.mkdir(parents=True, exist_ok=True)
    log_file = state_dir / "kiosk.log"
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3)
    ]
    if sys.stderr is not None:  # None in a frozen windowed app
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    global _fault_file
    _fault_file = (state_dir / "crash.log").open("a", encoding="utf-8")
    faulthandler.enable(_fault_file)
    qInstallMessageHandler(_qt_message)
    return log_file


def arm_hang_dump(seconds: float) -> None:
    """Write every thread's stack to crash.log if ``seconds`` pass before the next call
    (or ``disarm_hang_dump``). faulthandler's own thread does it, without the GIL, so a
    hung GUI thread is caught where it stands. The watchdog re-arms it on each ping, so
    the stack is written before systemd's abort: that abort races the kiosk's exit when
    the display server dies with it, and lost the stack (seen in the Debian VM)."""
    if _fault_file is not None:
        faulthandler.dump_traceback_later(seconds, repeat=False, file=_fault_file)


def disarm_hang_dump() -> None:
    faulthandler.cancel_dump_traceback_later()


def stop_logging() -> None:
    """Close the log and crash files (at exit, and between tests)."""
    global _fault_file
    faulthandler.cancel_dump_traceback_later()
    faulthandler.disable()
    if _fault_file is not None:
        _fault_file.close()
        _fault_file = None
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger("kiosk.qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_excepthook(on_error: Callable[[], None]) -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.critical("unexpected error; returning the patient home", exc_info=(kind, value, tb))
        try:
            on_error()
        except Exception:  # the calm screen itself failed: the log is all we can do
            log.exception("could not show the calm screen")

    sys.excepthook = hook
