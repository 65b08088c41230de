"""Tell systemd the kiosk is alive: ``READY=1``, then ``WATCHDOG=1`` from the GUI thread.

A tiny sd_notify client (standard library only) and a QTimer that pings systemd's
watchdog. The timer runs on the GUI thread, so when that thread freezes the pings stop,
and systemd (``WatchdogSec=`` in deploy/kiosk.service) kills and restarts the kiosk.
Outside systemd (no ``NOTIFY_SOCKET``) everything here does nothing.
"""

from __future__ import annotations

import logging
import os
import socket

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.ui.system.crash import arm_hang_dump, disarm_hang_dump

log = logging.getLogger("kiosk.watchdog")


def notify(message: str) -> bool:
    """Send one sd_notify message; False (and nothing sent) outside systemd or on error."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket name
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError as err:
        log.warning("cannot notify systemd at %s: %s", os.environ["NOTIFY_SOCKET"], err)
        return False
    return True


def watchdog_interval_ms() -> int | None:
    """Half of systemd's WATCHDOG_USEC in milliseconds, or None if the watchdog is off."""
    # WATCHDOG_PID is not checked (sd_watchdog_enabled() does): under cage it names cage,
    # the service's main process, while the pings come from this child (NotifyAccess=all).
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    return max(1, usec // 2000)


class Watchdog(QObject):
    """Sends READY=1 now, WATCHDOG=1 every WATCHDOG_USEC/2, and STOPPING=1 on quit.

    Create it on the GUI thread once the window is shown.
    """

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._stopped = False
        self._hang_after_s = 0.0
        notify("READY=1")
        interval = watchdog_interval_ms()
        if interval is not None:
            self._timer.setInterval(interval)
            self._timer.timeout.connect(self.ping)
            self._timer.start()
            # Pings come every half watchdog period. A GUI thread silent for one and a
            # half intervals has its stack written, a quarter period before systemd
            # aborts it (a ping is 15 s apart, the dump at 22.5 s, the abort at 30 s).
            self._hang_after_s = 1.5 * interval / 1000
            arm_hang_dump(self._hang_after_s)
            if os.environ.get("NOTIFY_SOCKET"):
                log.info("systemd watchdog pings every %d ms from the GUI thread", interval)
        app.aboutToQuit.connect(self.stop)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def ping(self) -> None:
        notify("WATCHDOG=1")
        arm_hang_dump(self._hang_after_s)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        disarm_hang_dump()
        notify("STOPPING=1")
