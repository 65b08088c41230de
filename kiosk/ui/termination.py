"""SIGTERM and SIGINT end the kiosk cleanly, through Qt's event loop.

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
"""

from __future__ import annotations

import logging
import signal
import socket

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

log = logging.getLogger("kiosk.ui")
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitOnTermination(QObject):
    """Quits ``app`` on SIGTERM or SIGINT. One per application, made on the GUI thread;
    the signal handlers are restored when the application quits."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self._reader, writer = socket.socketpair()
        self._writer = writer
        for end in (self._reader, writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, self._noted) for number in QUIT_SIGNALS}
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
        wanted = [n for n in numbers if n in QUIT_SIGNALS]
        if wanted:
            log.info("quitting on %s", signal.Signals(wanted[0]).name)
            self._app.exit(0)  # not quit(): a locked window refuses to close, which cancels it

    def restore(self) -> None:
        if self._writer.fileno() == -1:
            return
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
