"""Where a patient in speech mode is: a thick ring around the thing last spoken, for a
companion or a patient with some sight, drawn over the page and never taking a tap."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

# Two rings, dark outside a light one, so one of them stands out on any background
# (WCAG 2.2 2.4.13: at least 2 px, 3:1 against what is next to it).
OUTER_PX = 8
INNER_PX = 4
GAP_PX = 4  # between the ring and what it rings, so the ring covers none of its words


class Highlight(QWidget):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def ring(self, rect: QRect) -> None:
        """Ring ``rect`` (the window's coordinates) now."""
        curtain = self._window.findChild(QWidget, "curtain")  # kiosk.ui.speech_mode.curtain
        if curtain is not None and curtain.isVisible():
            self.hide()  # nothing of the page shows, not even where the patient is
            return
        pad = GAP_PX + OUTER_PX
        self.setGeometry(rect.adjusted(-pad, -pad, pad, pad).intersected(self._window.rect()))
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.rect()
        for width, color in ((OUTER_PX, QColor("#000000")), (INNER_PX, QColor("#FFD400"))):
            painter.setPen(QPen(color, width))
            half = OUTER_PX // 2
            painter.drawRoundedRect(box.adjusted(half, half, -half, -half), 10, 10)
