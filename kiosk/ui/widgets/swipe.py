"""Horizontal swipes on a card, told apart from taps and vertical scrolling.

Only where the finger went down and came up matters, so this works whether Qt
delivers a real touch, a synthesised mouse event, or a mouse drag.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Signal
from PySide6.QtGui import QMouseEvent

SWIPE_MIN_PX = 120  # about 2.5 cm at 1920x1080 on a 22" screen: clearly deliberate


class SwipeDetector(QObject):
    swiped_left = Signal()  # finger moved right-to-left: show the next card
    swiped_right = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._start: QPointF | None = None

    def watch(self, widget: QObject) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._start = event.globalPosition()
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            start, self._start = self._start, None
            if start is not None:
                delta = event.globalPosition() - start
                horizontal = abs(delta.x()) >= SWIPE_MIN_PX and abs(delta.x()) > 2 * abs(delta.y())
                if horizontal:
                    (self.swiped_left if delta.x() < 0 else self.swiped_right).emit()
        return False
