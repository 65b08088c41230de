"""The window title says where the kiosk is, for staff tools and end-to-end tests.

It is never written to disk: ``Clinic kiosk: home``, ``Clinic kiosk: reader SLUG 2/6``,
``Clinic kiosk: admin pin``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from kiosk.core.patient import Page
from kiosk.ui.session import Session
from kiosk.ui.window import MainWindow

APP_TITLE = "Clinic kiosk"


class WindowTitle(QObject):
    def __init__(self, window: MainWindow, session: Session) -> None:
        super().__init__(window)
        self._window = window
        self._session = session

    def update(self) -> None:
        """Where the patient is: the page, and in the reader the article and card."""
        ref = self._session.state.current
        where = ref.page.value
        if ref.page is Page.READER:
            reader = self._window.reader
            count = len(reader.article.sections) if reader.article else 0
            where = f"reader {ref.slug} {reader.card + 1}/{count}"
        self.set(where)

    def set(self, where: str) -> None:
        self._window.setWindowTitle(f"{APP_TITLE}: {where}")
