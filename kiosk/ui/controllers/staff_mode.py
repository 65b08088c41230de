"""Staff mode: the corner taps, the PIN pad, the admin panel, and leaving them.

Leaving always resets the session, so a patient never finds what staff left behind.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.ui.controllers.idle_policy import IdlePolicy
from kiosk.ui.controllers.titles import WindowTitle
from kiosk.ui.session import Session
from kiosk.ui.window import MainWindow


class StaffMode(QObject):
    opening = Signal()  # the PIN pad comes up: read aloud stops
    admin_opened = Signal()
    pin_cancelled = Signal()  # back to the page the patient (or staff) was on

    def __init__(
        self, window: MainWindow, session: Session, idle: IdlePolicy, title: WindowTitle
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._idle = idle
        self._title = title

    def open_pin_pad(self) -> None:
        w = self._window
        w.idle_overlay.cancel()
        w.settings_panel.hide()
        self.opening.emit()
        w.top_bar.hide()
        w.show_page(w.pin_pad)
        self._title.set("admin pin")

    def unlock(self) -> None:
        self._idle.watch_staff()
        self._window.show_page(self._window.admin)
        self.admin_opened.emit()
        self._title.set("admin")

    def cancel_pin(self) -> None:
        self._window.pin_pad.reset()
        self.pin_cancelled.emit()

    def studio_opened(self) -> None:
        """The studio is starting: the panel says so, and keeps its clock until the
        studio's window is up (a studio that hangs must not leave it unlocked)."""
        self._window.staff.say_studio_opening()

    def studio_shown(self) -> bool:
        """The studio's window is up: the kiosk's steps aside until it ends, and the
        panel's clock stops (staff type in the studio, which has its own). False if
        staff mode ended meanwhile: the studio must not cover the patients' kiosk."""
        if not self._window.in_staff_mode:
            return False
        self._idle.stop_watching_staff()
        self._window.hide()
        return True

    def studio_closed(self, left_alone: bool, detail: str) -> None:
        """Back from the studio: to the panel and its clock, told afresh what the kiosk
        shows (the studio may have installed a pack), or, if staff left the studio
        alone, to patients; ``detail``: why it stopped, if it failed."""
        if self._window.isHidden():
            self._window.show()  # as it was: full screen on a locked kiosk
            self._window.activateWindow()
        self._window.staff.say_studio(detail)
        if not self._window.in_staff_mode:
            return  # the panel closed while the studio opened: patients have the kiosk
        if left_alone:
            self.leave()
        else:
            self._idle.watch_staff()
            self.admin_opened.emit()  # what the panel says is read again

    def leave(self) -> None:
        self._idle.stop_watching_staff()
        self._window.idle_overlay.cancel()
        self._window.admin.reset()
        self._window.pin_pad.reset()
        self._session.reset()
