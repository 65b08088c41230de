"""The picture of a card that slides away when a patient turns to the next one.

One buffer serves every turn. QWidget.grab() made a new full-card pixmap per tap
(about 5 MB at 1600x900): a fresh allocation whose pages the kernel had to fault in
every time, which cost about 2.5 ms of each tap once big buffers leave the heap
(kiosk/ui/system/memory.py). Drawing into the same pixmap each time costs neither.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap, QRegion
from PySide6.QtWidgets import QWidget

_AS_GRAB_DOES = (
    QWidget.RenderFlag.DrawWindowBackground
    | QWidget.RenderFlag.DrawChildren
    | QWidget.RenderFlag.IgnoreMask
)


class SlideCover(QWidget):
    """A still picture of another widget, placed over it, that an animation can move."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        # Taps and swipes go to the new card underneath while the old one slides off.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._picture = QPixmap()
        self.hide()

    @property
    def picture(self) -> QPixmap:
        """What it shows (a null pixmap once forgotten)."""
        return self._picture

    def take_picture_of(self, widget: QWidget) -> None:
        ratio = widget.devicePixelRatioF()
        size = widget.size() * ratio
        if self._picture.size() != size or self._picture.devicePixelRatio() != ratio:
            self._picture = QPixmap(size)  # only when the card's size changes
            self._picture.setDevicePixelRatio(ratio)
        self._picture.fill(Qt.GlobalColor.transparent)
        widget.render(self._picture, QPoint(), QRegion(widget.rect()), _AS_GRAB_DOES)
        parent = self.parentWidget()
        where = widget.mapTo(parent, QPoint(0, 0)) if parent is not None else widget.pos()
        self.setGeometry(QRect(where, widget.size()))
        self.update()

    def forget(self) -> None:
        """Hide, and let the picture go (between patients)."""
        self.hide()
        self._picture = QPixmap()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()
