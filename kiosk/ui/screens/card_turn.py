"""Turning a card: the old card slides away over the new one."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QPoint, QPropertyAnimation
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets.slidecover import SlideCover

SLIDE_MS = 220  # long enough to show where the card went, short enough not to wait for


class CardTurn(QObject):
    """A picture of what the patient saw of ``body`` slides off, left or right, while
    the new card is already in place under it. One cover and one animation are reused
    for every turn, so months of swiping create no new objects. Reduce motion turns the
    slide off (``set_animated``)."""

    def __init__(self, page: QWidget, body: QWidget) -> None:
        super().__init__(page)
        self._body = body
        self._animated = True
        self.cover = SlideCover(page)
        self.animation = QPropertyAnimation(self.cover, b"pos", page)
        self.animation.setDuration(SLIDE_MS)
        self.animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.animation.finished.connect(self.cover.hide)

    def set_animated(self, animated: bool) -> None:
        self._animated = animated
        if not animated:
            self.animation.stop()
            self.cover.hide()

    def slide_away(self, direction: int) -> None:
        """-1: the old card leaves to the left (Next); +1: to the right."""
        if not self._animated or not self._body.isVisible():
            return
        self.animation.stop()
        # What the patient sees of the title and the card slides away: the body's view.
        self.cover.take_picture_of(self._body)
        self.cover.show()
        self.cover.raise_()
        start = self.cover.pos()
        self.animation.setStartValue(start)
        self.animation.setEndValue(start + QPoint(direction * (self.cover.width() + 48), 0))
        self.animation.start()

    def forget(self) -> None:
        """Stop, and let the last patient's card picture go."""
        self.animation.stop()
        self.cover.forget()
