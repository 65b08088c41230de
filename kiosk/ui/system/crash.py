"""Crashes the kiosk way: logged for staff, never a traceback on a patient's screen.

faulthandler writes hard crashes (segfaults, aborts) to a file kept open in the state
dir. Python exceptions, including those raised inside Qt slots, go to the log and
trigger a calm "One moment" screen that returns home with a fresh session.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from kiosk.core.files import FolderError, prepare_folder

log = logging.getLogger("kiosk")
_fault_file: IO[str] | None = None
# Why the log file is not written (the state folder is read-only, a dangling link...);
# None while it is. Staff see it on the admin panel (kiosk.ui.app).
_log_file_problem: str | None = None
LOG_FILE = "kiosk.log"
CRASH_FILE = "crash.log"


class _Waiting(logging.Handler):
    """Records kept in memory until the log file opens (``open_log_file``), at most
    WAITING_MAX of them, the oldest dropped first."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.records: deque[logging.LogRecord] = deque(maxlen=WAITING_MAX)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


WAITING_MAX = 10_000


def _gave_up(problem: str) -> None:
    global _log_file_problem
    _log_file_problem = problem


def setup_logging(state_dir: Path, verbose: bool = False, *, file_later: bool = False) -> Path:
    """Log to ``state_dir``/kiosk.log and to stderr (the journal under systemd); hard
    crashes to crash.log. Never raises: the kiosk shows its content without its log
    file. If the file cannot be written, stderr alone gets the messages and
    ``log_file_problem`` says why (one line in the log says so too). ``file_later``:
    the file opens at ``open_log_file`` (`kiosk run`: after the first frame), and its
    records wait in memory until then; stderr has them at once."""
    global _fault_file, _log_file_problem
    log_file = state_dir / LOG_FILE
    _log_file_problem = None
    handlers: list[logging.Handler] = []
    try:
        prepare_folder(state_dir)
        _fault_file = (state_dir / CRASH_FILE).open("a", encoding="utf-8")
        handlers.append(_Waiting(log_file))
    except OSError as err:
        _log_file_problem = str(err) if isinstance(err, FolderError) else _why(log_file, err)
    if sys.stderr is not None:  # None in a frozen windowed app
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    crash_to = _fault_file or sys.stderr  # the journal keeps a crash's stack instead
    if crash_to is not None:
        faulthandler.enable(crash_to)
    qInstallMessageHandler(_qt_message)
    if not file_later:
        open_log_file()
    if _log_file_problem is not None:
        _say_no_log_file()
    return log_file


def open_log_file() -> None:
    """Open the log file that ``setup_logging`` left waiting, and write into it the
    records kept meanwhile; nothing if it is open, or cannot be."""
    root = logging.getLogger()
    waiting = next((h for h in root.handlers if isinstance(h, _Waiting)), None)
    if waiting is None:
        return
    from kiosk.ui.system.logfile import LogFile  # logging.handlers: not before it

    root.removeHandler(waiting)
    try:
        file = LogFile(waiting.path, failed=_gave_up)
    except OSError as err:
        _gave_up(_why(waiting.path, err))
        _say_no_log_file()
        return
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for record in waiting.records:
        file.handle(record)
    root.addHandler(file)


def _say_no_log_file() -> None:
    log.error(
        "cannot write the log file: %s; logging to the journal (stderr) only; fix: mount "
        "the disk or make the folder writable, or set 'state' in kiosk.toml to a folder "
        "the kiosk can write in",
        _log_file_problem,
    )


def _why(path: Path, err: OSError) -> str:
    return f"{err.filename or path}: {err.strerror or err}"


def log_file_problem() -> str | None:
    """Why the log file is not being written, or None if it is."""
    return _log_file_problem


def arm_hang_dump(seconds: float) -> None:
    """Write every thread's stack to crash.log if ``seconds`` pass before the next call
    (or ``disarm_hang_dump``). faulthandler's own thread does it, without the GIL, so a
    hung GUI thread is caught where it stands. The watchdog re-arms it on each ping, so
    the stack is written before systemd's abort: that abort races the kiosk's exit when
    the display server dies with it, and lost the stack (seen in the Debian VM)."""
    crash_to = _fault_file or sys.stderr
    if crash_to is not None:
        faulthandler.dump_traceback_later(seconds, repeat=False, file=crash_to)


def disarm_hang_dump() -> None:
    faulthandler.cancel_dump_traceback_later()


def stop_logging() -> None:
    """Close the log and crash files (at exit, and between tests)."""
    global _fault_file, _log_file_problem
    open_log_file()  # what waited for it, if the kiosk ends before its first frame
    _log_file_problem = None
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
        open_log_file()  # a crash before the first frame is in the file too
        log.critical("unexpected error; returning the patient home", exc_info=(kind, value, tb))
        try:
            on_error()
        except Exception:  # the calm screen itself failed: the log is all we can do
            log.exception("could not show the calm screen")

    sys.excepthook = hook
