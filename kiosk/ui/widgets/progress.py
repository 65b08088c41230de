"""'2 of 6' and a row of dots: where a patient is in an article, in words and at a glance."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.text_fit import em_px

_SPACING = 16  # between "2 of 6" and the dots, px
_DOT_OF_EM = 0.6  # a dot's size, in ems of the text: it grows with the text size


class _Dots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.current = 0

    def _dot_and_gap(self) -> tuple[int, int]:
        dot = max(12, round(em_px(self.font()) * _DOT_OF_EM))
        return dot, dot * 3 // 4

    def sizeHint(self) -> QSize:
        dot, gap = self._dot_and_gap()
        return QSize(max(1, self.count) * (dot + gap), dot + 8)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        filled = self.palette().windowText().color()
        dot, gap = self._dot_and_gap()
        pen = QPen(filled)
        pen.setWidthF(max(1.0, dot / 10))  # the empty dots' ring thickens with them
        width = self.count * dot + (self.count - 1) * gap
        x = (self.width() - width) / 2
        y = (self.height() - dot) / 2
        for i in range(self.count):
            painter.setPen(pen)
            painter.setBrush(filled if i == self.current else QColor(0, 0, 0, 0))
            painter.drawEllipse(int(x + i * (dot + gap)), int(y), dot, dot)
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
        layout.setSpacing(_SPACING)
        layout.addStretch(1)
        layout.addWidget(self._label)
        layout.addWidget(self._dots)
        layout.addStretch(1)

    def minimumSizeHint(self) -> QSize:
        """ "2 of 6" alone: the dots are left out when there is no room for them."""
        label = self._label.sizeHint()
        return QSize(label.width(), max(label.height(), self._dots.sizeHint().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_dots()

    def _fit_dots(self) -> None:
        room = self.width() - self._label.sizeHint().width() - _SPACING
        self._dots.setVisible(room >= self._dots.sizeHint().width())

    def show_position(self, current: int, count: int) -> None:
        text = QCoreApplication.translate("CardProgress", "%1 of %2")
        self._label.setText(text.replace("%1", str(current + 1)).replace("%2", str(count)))
        self._dots.count, self._dots.current = count, current
        self._dots.updateGeometry()
        self._dots.update()
        self._fit_dots()
        self.setAccessibleName(self._label.text())

    @property
    def text(self) -> str:
        return self._label.text()
