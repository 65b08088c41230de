"""'2 of 6' and a row of dots: where a patient is in an article, in words and at a glance."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.widgets import Label

_DOT = 16
_GAP = 12


class _Dots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.current = 0

    def sizeHint(self) -> QSize:
        return QSize(max(1, self.count) * (_DOT + _GAP), _DOT + 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        filled = self.palette().windowText().color()
        width = self.count * _DOT + (self.count - 1) * _GAP
        x = (self.width() - width) / 2
        y = (self.height() - _DOT) / 2
        for i in range(self.count):
            painter.setPen(filled)
            painter.setBrush(filled if i == self.current else QColor(0, 0, 0, 0))
            painter.drawEllipse(int(x + i * (_DOT + _GAP)), int(y), _DOT, _DOT)
        painter.end()


class CardProgress(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = Label(self)
        self._label.setProperty("role", "progress")
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._dots = _Dots(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addStretch(1)
        layout.addWidget(self._label)
        layout.addWidget(self._dots)
        layout.addStretch(1)

    def show_position(self, current: int, count: int) -> None:
        text = QCoreApplication.translate("CardProgress", "%1 of %2")
        self._label.setText(text.replace("%1", str(current + 1)).replace("%2", str(count)))
        self._dots.count, self._dots.current = count, current
        self._dots.updateGeometry()
        self._dots.update()
        self.setAccessibleName(self._label.text())

    @property
    def text(self) -> str:
        return self._label.text()
