"""Signals: every stop is clean and logged with its cause, and a stray signal never ends
the kiosk unnoticed.

systemd stops the kiosk with SIGTERM. Without a handler the kernel ends the process on
the spot, and that is worse than untidy: when the watchdog aborts a frozen kiosk
(SIGABRT, deploy/kiosk.service), cage dies at once and systemd then sends SIGTERM to
what is left, which killed the kiosk in the middle of faulthandler writing the frozen
stack to crash.log (found in the Debian VM, make deploy-test). With Python's handler
installed, SIGTERM only sets a flag while faulthandler writes, and otherwise quits the
event loop (exit(), not quit(): the locked window refuses the close that quit() asks for).

Qt's event loop does not run Python code while it waits, so the C-level handler writes
the signal number to a socket pair (``signal.set_wakeup_fd``) that a QSocketNotifier
watches: the quit happens on the GUI thread, at once.

Every signal whose default action ends (or stops) a process is decided here, see
signal(7); a kiosk that vanished without a line in its log cost a clinic a morning:

* SIGTERM (systemctl stop, kill), SIGINT (Ctrl+C), SIGQUIT (Ctrl+\\) and SIGXCPU (a CPU
  time limit): a clean stop through the event loop, logged with the signal.
* SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT,
  SIGXFSZ, the real-time signals, and the job-control stops SIGTSTP, SIGTTIN and SIGTTOU:
  ignored, with one line in the log each. Nothing sends them to a kiosk on purpose:
  SIGHUP comes from a closed terminal (the kiosk reads its settings only at start, so
  it is no "reload" either: restart it), SIGUSR1 from a mistyped kill; a stop would
  freeze the screen until the watchdog killed it. SIGXFSZ ignored turns a write past a
  file-size limit into an error (EFBIG) that the kiosk reports and survives.
  A signal some library already handles (not SIG_DFL or SIG_IGN) is left to it.
* SIGPIPE stays ignored, as Python sets it: a write to a closed socket (speech-dispatcher
  gone) is an error the kiosk handles, not its death.
* SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS and SIGTRAP are left to faulthandler
  (the stack goes to crash.log) and the kernel: the watchdog's abort must still end a
  frozen kiosk. SIGKILL and SIGSTOP cannot be caught.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

log = logging.getLogger("kiosk.ui")
# Why each stop signal came, for the log line that names it.
STOP_SIGNALS: dict[signal.Signals, str] = {
    signal.SIGTERM: "systemctl stop, or kill, asked the kiosk to stop",
    signal.SIGINT: "Ctrl+C in the terminal that started the kiosk",
    signal.SIGQUIT: "Ctrl+\\ in the terminal that started the kiosk",
    signal.SIGXCPU: "the kiosk's CPU time limit was reached",
}
QUIT_SIGNALS = tuple(STOP_SIGNALS)
_IGNORED_NAMES = (
    "SIGHUP",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGIO",
    "SIGPWR",
    "SIGSTKFLT",
    "SIGXFSZ",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
)
IGNORED_SIGNALS: tuple[int, ...] = (
    *(getattr(signal, name) for name in _IGNORED_NAMES if hasattr(signal, name)),
    *range(signal.SIGRTMIN, signal.SIGRTMAX + 1),
)
_Handler = Callable[[int, Any], Any] | int | signal.Handlers | None


def signal_name(number: int) -> str:
    if signal.SIGRTMIN <= number <= signal.SIGRTMAX:
        return f"SIGRTMIN+{number - signal.SIGRTMIN}"
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class QuitOnTermination(QObject):
    """Quits ``app`` on a stop signal, logs and ignores stray ones, and keeps the cause
    of the stop (``cause``) for the last line of the log. One per application, made on
    the GUI thread; the signal handlers are restored when the application quits."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self.cause: str | None = None
        self._reader, writer = socket.socketpair()
        self._writer = writer
        for end in (self._reader, writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[int, _Handler] = {
            number: signal.signal(number, self._noted) for number in QUIT_SIGNALS
        }
        for number in IGNORED_SIGNALS:
            if signal.getsignal(number) in (signal.SIG_DFL, signal.SIG_IGN):
                self._previous[number] = signal.signal(number, self._noted)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        app.aboutToQuit.connect(self.restore)

    @staticmethod
    def _noted(number: int, frame: object) -> None:
        """Python's handler: the C part already woke the notifier; nothing to do here."""

    def _woken(self) -> None:
        try:
            numbers = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in numbers:
            if number in QUIT_SIGNALS:
                why = STOP_SIGNALS[signal.Signals(number)]
                self.stop(signal_name(number), f"{signal_name(number)} ({why})")
            elif number in self._previous:
                log.warning(
                    "ignoring %s: nothing sends it to a kiosk on purpose; the kiosk goes on "
                    "(to stop it, use systemctl stop or SIGTERM)",
                    signal_name(number),
                )

    def stop(self, cause: str, said: str = "") -> None:
        """Stop the kiosk for ``cause`` (logged once, with ``said`` if given, and kept
        for the last line of the log): a clean quit of the event loop, exit code 0."""
        if self.cause is None:
            self.cause = cause
            log.info("stopping: %s", said or cause)
        self._app.exit(0)  # not quit(): a locked window refuses to close, which cancels it

    def stop_for_staff(self) -> None:
        self.stop("staff tapped Exit kiosk on the admin panel")

    def window_closed(self) -> None:
        """The last window closed (a windowed kiosk's close button): Qt quits after it."""
        if self.cause is None:
            self.cause = "the window was closed"
            log.info("stopping: %s", self.cause)

    def restore(self) -> None:
        if self._writer.fileno() == -1:
            return
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
