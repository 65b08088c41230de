"""When the kiosk is quiet too long: ask "Still there?", then start over.

Patients have one quiet spell; an unlocked admin panel has its own, longer one (the
patient's is paused meanwhile). A fresh kiosk has nothing to wipe and just waits; an
abandoned PIN pad closes at once, so its digits go and the next patient starts fresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.core.config import KioskConfig
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.session import Session
from kiosk.ui.window import MainWindow

# More time to answer the warning in speech mode: the patient hears it first (WCAG 2.2
# 2.2.1; EZ Access gives a blind user at least 20 s).
SPEECH_MODE_EXTRA_WARNING_S = 20


class IdlePolicy(QObject):
    staff_away = Signal()  # the PIN pad or the admin panel was left: close it
    announce = Signal(str)  # the warning as read aloud, when it appears

    def __init__(
        self,
        window: MainWindow,
        session: Session,
        config: KioskConfig,
        speech_mode_on: Callable[[], bool] = lambda: False,
    ) -> None:
        """``speech_mode_on``: whether a patient is using speech mode (which a fresh
        session does not show: it is a patient there all the same)."""
        super().__init__(window)
        self._window = window
        self._session = session
        self._speech_mode_on = speech_mode_on
        self._warning_s = config.idle_warning
        self._began_at = config.idle_warning
        self.monitor = IdleMonitor(config.idle_timeout, self)
        self.admin_monitor = IdleMonitor(config.admin_idle_timeout, self)

    def start(self) -> None:
        """Watch the patient's quiet spell (once the window is up)."""
        self.monitor.start(self._window)

    def stop(self) -> None:
        self.monitor.stop()
        self.admin_monitor.stop()

    def watch_staff(self) -> None:
        self.admin_monitor.start(self._window)

    def stop_watching_staff(self) -> None:
        self.admin_monitor.stop()

    def poke(self) -> None:
        self.monitor.poke()

    def stay(self) -> None:
        """Someone answered the warning."""
        self.monitor.poke()
        self.admin_monitor.poke()

    def cancel_warning(self) -> None:
        self._window.idle_overlay.cancel()

    def on_idle(self) -> None:
        w = self._window
        page = w.stack.currentWidget()
        if page is w.pin_pad:
            self.staff_away.emit()
        elif page is w.admin or (self._session.is_fresh() and not self._speech_mode_on()):
            self.monitor.poke()  # staff have their own clock; a fresh kiosk waits
        else:
            extra = SPEECH_MODE_EXTRA_WARNING_S if self._speech_mode_on() else 0
            self._began_at = self._warning_s + extra
            w.idle_overlay.begin(extra_s=extra)

    def on_admin_idle(self) -> None:
        if self._window.stack.currentWidget() is self._window.admin:
            self._window.idle_overlay.begin(staff=True)

    def on_warning_expired(self) -> None:
        if self._window.idle_overlay.for_staff:
            self.staff_away.emit()  # an unlocked panel left open locks itself
        else:
            self._session.reset()

    def on_tick(self, seconds_left: int) -> None:
        # The warning is spoken once, when it appears, if the patient chose read aloud
        # or speech mode.
        speaks = self._session.settings.read_aloud or self._speech_mode_on()
        if seconds_left == self._began_at and speaks:
            self.announce.emit(self._window.idle_overlay.spoken_text())
