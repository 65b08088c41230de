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

    def leave(self) -> None:
        self._idle.stop_watching_staff()
        self._window.idle_overlay.cancel()
        self._window.admin.reset()
        self._window.pin_pad.reset()
        self._session.reset()
